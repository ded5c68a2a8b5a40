package com.ragchat.platform;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A model provider that hangs: it reads each HTTP request and then never finishes the
 * answer, either sending nothing at all ({@link Behaviour#SILENT}) or the start of a
 * streamed answer and then nothing more ({@link Behaviour#STALLS_MID_STREAM}). Each
 * connection stays open until the client closes it, and the server counts the ones still
 * open: a client that gave up but left its connection (and the thread reading it) behind
 * shows up here.
 * <p>
 * WireMock could hang too, but it cannot say whether the client let go of the connection,
 * which is the point of the test.
 */
final class HangingHttpServer implements AutoCloseable {

	enum Behaviour {

		/** Accepts the request and never answers. */
		SILENT,

		/**
		 * Answers 200 with the first chunk of an OpenAI chat-completions stream (one text
		 * fragment), then goes quiet.
		 */
		STALLS_MID_STREAM

	}

	/** The text fragment sent before a stream stalls. */
	static final String FIRST_FRAGMENT = "Partial";

	private final ServerSocket listener;

	private final Set<Socket> open = ConcurrentHashMap.newKeySet();

	private final AtomicInteger requests = new AtomicInteger();

	private volatile Behaviour behaviour = Behaviour.SILENT;

	HangingHttpServer() throws IOException {
		this.listener = new ServerSocket();
		this.listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
		Thread.ofPlatform().daemon().name("hanging-provider").start(this::acceptLoop);
	}

	String baseUrl() {
		return "http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + this.listener.getLocalPort();
	}

	void behave(Behaviour behaviour) {
		this.behaviour = behaviour;
	}

	/** Requests received so far. */
	int requests() {
		return this.requests.get();
	}

	/** Connections the client has not closed yet. */
	int openConnections() {
		return this.open.size();
	}

	@Override
	public void close() throws IOException {
		this.listener.close();
		for (Socket socket : this.open) {
			socket.close();
		}
	}

	private void acceptLoop() {
		while (!this.listener.isClosed()) {
			try {
				Socket socket = this.listener.accept();
				this.open.add(socket);
				Thread.ofVirtual().start(() -> serve(socket));
			}
			catch (IOException ex) {
				// closed
			}
		}
	}

	private void serve(Socket socket) {
		try (socket) {
			InputStream in = socket.getInputStream();
			readRequest(in);
			this.requests.incrementAndGet();
			if (this.behaviour == Behaviour.STALLS_MID_STREAM) {
				OutputStream out = socket.getOutputStream();
				out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n"
						+ "Transfer-Encoding: chunked\r\n\r\n")
					.getBytes(StandardCharsets.US_ASCII));
				writeChunk(out, event("{\"role\":\"assistant\",\"content\":\"\"}"));
				writeChunk(out, event("{\"content\":\"" + FIRST_FRAGMENT + "\"}"));
				out.flush();
			}
			// Hang: wait for the client to close the connection (read returns -1 or
			// fails).
			byte[] buffer = new byte[1024];
			while (in.read(buffer) >= 0) {
				// a client has nothing more to send on this connection; ignore it
			}
		}
		catch (IOException ex) {
			// the client reset the connection: it is closed either way
		}
		finally {
			this.open.remove(socket);
		}
	}

	private static String event(String delta) {
		return "data: {\"id\":\"chatcmpl-hang\",\"object\":\"chat.completion.chunk\",\"created\":1747000000,"
				+ "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":" + delta
				+ ",\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n";
	}

	private static void writeChunk(OutputStream out, String data) throws IOException {
		byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
		out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
		out.write(bytes);
		out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
	}

	/** Reads the request head and its {@code Content-Length} body. */
	private static void readRequest(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		int matched = 0;
		byte[] end = { '\r', '\n', '\r', '\n' };
		while (matched < 4) {
			int b = in.read();
			if (b < 0) {
				throw new IOException("connection closed before a request arrived");
			}
			head.write(b);
			matched = (b == end[matched]) ? matched + 1 : ((b == '\r') ? 1 : 0);
		}
		int length = 0;
		for (String line : head.toString(StandardCharsets.US_ASCII).split("\r\n")) {
			if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
				length = Integer.parseInt(line.substring("content-length:".length()).strip());
			}
		}
		in.readNBytes(length);
	}

}
