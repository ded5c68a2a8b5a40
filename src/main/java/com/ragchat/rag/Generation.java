package com.ragchat.rag;

import org.jspecify.annotations.Nullable;

/**
 * A model's finished (or cancelled) answer.
 *
 * @param text the whole text, the concatenation of the streamed fragments
 * @param usage token counts when the provider reports them
 * @param cancelled whether generation stopped early because it was cancelled
 */
public record Generation(String text, @Nullable Usage usage, boolean cancelled) {

	/**
	 * Token counts of one call.
	 *
	 * @param inputTokens prompt tokens
	 * @param outputTokens generated tokens
	 */
	public record Usage(long inputTokens, long outputTokens) {

	}

}
