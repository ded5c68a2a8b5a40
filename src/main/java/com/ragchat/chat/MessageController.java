package com.ragchat.chat;

import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

import com.ragchat.auth.AuthenticatedUser;
import com.ragchat.platform.ProblemResponses;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Feedback on messages and the sources behind an answer. */
@RestController
class MessageController {

	private final ChatService chat;

	private final ChatJson json;

	MessageController(ChatService chat, ChatJson json) {
		this.chat = chat;
		this.json = json;
	}

	/** Records the caller's feedback on a message, replacing an earlier one. */
	@PostMapping(ChatRoutes.FEEDBACK)
	ChatApi.FeedbackResponse feedback(@AuthenticationPrincipal AuthenticatedUser user,
			@Valid @RequestBody ChatApi.FeedbackRequest request) {
		if ("rating".equals(request.feedbackType()) && request.rating() == null) {
			ProblemDetail problem = ProblemResponses.problem(HttpStatus.UNPROCESSABLE_CONTENT,
					"Invalid request: rating is required when feedback_type is rating.");
			problem.setProperty("errors",
					List.of(Map.of("field", "rating", "message", "is required when feedback_type is rating")));
			throw new ErrorResponseException(HttpStatus.UNPROCESSABLE_CONTENT, problem, null);
		}
		Short rating = (request.rating() != null) ? request.rating().shortValue() : null;
		return ChatApi.FeedbackResponse.of(this.chat.submitFeedback(user.id(), request.messageId(),
				request.feedbackType(), rating, request.comment()));
	}

	/**
	 * The sources and passages an assistant message was grounded in (empty otherwise).
	 */
	@GetMapping(ChatRoutes.MESSAGE_SOURCES)
	ChatApi.SourcesResponse sources(@AuthenticationPrincipal AuthenticatedUser user, @PathVariable long id) {
		ChatService.MessageView message = this.chat.message(user.id(), id);
		JsonNode metadata = this.json.parse(message.metadata());
		return new ChatApi.SourcesResponse(message.id(), array(metadata, "sources"),
				array(metadata, "document_contents"));
	}

	private static JsonNode array(JsonNode metadata, String field) {
		JsonNode value = (metadata != null) ? metadata.get(field) : null;
		return (value != null && value.isArray()) ? value : JsonNodeFactory.instance.arrayNode();
	}

}
