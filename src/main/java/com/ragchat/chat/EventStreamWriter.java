package com.ragchat.chat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import com.ragchat.observability.ChatbotMetrics;
import com.ragchat.rag.Cancellation;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

/**
 * The transport of a streamed answer as server-sent events, whatever produces the events
 * and whatever their frames look like (a {@link Format}: the chat stream's JSON frames,
 * or another API's).
 * <p>
 * A stream holds one thread: the request is put in asynchronous mode and the request
 * thread returns at once; the {@link Producer} runs on a generation thread and writes
 * each event's frame itself, flushing it, and records the time to the first token. A
 * shared timer checks every stream once per heartbeat interval and sends a heartbeat
 * comment (from a short-lived virtual thread, so that a slow client blocks nobody else)
 * to a stream that has been silent for the interval. Writes of a stream are serialised by
 * its own lock, and nothing is written after the final event. A write that fails means
 * the client left: the {@link Cancellation} fires, which stops the model call, and the
 * request completes when the producer has finished (so that what it stores is stored
 * before the request ends), or after {@code STREAM_CANCEL_TIMEOUT} if it does not stop.
 */
@Component
public class EventStreamWriter implements DisposableBean {

	static final String CONTENT_TYPE = "text/event-stream;charset=UTF-8";

	private static final Logger logger = LoggerFactory.getLogger(EventStreamWriter.class);

	private static final byte[] HEARTBEAT = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);

	private final GenerationThreads threads;

	private final ChatProperties properties;

	private final Timer firstTokenLatency;

	private final ScheduledThreadPoolExecutor timer;

	EventStreamWriter(GenerationThreads threads, ChatProperties properties, MeterRegistry meterRegistry) {
		this.threads = threads;
		this.properties = properties;
		this.firstTokenLatency = ChatbotMetrics.firstTokenLatency(meterRegistry);
		this.timer = new ScheduledThreadPoolExecutor(1,
				Thread.ofPlatform().name("stream-heartbeats").daemon(true).factory());
		// A finished stream's pending check leaves the queue at once.
		this.timer.setRemoveOnCancelPolicy(true);
	}

	/**
	 * Starts streaming what {@code producer} emits into {@code response} and returns at
	 * once: the request stays open (asynchronous) until the final event is written, or
	 * until the producer has stopped after the client left.
	 * @param startedNanos when the request arrived, for the first-token metric
	 * @param subject what is streamed, for the log (e.g. {@code session 12})
	 */
	public void stream(HttpServletRequest request, HttpServletResponse response, Format format, long startedNanos,
			String subject, Producer producer) throws IOException {
		response.setStatus(HttpServletResponse.SC_OK);
		response.setContentType(CONTENT_TYPE);
		response.setHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
		// Tells nginx-style proxies not to buffer the stream.
		response.setHeader("X-Accel-Buffering", "no");
		// Status and headers are sent here, on the request thread, so that nothing the
		// filters do on their way out races the generation thread's first write.
		response.flushBuffer();
		OutputStream out = response.getOutputStream();
		AsyncContext async = request.startAsync(request, response);
		// No container timeout: the producer's own timeouts end a stream, and the
		// heartbeats reveal a client that left.
		async.setTimeout(0);
		Stream stream = new Stream(async, out, format, startedNanos, subject);
		async.addListener(stream);
		stream.scheduleCheck(this.properties.streamHeartbeatInterval().toNanos());
		this.threads.start(() -> stream.produce(producer));
	}

	@Override
	public void destroy() {
		this.timer.shutdownNow();
	}

	/**
	 * Runs {@code task} on the shared timer after {@code delayNanos}; null once the timer
	 * has stopped (the application is shutting down and a stream outlived the grace
	 * period): the stream then goes on without heartbeats.
	 */
	private @Nullable ScheduledFuture<?> later(Runnable task, long delayNanos) {
		try {
			return this.timer.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			return null;
		}
	}

	/** One stream's state: its output, its lock, its heartbeat check and its end. */
	private final class Stream implements AsyncListener {

		private final AsyncContext async;

		private final OutputStream out;

		private final Format format;

		private final long startedNanos;

		private final String subject;

		private final @Nullable Map<String, String> logContext = MDC.getCopyOfContextMap();

		private final Cancellation cancellation = new Cancellation();

		private final ReentrantLock lock = new ReentrantLock();

		private final AtomicBoolean completed = new AtomicBoolean();

		private final AtomicBoolean clientLeft = new AtomicBoolean();

		/** Set under the lock: no write after the final event or a failed write. */
		private boolean closed;

		/** Only the generation thread reads and writes these two. */
		private boolean ended;

		private boolean tokenSent;

		private volatile long lastWriteNanos = System.nanoTime();

		private @Nullable ScheduledFuture<?> check;

		Stream(AsyncContext async, OutputStream out, Format format, long startedNanos, String subject) {
			this.async = async;
			this.out = out;
			this.format = format;
			this.startedNanos = startedNanos;
			this.subject = subject;
		}

		/**
		 * On the generation thread: runs the producer and makes sure the stream ends; a
		 * producer that returns or throws without a final event ends it with an
		 * {@code internal_error}.
		 */
		void produce(Producer producer) {
			try {
				producer.produce(this::emit, this.cancellation);
			}
			catch (RuntimeException ex) {
				logger.error("Stream producer failed", ex);
			}
			finally {
				emit(new StreamEvent.Error("internal_error"));
				close();
				complete();
			}
		}

		/**
		 * The producer's sink: writes the event's frame; events after the final one are
		 * dropped.
		 */
		private void emit(StreamEvent event) {
			if (this.ended) {
				return;
			}
			this.ended = event.ends();
			boolean written = write(this.format.frame(event));
			if (written && !this.tokenSent && event instanceof StreamEvent.Token) {
				this.tokenSent = true;
				EventStreamWriter.this.firstTokenLatency.record(System.nanoTime() - this.startedNanos,
						TimeUnit.NANOSECONDS);
			}
			if (this.ended) {
				// The answer is complete: the request ends now, whatever the producer
				// still does.
				close();
				complete();
			}
		}

		/**
		 * Writes and flushes {@code bytes}; false when the stream is closed or the client
		 * left.
		 */
		private boolean write(byte[] bytes) {
			boolean left = false;
			this.lock.lock();
			try {
				if (this.closed) {
					return false;
				}
				try {
					this.out.write(bytes);
					this.out.flush();
					this.lastWriteNanos = System.nanoTime();
					return true;
				}
				catch (IOException | RuntimeException ex) {
					// IOException: the client left; a runtime exception: the container
					// has already given the response up.
					this.closed = true;
					left = true;
					return false;
				}
			}
			finally {
				this.lock.unlock();
				if (left) {
					clientLeft();
				}
			}
		}

		/**
		 * On the shared timer: sends a heartbeat when the stream has been silent for the
		 * interval, and checks again when the interval has passed since its last write.
		 */
		private void check() {
			long interval = EventStreamWriter.this.properties.streamHeartbeatInterval().toNanos();
			long silent = System.nanoTime() - this.lastWriteNanos;
			if (silent >= interval) {
				Thread.ofVirtual().name("stream-heartbeat").start(this::heartbeat);
				scheduleCheck(interval);
			}
			else {
				scheduleCheck(interval - silent);
			}
		}

		private void heartbeat() {
			if (this.logContext != null) {
				MDC.setContextMap(this.logContext);
			}
			try {
				write(HEARTBEAT);
			}
			finally {
				MDC.clear();
			}
		}

		void scheduleCheck(long delayNanos) {
			this.lock.lock();
			try {
				if (!this.closed) {
					this.check = later(this::check, delayNanos);
				}
			}
			finally {
				this.lock.unlock();
			}
		}

		/** No more writes, no more heartbeats. */
		private void close() {
			this.lock.lock();
			try {
				this.closed = true;
				if (this.check != null) {
					this.check.cancel(false);
					this.check = null;
				}
			}
			finally {
				this.lock.unlock();
			}
		}

		private void clientLeft() {
			close();
			if (!this.clientLeft.compareAndSet(false, true)) {
				return;
			}
			logger.info("Client left the stream of {}; stopping generation", this.subject);
			this.cancellation.cancel();
			// The request ends when the producer has stopped (produce's finally), or
			// after the cancel timeout if it does not.
			Duration timeout = EventStreamWriter.this.properties.streamCancelTimeout();
			later(() -> {
				if (!this.completed.get()) {
					logger.warn("Generation of {} did not stop within {} after its client left", this.subject, timeout);
					complete();
				}
			}, timeout.toNanos());
		}

		private void complete() {
			if (this.completed.compareAndSet(false, true)) {
				try {
					this.async.complete();
				}
				catch (IllegalStateException ex) {
					// The container has already ended the request (an error it saw).
				}
			}
		}

		@Override
		public void onComplete(AsyncEvent event) {
			this.completed.set(true);
			close();
		}

		@Override
		public void onTimeout(AsyncEvent event) {
			// No timeout is set.
		}

		@Override
		public void onError(AsyncEvent event) {
			// The container saw the connection fail: as if a write had failed.
			clientLeft();
		}

		@Override
		public void onStartAsync(AsyncEvent event) {
			// Not restarted.
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
