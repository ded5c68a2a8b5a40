package com.ragchat.platform;

import org.apache.coyote.http11.Http11NioProtocol;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * Smaller per-connection buffers in Tomcat, so that an open chat stream costs less heap
 * (LOAD_TESTING.md "10,000 open streams"). Every connection being served holds its
 * buffers for as long as it is open, and a stream is open for the whole answer: Tomcat's
 * defaults (8 KiB each) cost about 90 KiB of heap per open stream, more than everything
 * else a stream holds.
 * <p>
 * Set to 2 KiB here (Tomcat: 8 KiB), where the size changes nothing a client sees:
 * <ul>
 * <li>the socket's read and write buffers ({@code socket.appReadBufSize},
 * {@code socket.appWriteBufSize}): larger reads and writes go through them in more pieces
 * (a stream's frames and heartbeats are far smaller); the request header limit
 * ({@code server.max-http-request-header-size}) is not changed, the header buffer adds
 * its own room;</li>
 * <li>the servlet response buffer ({@link StreamingFriendlyProtocol}): a response larger
 * than it is sent in chunks instead of with a {@code Content-Length}.</li>
 * </ul>
 * Kept: the response header buffer (8 KiB,
 * {@code server.tomcat.max-http-response-header-size}), whose size is a limit.
 */
@Component
class ConnectionBuffers implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

	/** Socket read and write buffers, bytes (Tomcat's default: 8192). */
	static final int SOCKET_BUFFER = 2048;

	/** The servlet response's output buffer, bytes (Tomcat's default: 8192). */
	static final int RESPONSE_BUFFER = 2048;

	@Override
	public void customize(TomcatServletWebServerFactory factory) {
		if (TomcatServletWebServerFactory.DEFAULT_PROTOCOL.equals(factory.getProtocol())) {
			factory.setProtocol(StreamingFriendlyProtocol.class.getName());
		}
		factory.addConnectorCustomizers((connector) -> {
			connector.setProperty("socket.appReadBufSize", Integer.toString(SOCKET_BUFFER));
			connector.setProperty("socket.appWriteBufSize", Integer.toString(SOCKET_BUFFER));
		});
	}

	/**
	 * Tomcat's NIO HTTP/1.1 protocol with a smaller servlet response buffer: the
	 * connector sizes each response's buffer (bytes, and as many chars for a
	 * {@code Writer}) by {@link #getDesiredBufferSize()}, 8 KiB when it is not set. A
	 * response may still ask for more with {@code setBufferSize}.
	 */
	public static class StreamingFriendlyProtocol extends Http11NioProtocol {

		@Override
		public int getDesiredBufferSize() {
			return RESPONSE_BUFFER;
		}

	}

}
