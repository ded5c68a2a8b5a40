package com.ragchat.chat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.ragchat.observability.ChatbotMetrics;
import com.ragchat.rag.Cancellation;

import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

/**
 * The transport of a streamed answer as server-sent events, whatever produces the events
 * and whatever their frames look like (a {@link Format}: the chat stream's JSON frames,
 * or another API's).
 * <p>
 * A stream has two threads. The {@link Producer} runs on a generation thread and puts
 * {@link StreamEvent}s on a queue; the request thread writes each as a frame, flushing
 * it, sends a heartbeat comment whenever the queue stays quiet for the heartbeat
 * interval, records the time to the first token, and returns after the final event. A
 * write that fails means the client left: the request thread fires the
 * {@link Cancellation}, which stops the model call, and waits (bounded) for the producer
 * to finish, so that what it stores is stored before the request ends.
 */
@Component
public class EventStreamWriter {

	static final String CONTENT_TYPE = "text/event-stream;charset=UTF-8";

	private static final Logger logger = LoggerFactory.getLogger(EventStreamWriter.class);

	private static final byte[] HEARTBEAT = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);

	private final GenerationThreads threads;

	private final ChatProperties properties;

	private final Timer firstTokenLatency;

	EventStreamWriter(GenerationThreads threads, ChatProperties properties, MeterRegistry meterRegistry) {
		this.threads = threads;
		this.properties = properties;
		this.firstTokenLatency = ChatbotMetrics.firstTokenLatency(meterRegistry);
	}

	/**
	 * Streams what {@code producer} emits into {@code response} and returns when the
	 * final event is written or the client has left.
	 * @param startedNanos when the request arrived, for the first-token metric
	 * @param subject what is streamed, for the log (e.g. {@code session 12})
	 */
	public void stream(HttpServletResponse response, Format format, long startedNanos, String subject,
			Producer producer) throws IOException {
		response.setStatus(HttpServletResponse.SC_OK);
		response.setContentType(CONTENT_TYPE);
		response.setHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
		// Tells nginx-style proxies not to buffer the stream.
		response.setHeader("X-Accel-Buffering", "no");
		OutputStream out = response.getOutputStream();

		BlockingQueue<StreamEvent> events = new LinkedBlockingQueue<>();
		Cancellation cancellation = new Cancellation();
		Thread generation = this.threads.start(() -> produce(producer, events, cancellation));
		long heartbeatNanos = this.properties.streamHeartbeatInterval().toNanos();
		boolean tokenSent = false;
		try {
			while (true) {
				StreamEvent event = events.poll(heartbeatNanos, TimeUnit.NANOSECONDS);
				out.write((event != null) ? format.frame(event) : HEARTBEAT);
				out.flush();
				if (event == null) {
					continue;
				}
				if (!tokenSent && event instanceof StreamEvent.Token) {
					tokenSent = true;
					this.firstTokenLatency.record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
				}
				if (event.ends()) {
					return;
				}
			}
		}
		catch (IOException ex) {
			logger.info("Client left the stream of {}; stopping generation", subject);
			cancellation.cancel();
			awaitGeneration(generation);
		}
		catch (InterruptedException ex) {
			cancellation.cancel();
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Runs the producer and makes sure the stream ends: a producer that returns or throws
	 * without a final event ends it with an {@code internal_error}.
	 */
	private static void produce(Producer producer, BlockingQueue<StreamEvent> events, Cancellation cancellation) {
		boolean[] ended = { false };
		Consumer<StreamEvent> sink = (event) -> {
			if (!ended[0]) {
				ended[0] = event.ends();
				events.add(event);
			}
		};
		try {
			producer.produce(sink, cancellation);
		}
		catch (RuntimeException ex) {
			logger.error("Stream producer failed", ex);
		}
		finally {
			sink.accept(new StreamEvent.Error("internal_error"));
		}
	}

	private void awaitGeneration(Thread generation) {
		try {
			if (!generation.join(this.properties.streamCancelTimeout())) {
				logger.warn("Generation did not stop within {} after its client left",
						this.properties.streamCancelTimeout());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Produces a stream's events on the generation thread, ending with one final event
	 * ({@link StreamEvent#ends()}); events after it are dropped. Stops early, with what
	 * it has, when {@code cancellation} fires.
	 */
	@FunctionalInterface
	public interface Producer {

		void produce(Consumer<StreamEvent> events, Cancellation cancellation);

	}

	/**
	 * How an event is written: the bytes of its frame, e.g. {@code data: {…}\n\n}. Not
	 * called for heartbeats, which are SSE comments in every format.
	 */
	@FunctionalInterface
	public interface Format {

		byte[] frame(StreamEvent event);

	}

}
