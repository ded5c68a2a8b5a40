package com.ragchat.chat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.sun.management.HotSpotDiagnosticMXBean;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Test tools for streams over a raw socket (so a test decides exactly when the client
 * goes away) and for counting the threads that serve them.
 */
final class StreamProbe {

	private StreamProbe() {
	}

	/**
	 * Opens a stream request on a plain socket and returns once the response contains
	 * {@code marker}; the caller then closes the socket mid-stream.
	 */
	static Socket openUntil(int port, String bearerToken, String jsonBody, String marker) throws IOException {
		Socket socket = new Socket("127.0.0.1", port);
		socket.setSoTimeout(30_000);
		byte[] body = jsonBody.getBytes(StandardCharsets.UTF_8);
		String head = "POST /api/chat/stream HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
				+ "Content-Type: application/json\r\nAuthorization: Bearer " + bearerToken + "\r\n" + "Content-Length: "
				+ body.length + "\r\n\r\n";
		OutputStream out = socket.getOutputStream();
		out.write(head.getBytes(StandardCharsets.US_ASCII));
		out.write(body);
		out.flush();
		InputStream in = socket.getInputStream();
		ByteArrayOutputStream received = new ByteArrayOutputStream();
		byte[] buffer = new byte[1024];
		while (!received.toString(StandardCharsets.UTF_8).contains(marker)) {
			int read = in.read(buffer);
			if (read < 0) {
				throw new IOException(
						"stream ended before " + marker + ": " + received.toString(StandardCharsets.UTF_8));
			}
			received.write(buffer, 0, read);
		}
		return socket;
	}

	/**
	 * Counts live threads, virtual ones included (a JSON thread dump lists them), whose
	 * name starts with {@code namePrefix} or whose stack has a frame of
	 * {@code stackClass}.
	 */
	static int liveThreads(String namePrefix, String stackClass) throws IOException {
		Path file = Files.createTempFile("threads", ".json");
		Files.delete(file);
		try {
			ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
				.dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
			JsonNode dump = JsonMapper.builder().build().readTree(file.toFile());
			int count = 0;
			for (JsonNode container : dump.get("threadDump").get("threadContainers")) {
				for (JsonNode thread : container.get("threads")) {
					boolean named = thread.path("name").asString("").startsWith(namePrefix);
					boolean serving = false;
					for (JsonNode frame : thread.path("stack")) {
						serving |= frame.asString().startsWith(stackClass + ".");
					}
					if (named || serving) {
						count++;
					}
				}
			}
			return count;
		}
		finally {
			Files.deleteIfExists(file);
		}
	}

}
