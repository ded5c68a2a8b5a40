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
 * @param tenantId the asker's tenant: only its documents and the shared ones are
 * searched, and its assistant profile answers; null for a user without a tenant (shared
 * documents, the global profile)
 */
public record RagQuestion(String question, List<ChatTurn> history, SourceKind sourceKind, @Nullable Double temperature,
		@Nullable Integer maxTokens, @Nullable Long tenantId) {

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
		this(question, history, sourceKind, null, null, null);
	}

	/** A question of a user without a tenant. */
	public RagQuestion(String question, List<ChatTurn> history, SourceKind sourceKind, @Nullable Double temperature,
			@Nullable Integer maxTokens) {
		this(question, history, sourceKind, temperature, maxTokens, null);
	}

	/** The same question asked by a member of {@code tenant} (null: no tenant). */
	public RagQuestion forTenant(@Nullable Long tenant) {
		return new RagQuestion(this.question, this.history, this.sourceKind, this.temperature, this.maxTokens, tenant);
	}

}
