package com.ragchat.platform;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.connector.Connector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The smaller per-connection buffers are in place, and ordinary traffic does not notice:
 * a response several times the buffer arrives whole, a request header close to the header
 * limit (8 KiB, unchanged) is accepted and a request body larger than the read buffer is
 * read whole.
 */
class ConnectionBuffersTests {

	private TomcatWebServer server;

	private final HttpClient client = HttpClient.newHttpClient();

	@BeforeEach
	void start() {
		TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory(0);
		new ConnectionBuffers().customize(factory);
		this.server = (TomcatWebServer) factory
			.getWebServer((context) -> context.addServlet("echo", new EchoServlet()).addMapping("/echo"));
		this.server.start();
	}

	@AfterEach
	void stop() {
		this.server.stop();
		this.client.close();
	}

	@Test
	void connectorUsesTheSmallerBuffers() {
		Connector connector = this.server.getTomcat().getConnector();
		assertThat(connector.getProtocolHandler()).isInstanceOf(ConnectionBuffers.StreamingFriendlyProtocol.class);
		assertThat(connector.getProtocolHandler().getDesiredBufferSize()).isEqualTo(ConnectionBuffers.RESPONSE_BUFFER);
		assertThat(connector.getProperty("socket.appReadBufSize"))
			.hasToString(Integer.toString(ConnectionBuffers.SOCKET_BUFFER));
		assertThat(connector.getProperty("socket.appWriteBufSize"))
			.hasToString(Integer.toString(ConnectionBuffers.SOCKET_BUFFER));
	}

	@Test
	void largeBodiesAndHeadersStillPass() throws Exception {
		String body = "b".repeat(50_000);
		String header = "h".repeat(7_000);
		HttpResponse<String> response = this.client.send(HttpRequest.newBuilder(uri())
			.header("X-Big", header)
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo(header.length() + ":" + body.length() + ":" + "r".repeat(40_000));
	}

	private URI uri() {
		return URI.create("http://127.0.0.1:" + this.server.getPort() + "/echo");
	}

	/** Answers with the sizes of what it received and a body ten times the buffer. */
	static final class EchoServlet extends HttpServlet {

		@Override
		protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
			int received = request.getInputStream().readAllBytes().length;
			response.setContentType("text/plain");
			response.getWriter().write(request.getHeader("X-Big").length() + ":" + received + ":" + "r".repeat(40_000));
		}

	}

}
