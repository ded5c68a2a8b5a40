package com.ragchat.chat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.ragchat.observability.ChatbotMetrics;
import com.ragchat.rag.Cancellation;
import com.ragchat.rag.ProviderException;
import com.ragchat.rag.RagAnswer;
import com.ragchat.rag.RagListener;
import com.ragchat.rag.RagPipeline;
import com.ragchat.rag.RagQuestion;

import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

/**
 * Answers a turn whose user message is already stored, buffered or streamed, and stores
 * the assistant's answer afterwards. Nothing here holds a database connection while the
 * model works: {@link ChatService} opens a short transaction only to store the answer.
 * <p>
 * A stream has two threads. Generation runs on a virtual thread and puts events on a
 * queue; the request thread writes them as frames, flushing each, and sends a heartbeat
 * comment whenever the queue stays quiet for the heartbeat interval. A write that fails
 * means the client left: the request thread fires the {@link Cancellation}, which stops
 * the model call, and waits for generation to store the partial answer.
 */
@Component
class ChatTurns {

	static final String CONTENT_TYPE = "text/event-stream;charset=UTF-8";

	private static final Logger logger = LoggerFactory.getLogger(ChatTurns.class);

	private static final byte[] HEARTBEAT = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);

	/** Marks the end of a stream's events; always the last element of the queue. */
	private static final Object END = new Object();

	private final RagPipeline pipeline;

	private final ChatService chat;

	private final ChatJson json;

	private final GenerationThreads threads;

	private final ChatProperties properties;

	private final Timer firstTokenLatency;

	ChatTurns(RagPipeline pipeline, ChatService chat, ChatJson json, GenerationThreads threads,
			ChatProperties properties, MeterRegistry meterRegistry) {
		this.pipeline = pipeline;
		this.chat = chat;
		this.json = json;
		this.threads = threads;
		this.properties = properties;
		this.firstTokenLatency = ChatbotMetrics.firstTokenLatency(meterRegistry);
	}

	/**
	 * Generates the whole answer on the calling thread and stores it.
	 * @throws ProviderException when the model or retriever fails; the user message
	 * stays, no assistant message is stored
	 */
	ChatService.MessageView answer(ChatService.Turn turn, ChatApi.ChatRequest request) {
		RagAnswer answer = this.pipeline.answer(question(turn, request), RagListener.ignoring(), Cancellation.none());
		return this.chat.finishTurn(turn.sessionId(), answer.text(), this.json.metadata(answer));
	}

	/**
	 * Streams the answer into {@code response} (API.md §3.4) and returns when the stream
	 * is complete or the client has left.
	 * @param startedNanos when the request arrived, for the first-token metric
	 */
	void stream(ChatService.Turn turn, ChatApi.ChatRequest request, HttpServletResponse response, long startedNanos)
			throws IOException {
		response.setStatus(HttpServletResponse.SC_OK);
		response.setContentType(CONTENT_TYPE);
		response.setHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
		// Tells nginx-style proxies not to buffer the stream.
		response.setHeader("X-Accel-Buffering", "no");
		OutputStream out = response.getOutputStream();

		BlockingQueue<Object> events = new LinkedBlockingQueue<>();
		Cancellation cancellation = new Cancellation();
		RagQuestion question = question(turn, request);
		Thread generation = this.threads.start(() -> generate(turn, question, events, cancellation));
		long heartbeatNanos = this.properties.streamHeartbeatInterval().toNanos();
		boolean tokenSent = false;
		try {
			Object event;
			while ((event = events.poll(heartbeatNanos, TimeUnit.NANOSECONDS)) != END) {
				out.write((event != null) ? this.json.frame(event) : HEARTBEAT);
				out.flush();
				if (!tokenSent && event instanceof StreamEvents.Token) {
					tokenSent = true;
					this.firstTokenLatency.record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
				}
			}
		}
		catch (IOException ex) {
			logger.info("Client left the stream of session {}; stopping generation", turn.sessionId());
			cancellation.cancel();
			awaitGeneration(generation);
		}
		catch (InterruptedException ex) {
			cancellation.cancel();
			Thread.currentThread().interrupt();
		}
	}

	private void generate(ChatService.Turn turn, RagQuestion question, BlockingQueue<Object> events,
			Cancellation cancellation) {
		try {
			RagAnswer answer = this.pipeline.answer(question, new RagListener() {

				@Override
				public void onStatus(String message) {
					events.add(new StreamEvents.Status(message));
				}

				@Override
				public void onToken(String token) {
					events.add(new StreamEvents.Token(token));
				}

			}, cancellation);
			if (answer.interrupted() && answer.text().isEmpty()) {
				// The client left before the model said anything: nothing to keep.
				events.add(new StreamEvents.Error("interrupted"));
				return;
			}
			ChatService.MessageView assistant = this.chat.finishTurn(turn.sessionId(), answer.text(),
					this.json.metadata(answer));
			events.add(new StreamEvents.Done("done", turn.sessionId(), answer.sources(), answer.passages(),
					answer.sourceKind(), answer.disclaimer(), turn.userMessage().id(), assistant.id(), turn.title()));
		}
		catch (ProviderException ex) {
			logger.warn("Stream of session {} failed: {} {} {}: {}", turn.sessionId(), ex.provider(), ex.operation(),
					ex.kind().reason(), ex.getMessage());
			events.add(new StreamEvents.Error(ex.kind().reason()));
		}
		catch (RuntimeException ex) {
			logger.error("Stream of session {} failed", turn.sessionId(), ex);
			events.add(new StreamEvents.Error("internal_error"));
		}
		finally {
			events.add(END);
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

	private static RagQuestion question(ChatService.Turn turn, ChatApi.ChatRequest request) {
		return new RagQuestion(request.content(), turn.history(), request.sourceKind());
	}

}
