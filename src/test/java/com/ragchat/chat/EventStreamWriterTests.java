package com.ragchat.chat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.ServletOutputStream;
import org.junit.jupiter.api.Test;

import com.ragchat.observability.ChatbotMetrics;

import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stream transport on its own, with a frame format that is not the chat stream's (as
 * another streaming API would bring): frames in order, the first-token metric, a producer
 * that fails still ends the stream, and a client that leaves cancels the producer.
 */
class EventStreamWriterTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final EventStreamWriter writer = new EventStreamWriter(new GenerationThreads(),
			new ChatProperties(Duration.ofSeconds(30), Duration.ofSeconds(30)), this.registry);

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

		this.writer.stream(response, EventStreamWriterTests::plainFrame, System.nanoTime(), "test", (events, c) -> {
			events.accept(new StreamEvent.Status("working"));
			events.accept(new StreamEvent.Token("Hel"));
			events.accept(new StreamEvent.Token("lo"));
			events.accept(new StreamEvent.Error("other"));
			events.accept(new StreamEvent.Token("after the end"));
		});

		assertThat(response.getContentType()).isEqualTo(EventStreamWriter.CONTENT_TYPE);
		assertThat(response.getHeader("Cache-Control")).isEqualTo("no-cache");
		assertThat(response.getContentAsString()).isEqualTo("data: Hel\n\ndata: lo\n\ndata: error other\n\n");
		assertThat(ChatbotMetrics.firstTokenLatency(this.registry).count()).isEqualTo(1);
	}

	@Test
	void aProducerThatFailsStillEndsTheStream() throws IOException {
		MockHttpServletResponse response = new MockHttpServletResponse();

		this.writer.stream(response, EventStreamWriterTests::plainFrame, System.nanoTime(), "test", (events, c) -> {
			events.accept(new StreamEvent.Token("partial"));
			throw new IllegalStateException("expected in this test");
		});

		assertThat(response.getContentAsString()).isEqualTo("data: partial\n\ndata: error internal_error\n\n");
	}

	@Test
	void aClientThatLeavesCancelsTheProducerAndTheWriterWaitsForIt() throws Exception {
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
		boolean[] finished = { false };

		this.writer.stream(response, EventStreamWriterTests::plainFrame, System.nanoTime(), "test", (events, c) -> {
			c.onCancel(cancelled::countDown);
			events.accept(new StreamEvent.Token("one"));
			try {
				// Stands for a model call that stops when cancelled.
				cancelled.await(30, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			finished[0] = true;
		});

		assertThat(cancelled.getCount()).isZero();
		assertThat(finished[0]).as("the writer waited for the producer").isTrue();
	}

}
