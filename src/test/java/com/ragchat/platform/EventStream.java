package com.ragchat.platform;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;

import com.ragchat.support.ApiClient;

/**
 * One {@code POST /api/chat/stream} read event by event over real HTTP, so a fault test
 * can act between two events (cut the database after the first token, send SIGTERM while
 * streams are open) and then read how the stream ended.
 */
final class EventStream implements AutoCloseable {

	private static final Object END = new Object();

	private final HttpResponse<Stream<String>> response;

	private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();

	private final List<JsonNode> received = new ArrayList<>();

	private boolean ended;

	private volatile boolean finished;

	private EventStream(HttpResponse<Stream<String>> response) {
		this.response = response;
		Thread.ofVirtual().start(() -> {
			try (Stream<String> lines = response.body()) {
				lines.filter((line) -> line.startsWith("data: "))
					.forEach((line) -> this.events.add(ApiClient.JSON.readTree(line.substring("data: ".length()))));
			}
			catch (RuntimeException ex) {
				// the connection broke: the stream simply ends here
			}
			finally {
				this.finished = true;
				this.events.add(END);
			}
		});
	}

	/** Sends the request and returns once the response headers have arrived. */
	static EventStream open(HttpClient client, String baseUrl, String bearerToken, String jsonBody) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/chat/stream"))
			.header("Content-Type", "application/json")
			.header("Authorization", "Bearer " + bearerToken)
			.timeout(Duration.ofSeconds(60))
			.POST(HttpRequest.BodyPublishers.ofString(jsonBody))
			.build();
		return new EventStream(client.send(request, HttpResponse.BodyHandlers.ofLines()));
	}

	int status() {
		return this.response.statusCode();
	}

	/**
	 * Reads until an event of {@code type}, and returns it; fails if the stream ends
	 * first.
	 */
	JsonNode await(String type, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			JsonNode event = next(deadline);
			if (event == null) {
				throw new AssertionError("stream ended without a " + type + " event: " + this.received);
			}
			if (type.equals(event.get("type").asString())) {
				return event;
			}
		}
	}

	/**
	 * Reads to the end of the stream and returns its last event (the terminal one).
	 * @throws AssertionError when the stream has not ended within {@code timeout}
	 */
	JsonNode last(Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (next(deadline) != null) {
			// keep reading
		}
		if (this.received.isEmpty()) {
			throw new AssertionError("stream had no events");
		}
		return this.received.get(this.received.size() - 1);
	}

	/** Whether the response has ended (whether or not its events were read yet). */
	boolean finished() {
		return this.finished;
	}

	/** Every event read so far. */
	List<JsonNode> received() {
		return List.copyOf(this.received);
	}

	/** The concatenated {@code token} events read so far. */
	String text() {
		StringBuilder text = new StringBuilder();
		for (JsonNode event : this.received) {
			if ("token".equals(event.get("type").asString())) {
				text.append(event.get("token").asString());
			}
		}
		return text.toString();
	}

	private JsonNode next(long deadline) throws InterruptedException {
		if (this.ended) {
			return null;
		}
		Object next = this.events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
		if (next == null) {
			throw new AssertionError("stream still open after the timeout; events so far: " + this.received);
		}
		if (next == END) {
			this.ended = true;
			return null;
		}
		JsonNode event = (JsonNode) next;
		this.received.add(event);
		return event;
	}

	@Override
	public void close() {
		// Closing the body stream closes the connection if the stream is still open.
		this.response.body().close();
	}

}
