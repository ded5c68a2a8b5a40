package com.ragchat.rag;

import java.util.function.Consumer;

/**
 * A chat model that answers: the provider adapters ({@code openai}, {@code anthropic},
 * {@code bedrock}, …), the keyless {@code extractive} answerer and {@code mock}. Exactly
 * one is active, selected by {@code LLM_PROVIDER}.
 */
public interface AnswerModel {

	/** Provider name for metrics and metadata, e.g. {@code openai}. */
	String provider();

	/** Model identifier reported in message metadata, e.g. {@code gpt-4o-mini}. */
	String model();

	/**
	 * Generates the answer, handing each text fragment to {@code deltas} as soon as the
	 * provider produces it, and returns when the answer is complete. Blocking: callers
	 * run it on a virtual thread.
	 * <p>
	 * When {@code cancellation} fires, the implementation stops the upstream call
	 * (closing its HTTP stream) and returns promptly with what was produced so far.
	 * @throws ProviderException when the provider fails; never after a fragment was
	 * handed out for a failure that could be retried (retries happen before the first
	 * fragment)
	 */
	Generation generate(GenerationRequest request, Consumer<String> deltas, Cancellation cancellation);

	/** Generates a whole answer without streaming, e.g. to condense a question. */
	default Generation complete(GenerationRequest request, Cancellation cancellation) {
		return generate(request, (delta) -> {
		}, cancellation);
	}

}
