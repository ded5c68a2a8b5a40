package com.ragchat.rag;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One question for the pipeline.
 *
 * @param question the user's message as typed
 * @param history earlier messages of the conversation, oldest first (already limited to
 * {@link RagProperties#chatHistoryMaxMessages()})
 * @param sourceKind where to search: the knowledge base or the web
 * @param temperature the caller's sampling temperature for the answer (0–2), or null for
 * {@code TEMPERATURE}
 * @param maxTokens the caller's bound on the answer's tokens, or null for
 * {@code MAX_TOKENS}; never above {@code MAX_TOKENS}
 */
public record RagQuestion(String question, List<ChatTurn> history, SourceKind sourceKind, @Nullable Double temperature,
		@Nullable Integer maxTokens) {

	public RagQuestion {
		history = List.copyOf(history);
		if (temperature != null && (temperature.isNaN() || temperature < 0 || temperature > 2)) {
			throw new IllegalArgumentException("temperature must be between 0 and 2");
		}
		if (maxTokens != null && maxTokens < 1) {
			throw new IllegalArgumentException("maxTokens must be positive");
		}
	}

	/** A question answered with the configured temperature and answer length. */
	public RagQuestion(String question, List<ChatTurn> history, SourceKind sourceKind) {
		this(question, history, sourceKind, null, null);
	}

}
