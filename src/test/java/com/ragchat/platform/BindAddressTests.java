package com.ragchat.platform;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Where the HTTP server listens: loopback by default in development and test, every
 * interface elsewhere, {@code BIND_ADDRESS} when set; and the start-up line says what was
 * really bound.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BindAddressTests {

	@Autowired
	WebServerApplicationContext context;

	static PlatformProperties properties(String env, String bindAddress) {
		return new PlatformProperties(env, Path.of("data"), null, DataSize.ofMegabytes(1), null, bindAddress, false);
	}

	@Test
	void theRunningServerListensOnLoopbackOnlyInTheDefaultMode() throws Exception {
		InetAddress bound = StartupReport.boundAddress(this.context.getWebServer());
		assertThat(bound).as("bound address").isNotNull();
		assertThat(bound.isLoopbackAddress()).as("%s is loopback", bound).isTrue();
		int port = this.context.getWebServer().getPort();
		// Another address of this machine, if it has one, must not reach the service.
		for (InetAddress other : NetworkInterface.networkInterfaces()
			.flatMap(NetworkInterface::inetAddresses)
			.filter((address) -> !address.isLoopbackAddress() && !address.isLinkLocalAddress())
			.toList()) {
			try (Socket socket = new Socket()) {
				Throwable refused = catchThrowable(() -> socket.connect(new InetSocketAddress(other, port), 2000));
				assertThat(refused).as("%s:%d must not answer", other, port).isNotNull();
			}
		}
	}

	@Test
	void unsetItIsLoopbackInDevelopmentAndTestAndEveryInterfaceElsewhere() {
		assertThat(properties("development", null).bindInetAddress()).isEqualTo(InetAddress.getLoopbackAddress());
		assertThat(properties("test", " ").bindInetAddress()).isEqualTo(InetAddress.getLoopbackAddress());
		assertThat(properties("production", null).bindInetAddress()).isNull();
		assertThat(properties("staging", "").bindInetAddress()).isNull();
	}

	@Test
	void anExplicitSettingWins() throws Exception {
		assertThat(properties("development", "0.0.0.0").bindInetAddress()).isEqualTo(InetAddress.getByName("0.0.0.0"));
		assertThat(properties("development", "*").bindInetAddress()).isNull();
		assertThat(properties("production", "127.0.0.1").bindInetAddress())
			.isEqualTo(InetAddress.getByName("127.0.0.1"));
		assertThat(properties("production", "::1").bindInetAddress()).isEqualTo(InetAddress.getByName("::1"));
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> properties("development", "not an address!").bindInetAddress())
			.withMessageContaining("BIND_ADDRESS");
	}

	@Test
	void theStartUpLineSaysWhatIsBound() throws Exception {
		assertThat(BindAddress.describe(InetAddress.getByName("127.0.0.1"), 8000)).isEqualTo(
				"listening on http://127.0.0.1:8000 (loopback only; set BIND_ADDRESS=0.0.0.0 to accept other machines)");
		assertThat(BindAddress.describe(null, 8000))
			.isEqualTo("listening on every interface, port 8000 (on this machine: http://127.0.0.1:8000)");
		assertThat(BindAddress.describe(InetAddress.getByName("0.0.0.0"), 8000))
			.startsWith("listening on every interface");
		assertThat(BindAddress.describe(InetAddress.getByName("::1"), 9000))
			.startsWith("listening on http://[0:0:0:0:0:0:0:1]:9000 (loopback only");
		assertThat(BindAddress.describe(InetAddress.getByName("10.1.2.3"), 8000))
			.isEqualTo("listening on http://10.1.2.3:8000");
	}

}
