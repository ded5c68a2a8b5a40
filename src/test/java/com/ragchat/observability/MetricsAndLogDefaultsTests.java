package com.ragchat.observability;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

import com.ragchat.Application;
import com.ragchat.platform.InvalidConfigurationException;
import com.ragchat.platform.TestDatabase;
import com.ragchat.support.ApiClient;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 20, finding 8: production defaults. {@code /api/metrics} was open in production;
 * now production refuses to start without {@code METRICS_TOKEN} unless
 * {@code METRICS_PUBLIC=true}. And a value with CR/LF cannot forge a log line.
 */
@ExtendWith(OutputCaptureExtension.class)
class MetricsAndLogDefaultsTests extends TelemetryTestSupport {

	static final String KEY = "Zq4x9Lw2Pm7Rt5Yb8Nc3Vd6Hf1Gk0Js-Ua_EoIiTyQeWrXzAbCdMnOpSvBu";

	@Test
	void productionNeedsAMetricsTokenOrAnExplicitlyPublicEndpoint() {
		TestDatabase.Info database = TestDatabase.createEmptyDatabase();
		assertThatThrownBy(() -> start(database, "--APP_ENV=production")).rootCause()
			.isInstanceOf(InvalidConfigurationException.class)
			.hasMessageContaining("METRICS_TOKEN")
			.hasMessageContaining("METRICS_PUBLIC");
		try (ConfigurableApplicationContext app = start(database, "--APP_ENV=production",
				"--METRICS_TOKEN=metrics-token-0123456789-abcdef")) {
			ApiClient api = new ApiClient(((WebServerApplicationContext) app).getWebServer().getPort());
			assertThat(api.get("/api/metrics").status()).isEqualTo(401);
			assertThat(api.get("/api/metrics/db-pool").status()).isEqualTo(401);
			assertThat(api.get("/api/metrics", "Authorization", "Bearer metrics-token-0123456789-abcdef").status())
				.isEqualTo(200);
		}
	}

	@Test
	void controlCharactersInLoggedValuesCannotForgeLines(CapturedOutput output) {
		String marker = "forged-" + System.nanoTime();
		LoggerFactory.getLogger(MetricsAndLogDefaultsTests.class)
			.info("Document title {}", "Guide\r\n2026-12-03T08:00:00.000Z  INFO 1 --- [main] admin : " + marker
					+ " \u001b[31mred\u0000\u2028x");
		List<String> lines = new ArrayList<>(output.getOut().lines().filter((line) -> line.contains(marker)).toList());
		assertThat(lines).hasSize(1);
		assertThat(lines.get(0)).contains("Document title Guide\\r\\n2026-12-03")
			.contains("\\u001b[31m")
			.contains("\\u0000")
			.contains("\\u2028")
			.doesNotContain("\u001b");
		assertThat(output.getOut().lines().filter((line) -> line.startsWith("2026-12-03T08:00:00.000Z"))).isEmpty();
	}

	private static ConfigurableApplicationContext start(TestDatabase.Info database, String... arguments) {
		List<String> all = new ArrayList<>(List.of("--spring.datasource.url=" + database.url(),
				"--spring.datasource.username=" + database.username(),
				"--spring.datasource.password=" + database.password(), "--server.port=0", "--SECRET_KEY=" + KEY,
				"--ADMIN_USERNAMES="));
		all.addAll(List.of(arguments));
		return new SpringApplicationBuilder(Application.class).properties("ragchat.test.own-datasource=true")
			.run(all.toArray(String[]::new));
	}

}
