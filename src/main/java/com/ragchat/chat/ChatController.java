package com.ragchat.chat;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;

import com.ragchat.auth.AuthenticatedUser;
import com.ragchat.observability.RequestTiming;
import com.ragchat.rag.RagPipeline;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Asking questions: buffered ({@code /chat}, {@code /sessions/{id}/messages}) and
 * streamed ({@code /stream}). Every refusal (validation, web mode off, missing or foreign
 * session) happens before anything is stored and before a stream starts, so it is an
 * ordinary problem response. Provider failures of the buffered routes are mapped by
 * {@link ChatProblemAdvice}.
 */
@RestController
class ChatController {

	static final String WEB_DISABLED = "Web research is not enabled on this server";

	private final ChatService chat;

	private final ChatTurns turns;

	private final ChatJson json;

	private final RagPipeline pipeline;

	ChatController(ChatService chat, ChatTurns turns, ChatJson json, RagPipeline pipeline) {
		this.chat = chat;
		this.turns = turns;
		this.json = json;
		this.pipeline = pipeline;
	}

	@PostMapping(ChatRoutes.CHAT)
	ChatApi.ChatResponse chat(@AuthenticationPrincipal AuthenticatedUser user,
			@Valid @RequestBody ChatApi.ChatRequest request) {
		requireResearchMode(request);
		ChatService.Turn turn = this.chat.beginTurn(user.id(), request.sessionId(), request.content());
		ChatService.MessageView assistant = this.turns.answer(turn, request);
		return new ChatApi.ChatResponse(turn.sessionId(), this.json.message(turn.userMessage()),
				this.json.message(assistant));
	}

	@PostMapping(ChatRoutes.SESSION_MESSAGES)
	ChatApi.TurnResponse sessionMessage(@AuthenticationPrincipal AuthenticatedUser user, @PathVariable long id,
			@Valid @RequestBody ChatApi.ChatRequest request) {
		requireResearchMode(request);
		if (id <= 0) {
			// 0 would mean "new session" to beginTurn; in a path it names no session.
			throw new ChatRefusals.SessionNotFound();
		}
		ChatService.Turn turn = this.chat.beginTurn(user.id(), id, request.content());
		ChatService.MessageView assistant = this.turns.answer(turn, request);
		return new ChatApi.TurnResponse(this.json.message(turn.userMessage()), this.json.message(assistant));
	}

	@PostMapping(ChatRoutes.STREAM)
	void stream(@AuthenticationPrincipal AuthenticatedUser user, @Valid @RequestBody ChatApi.ChatRequest request,
			HttpServletRequest servletRequest, HttpServletResponse response) throws IOException {
		long started = RequestTiming.startNanos(servletRequest);
		requireResearchMode(request);
		ChatService.Turn turn = this.chat.beginTurn(user.id(), request.sessionId(), request.content());
		this.turns.stream(turn, request, servletRequest, response, started);
	}

	/**
	 * Refuses a question that cannot be answered now, before anything is stored: web mode
	 * when it is off (400), and any question while the model's circuit is open (503 with
	 * {@code Retry-After}); {@link ChatProblemAdvice} writes both. A stream is so refused
	 * with a plain problem instead of starting and failing, and a client's retry stores
	 * no duplicate question.
	 */
	private void requireResearchMode(ChatApi.ChatRequest request) {
		this.pipeline.ensureAvailable(request.sourceKind());
	}

}
