package com.ragchat.chat;

import java.io.IOException;
import java.util.function.Consumer;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.ragchat.rag.Cancellation;
import com.ragchat.rag.ProviderException;
import com.ragchat.rag.RagAnswer;
import com.ragchat.rag.RagListener;
import com.ragchat.rag.RagPipeline;
import com.ragchat.rag.RagQuestion;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Answers a turn whose user message is already stored, buffered or streamed, and stores
 * the assistant's answer afterwards. Nothing here holds a database connection while the
 * model works: {@link ChatService} opens a short transaction only to store the answer. A
 * stream's transport (one thread, heartbeats, cancellation when the client leaves, the
 * first-token metric) is the {@link EventStreamWriter}'s; here is what the chat stream
 * says.
 */
@Component
class ChatTurns {

	private static final Logger logger = LoggerFactory.getLogger(ChatTurns.class);

	private final RagPipeline pipeline;

	private final ChatService chat;

	private final ChatJson json;

	private final EventStreamWriter writer;

	private final TurnSpans spans;

	ChatTurns(RagPipeline pipeline, ChatService chat, ChatJson json, EventStreamWriter writer,
			ObjectProvider<Tracer> tracers) {
		this.pipeline = pipeline;
		this.chat = chat;
		this.json = json;
		this.writer = writer;
		this.spans = new TurnSpans(tracers.getIfAvailable(() -> Tracer.NOOP));
	}

	/**
	 * Generates the whole answer on the calling thread and stores it.
	 * @throws ProviderException when the model or retriever fails; the user message
	 * stays, no assistant message is stored
	 */
	ChatService.MessageView answer(ChatService.Turn turn, ChatApi.ChatRequest request) {
		Span span = this.spans.start("chat", turn.sessionId(), turn.userId(), request.sourceKind(), false);
		return this.spans.run(span, () -> {
			RagAnswer answer = this.pipeline.answer(question(turn, request), RagListener.ignoring(),
					Cancellation.none());
			return this.chat.finishTurn(turn.sessionId(), answer.text(), this.json.metadata(answer));
		});
	}

	/**
	 * Starts streaming the answer into {@code response} in the chat stream's frames
	 * (API.md §3.4) and returns; the request stays open until the stream ends.
	 * @param startedNanos when the request arrived, for the first-token metric
	 */
	void stream(ChatService.Turn turn, ChatApi.ChatRequest request, HttpServletRequest servletRequest,
			HttpServletResponse response, long startedNanos) throws IOException {
		RagQuestion question = question(turn, request);
		// Started here, under the request's span; ended when the stream ends.
		Span span = this.spans.start("chat", turn.sessionId(), turn.userId(), request.sourceKind(), true);
		this.writer.stream(servletRequest, response, this.json::frame, startedNanos, "session " + turn.sessionId(),
				(events, cancellation) -> this.spans.runStream(span, cancellation,
						() -> generate(turn, question, events, cancellation)));
	}

	/**
	 * On the generation thread: status and tokens as the pipeline goes, then the stored
	 * answer's {@code done} event, or an {@code error} event.
	 */
	private void generate(ChatService.Turn turn, RagQuestion question, Consumer<StreamEvent> events,
			Cancellation cancellation) {
		try {
			RagAnswer answer = this.pipeline.answer(question, new RagListener() {

				@Override
				public void onStatus(String message) {
					events.accept(new StreamEvent.Status(message));
				}

				@Override
				public void onToken(String token) {
					events.accept(new StreamEvent.Token(token));
				}

			}, cancellation);
			if (answer.interrupted() && answer.text().isEmpty()) {
				// The client left before the model said anything: nothing to keep.
				events.accept(new StreamEvent.Error("interrupted"));
				return;
			}
			ChatService.MessageView assistant = this.chat.finishTurn(turn.sessionId(), answer.text(),
					this.json.metadata(answer));
			events.accept(new StreamEvent.Done("done", turn.sessionId(), answer.sources(), answer.passages(),
					answer.sourceKind(), answer.disclaimer(), turn.userMessage().id(), assistant.id(), turn.title()));
		}
		catch (ProviderException ex) {
			logger.warn("Stream of session {} failed: {} {} {}: {}", turn.sessionId(), ex.provider(), ex.operation(),
					ex.kind().reason(), ex.getMessage());
			events.accept(new StreamEvent.Error(ex.kind().reason()));
		}
		catch (RuntimeException ex) {
			logger.error("Stream of session {} failed", turn.sessionId(), ex);
			events.accept(new StreamEvent.Error("internal_error"));
		}
	}

	private static RagQuestion question(ChatService.Turn turn, ChatApi.ChatRequest request) {
		return new RagQuestion(request.content(), turn.history(), request.sourceKind()).forTenant(turn.tenantId());
	}

}
