package com.ragchat.chat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.ServletOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.ragchat.observability.ChatbotMetrics;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.awaitility.Awaitility.await;

/**
 * The stream transport on its own, with a frame format that is not the chat stream's (as
 * another streaming API would bring): frames in order, the first-token metric, a producer
 * that fails still ends the stream, a client that leaves cancels the producer, the
 * request thread is free while the producer works, and silence is filled with heartbeats.
 */
class EventStreamWriterTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final EventStreamWriter writer = new EventStreamWriter(new GenerationThreads(),
			new ChatProperties(Duration.ofSeconds(30), Duration.ofSeconds(30)), this.registry);

	private final MockHttpServletRequest request = asyncRequest();

	@AfterEach
	void stopTimer() {
		this.writer.destroy();
	}

	private static MockHttpServletRequest asyncRequest() {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/chat/stream");
		request.setAsyncSupported(true);
		return request;
	}

	/** Waits until the stream has completed its request. */
	private static void awaitCompleted(MockHttpServletRequest request) {
		await().atMost(Duration.ofSeconds(10)).until(() -> !request.isAsyncStarted());
	}

	/** A different wire format: tokens as plain data lines, and a closing marker. */
	private static byte[] plainFrame(StreamEvent event) {
		String data = switch (event) {
			case StreamEvent.Status status -> "";
			case StreamEvent.Token token -> "data: " + token.token() + "\n\n";
			case StreamEvent.Done done -> "data: [DONE]\n\n";
			case StreamEvent.Answered answered -> "data: [DONE]\n\n";
			case StreamEvent.Error error -> "data: error " + error.code() + "\n\n";
		};
		return data.getBytes(StandardCharsets.UTF_8);
	}

	@Test
	void writesTheProducersEventsInTheGivenFormatUntilTheFinalOne() throws IOException {
		MockHttpServletResponse response = new MockHttpServletResponse();

		this.writer.stream(this.request, response, EventStreamWriterTests::plainFrame, System.nanoTime(), "test",
				(events, c) -> {
					events.accept(new StreamEvent.Status("working"));
					events.accept(new StreamEvent.Token("Hel"));
					events.accept(new StreamEvent.Token("lo"));
					events.accept(new StreamEvent.Error("other"));
					events.accept(new StreamEvent.Token("after the end"));
				});
		awaitCompleted(this.request);

		assertThat(response.getContentType()).isEqualTo(EventStreamWriter.CONTENT_TYPE);
		assertThat(response.getHeader("Cache-Control")).isEqualTo("no-cache");
		assertThat(response.getContentAsString()).isEqualTo("data: Hel\n\ndata: lo\n\ndata: error other\n\n");
		assertThat(ChatbotMetrics.firstTokenLatency(this.registry).count()).isEqualTo(1);
	}

	@Test
	void aProducerThatFailsStillEndsTheStream() throws IOException {
		MockHttpServletResponse response = new MockHttpServletResponse();

		this.writer.stream(this.request, response, EventStreamWriterTests::plainFrame, System.nanoTime(), "test",
				(events, c) -> {
					events.accept(new StreamEvent.Token("partial"));
					throw new IllegalStateException("expected in this test");
				});
		awaitCompleted(this.request);

		assertThat(response.getContentAsString()).isEqualTo("data: partial\n\ndata: error internal_error\n\n");
	}

	@Test
	void aClientThatLeavesCancelsTheProducerAndTheRequestEndsAfterIt() throws Exception {
		MockHttpServletResponse response = new MockHttpServletResponse() {

			@Override
			public ServletOutputStream getOutputStream() {
				return new ServletOutputStream() {

					@Override
					public boolean isReady() {
						return true;
					}

					@Override
					public void setWriteListener(jakarta.servlet.WriteListener listener) {
					}

					@Override
					public void write(int b) throws IOException {
						throw new IOException("client left");
					}

					@Override
					public void write(byte[] b, int off, int len) throws IOException {
						throw new IOException("client left");
					}

				};
			}

		};
		CountDownLatch cancelled = new CountDownLatch(1);
		AtomicBoolean finished = new AtomicBoolean();
		AtomicBoolean completedBeforeFinished = new AtomicBoolean();

		this.writer.stream(this.request, response, EventStreamWriterTests::plainFrame, System.nanoTime(), "test",
				(events, c) -> {
					c.onCancel(cancelled::countDown);
					events.accept(new StreamEvent.Token("one"));
					try {
						// Stands for a model call that stops when cancelled.
						cancelled.await(30, TimeUnit.SECONDS);
						// Storing the partial answer takes a moment: the request must
						// not complete before it is done.
						Thread.sleep(100);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
					completedBeforeFinished.set(!this.request.isAsyncStarted());
					finished.set(true);
				});
		awaitCompleted(this.request);

		assertThat(cancelled.getCount()).isZero();
		assertThat(finished).as("the producer finished").isTrue();
		assertThat(completedBeforeFinished).as("the request completed before the producer finished").isFalse();
	}

	@Test
	void theRequestThreadReturnsWhileTheProducerWorks() throws Exception {
		MockHttpServletResponse response = new MockHttpServletResponse();
		CountDownLatch release = new CountDownLatch(1);

		this.writer.stream(this.request, response, EventStreamWriterTests::plainFrame, System.nanoTime(), "test",
				(events, c) -> {
					events.accept(new StreamEvent.Token("first"));
					try {
						release.await(10, TimeUnit.SECONDS);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
					events.accept(new StreamEvent.Error("other"));
				});

		// stream() has returned while the producer waits: the request is asynchronous,
		// its headers are sent, and it is still open.
		assertThat(this.request.isAsyncStarted()).isTrue();
		assertThat(response.isCommitted()).isTrue();
		assertThat(response.getContentType()).isEqualTo(EventStreamWriter.CONTENT_TYPE);
		await().atMost(Duration.ofSeconds(5)).until(() -> response.getContentAsString().equals("data: first\n\n"));
		release.countDown();
		awaitCompleted(this.request);
		assertThat(response.getContentAsString()).isEqualTo("data: first\n\ndata: error other\n\n");
	}

	@Test
	void aSilentStreamGetsHeartbeatsAndNoneAfterItsEnd() throws Exception {
		EventStreamWriter quick = new EventStreamWriter(new GenerationThreads(),
				new ChatProperties(Duration.ofMillis(30), Duration.ofSeconds(30)), this.registry);
		try {
			MockHttpServletResponse response = new MockHttpServletResponse();
			quick.stream(this.request, response, EventStreamWriterTests::plainFrame, System.nanoTime(), "test",
					(events, c) -> {
						events.accept(new StreamEvent.Token("a"));
						sleep(400);
						events.accept(new StreamEvent.Token("b"));
						events.accept(new StreamEvent.Error("other"));
					});
			awaitCompleted(this.request);
			String written = response.getContentAsString();
			// Heartbeats only as comments between frames, none after the final event,
			// and at least a few of the ~13 that fit into the silent 400 ms.
			assertThat(written.replace(": keep-alive\n\n", ""))
				.isEqualTo("data: a\n\ndata: b\n\ndata: error other\n\n");
			String silence = written.substring(written.indexOf("data: a"), written.indexOf("data: b"));
			assertThat(silence.split(": keep-alive", -1).length - 1).isGreaterThanOrEqualTo(3);
			sleep(200);
			assertThat(response.getContentAsString()).as("nothing written after the final event").isEqualTo(written);
		}
		finally {
			quick.destroy();
		}
	}

	@Test
	void aStreamStillEndsWhenTheHeartbeatTimerHasStopped() throws IOException {
		// As when the application shuts down while a stream outlives the grace period.
		this.writer.destroy();
		MockHttpServletResponse response = new MockHttpServletResponse();

		assertThatNoException().isThrownBy(() -> this.writer.stream(this.request, response,
				EventStreamWriterTests::plainFrame, System.nanoTime(), "test", (events, c) -> {
					events.accept(new StreamEvent.Token("late"));
					events.accept(new StreamEvent.Error("other"));
				}));
		awaitCompleted(this.request);
		assertThat(response.getContentAsString()).isEqualTo("data: late\n\ndata: error other\n\n");
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
