package com.ragchat.rag;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What a model is asked. LLM adapters send {@code systemPrompt}, {@code history} and
 * {@code userPrompt} as messages; answerers that are not language models (extractive,
 * mock) use the structured {@code question} and {@code passages}.
 *
 * @param purpose why the model is called
 * @param systemPrompt instructions, with the numbered passages for an answer
 * @param history earlier turns, oldest first (empty without history); when condensing
 * they are also rendered into {@code userPrompt}, so LLM adapters send
 * {@link #messageHistory()}
 * @param userPrompt the final user message
 * @param question the standalone question being answered
 * @param passages the passages the answer must be grounded in (empty when condensing)
 * @param temperature sampling temperature
 * @param maxTokens upper bound on generated tokens
 * @param profile the asker's assistant profile, already written into the prompts; the
 * answerers that are not language models use its name and refusal (null: their configured
 * ones)
 */
public record GenerationRequest(Purpose purpose, String systemPrompt, List<ChatTurn> history, String userPrompt,
		String question, List<Passage> passages, double temperature, int maxTokens,
		@Nullable AssistantProfile profile) {

	public GenerationRequest {
		history = List.copyOf(history);
		passages = List.copyOf(passages);
	}

	/** A request without a profile: answerers use their configured name and refusal. */
	public GenerationRequest(Purpose purpose, String systemPrompt, List<ChatTurn> history, String userPrompt,
			String question, List<Passage> passages, double temperature, int maxTokens) {
		this(purpose, systemPrompt, history, userPrompt, question, passages, temperature, maxTokens, null);
	}

	/**
	 * The earlier turns an LLM adapter sends as chat messages: the history for an answer,
	 * none for a condense request (whose prompt already quotes the history).
	 */
	public List<ChatTurn> messageHistory() {
		return (this.purpose == Purpose.CONDENSE) ? List.of() : this.history;
	}

	/** Why the model is called; recorded as the metrics' {@code operation}. */
	public enum Purpose {

		/** Rewrite a follow-up into a standalone question. */
		CONDENSE,

		/** Answer the question from the passages. */
		ANSWER

	}

}
