package com.ragchat.chat;

import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import com.ragchat.rag.Passage;
import com.ragchat.rag.Source;
import com.ragchat.rag.SourceKind;

/**
 * The JSON bodies of {@code /api/chat} (API.md §3.3). Field order follows the contract;
 * the global naming strategy writes the keys in snake_case.
 */
final class ChatApi {

	/**
	 * PostgreSQL cannot store U+0000 in text, and an unpaired surrogate (the JSON escape
	 * of half a surrogate pair) is not text at all: the driver would store {@code ?} in
	 * its place. Both are refused as invalid input, not stored changed or failed with a
	 * 500. (A surrogate pair is one code point outside the range, so emoji pass.)
	 */
	static final String NO_NUL = "[^\\x00\\uD800-\\uDFFF]*";

	static final String NO_NUL_MESSAGE = "must not contain NUL characters or unpaired surrogates";

	private ChatApi() {
	}

	/**
	 * A chat request.
	 *
	 * @param content the user's message
	 * @param sessionId the session to continue; null or 0 starts a new one
	 * @param researchMode {@code kb} (default) or {@code web}
	 */
	record ChatRequest(
			@NotBlank @Size(max = 8000, message = "must be at most 8000 characters") @Pattern(regexp = NO_NUL,
					message = NO_NUL_MESSAGE) String content,
			@Nullable Long sessionId,
			@Pattern(regexp = "kb|web", message = "must be \"kb\" or \"web\"") @Nullable String researchMode) {

		SourceKind sourceKind() {
			return "web".equals(this.researchMode) ? SourceKind.WEB : SourceKind.KB;
		}

	}

	record CreateSessionRequest(
			@NotBlank @Size(max = 200, message = "must be at most 200 characters") @Pattern(regexp = NO_NUL,
					message = NO_NUL_MESSAGE) String title,
			@Size(max = 100, message = "must be at most 100 characters") @Pattern(regexp = NO_NUL,
					message = NO_NUL_MESSAGE) @Nullable String tenantId) {
	}

	record RenameSessionRequest(@NotBlank @Size(max = 200, message = "must be at most 200 characters") @Pattern(
			regexp = NO_NUL, message = NO_NUL_MESSAGE) String title) {
	}

	record FeedbackRequest(@NotNull Long messageId,
			@NotNull @Pattern(regexp = "thumbs_up|thumbs_down|rating",
					message = "must be \"thumbs_up\", \"thumbs_down\" or \"rating\"") String feedbackType,
			@Min(1) @Max(5) @Nullable Integer rating,
			@Size(max = 2000, message = "must be at most 2000 characters") @Pattern(regexp = NO_NUL,
					message = NO_NUL_MESSAGE) @Nullable String comment) {
	}

	record SessionResponse(long id, String title, String createdAt, String updatedAt) {

		static SessionResponse of(ChatService.SessionView session) {
			return new SessionResponse(session.id(), session.title(), Timestamps.format(session.createdAt()),
					Timestamps.format(session.updatedAt()));
		}

	}

	record SessionWithMessagesResponse(long id, String title, String createdAt, String updatedAt,
			List<MessageResponse> messages) {
	}

	record MessageResponse(long id, String content, String role, @Nullable JsonNode metadata, String createdAt) {
	}

	record ChatResponse(long sessionId, MessageResponse userMessage, MessageResponse assistantMessage) {
	}

	record TurnResponse(MessageResponse userMessage, MessageResponse assistantMessage) {
	}

	record DeletedResponse(String message) {
	}

	record FeedbackResponse(long id, long messageId, long userId, String feedbackType, @Nullable Integer rating,
			@Nullable String comment, @Nullable String runId, String createdAt) {

		static FeedbackResponse of(ChatService.FeedbackView feedback) {
			return new FeedbackResponse(feedback.id(), feedback.messageId(), feedback.userId(), feedback.feedbackType(),
					(feedback.rating() != null) ? feedback.rating().intValue() : null, feedback.comment(), null,
					Timestamps.format(feedback.createdAt()));
		}

	}

	record SourcesResponse(long messageId, JsonNode sources, JsonNode documentContents) {
	}

	/**
	 * What an assistant message's {@code metadata} holds.
	 *
	 * @param interrupted present (true) only when the client left before the answer was
	 * complete
	 */
	record AssistantMetadata(List<Source> sources, List<Passage> documentContents, SourceKind sourceKind,
			@Nullable String disclaimer, String provider, String model, @Nullable Usage usage, long latencyMs,
			@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) @Nullable Boolean interrupted) {
	}

	record Usage(long inputTokens, long outputTokens) {
	}

}
