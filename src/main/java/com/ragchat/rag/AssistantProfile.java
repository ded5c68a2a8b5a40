package com.ragchat.rag;

import java.util.List;

/**
 * Who the assistant is for one caller: the global profile with the caller's tenant's
 * overrides applied. The pipeline writes it into the condense and answer prompts of every
 * language model; the keyless answerer uses its name and refusal.
 *
 * @param assistantName how the assistant introduces itself
 * @param supportedTopics what it answers about (empty: whatever the knowledge base holds)
 * @param outOfScopeMessage what the user is told when the knowledge base cannot answer
 * @param fewShotExamples example exchanges shown to language models
 * @param language the language answers should be written in (empty: the question's)
 * @param exampleQuestions questions the web app offers on an empty chat
 */
public record AssistantProfile(String assistantName, List<String> supportedTopics, String outOfScopeMessage,
		List<Example> fewShotExamples, String language, List<String> exampleQuestions) {

	public AssistantProfile {
		supportedTopics = List.copyOf(supportedTopics);
		fewShotExamples = List.copyOf(fewShotExamples);
		exampleQuestions = List.copyOf(exampleQuestions);
	}

	/** The profile of a deployment that configured nothing but its refusal. */
	public static AssistantProfile withRefusal(String outOfScopeMessage) {
		return new AssistantProfile("Help Desk Assistant", List.of(), outOfScopeMessage, List.of(), "", List.of());
	}

	/**
	 * One example exchange.
	 *
	 * @param input what a user asks
	 * @param output how the assistant answers
	 */
	public record Example(String input, String output) {
	}

}
