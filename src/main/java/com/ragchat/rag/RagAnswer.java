package com.ragchat.rag;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The pipeline's result for one question.
 *
 * @param text the answer (partial when {@code interrupted})
 * @param sources the distinct sources of the passages, best first (the contract's
 * {@code sources})
 * @param passages the passages the answer is grounded in (the contract's
 * {@code document_contents})
 * @param sourceKind whether the passages came from the knowledge base or the web
 * @param disclaimer text the client shows with web answers; null for the knowledge base
 * @param provider the answer model's provider name
 * @param model the answer model's identifier
 * @param usage token counts of the answer call, when the provider reports them
 * @param latencyMs wall-clock time of the whole pipeline
 * @param interrupted whether generation stopped early because it was cancelled
 */
public record RagAnswer(String text, List<Source> sources, List<Passage> passages, SourceKind sourceKind,
		@Nullable String disclaimer, String provider, String model, Generation.@Nullable Usage usage, long latencyMs,
		boolean interrupted) {

	public RagAnswer {
		sources = List.copyOf(sources);
		passages = List.copyOf(passages);
	}

}
