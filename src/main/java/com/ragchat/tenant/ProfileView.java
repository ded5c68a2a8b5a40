package com.ragchat.tenant;

import java.util.List;

import com.ragchat.rag.AssistantProfile;

/**
 * A resolved profile as the admin API shows it.
 *
 * @param assistantName name
 * @param supportedTopics topics
 * @param outOfScopeMessage refusal
 * @param fewShotExamples example exchanges
 * @param language answer language (empty: the question's)
 * @param exampleQuestions questions offered on an empty chat
 */
record ProfileView(String assistantName, List<String> supportedTopics, String outOfScopeMessage,
		List<ProfileOverrides.Example> fewShotExamples, String language, List<String> exampleQuestions) {

	static ProfileView of(AssistantProfile profile) {
		return new ProfileView(profile.assistantName(), profile.supportedTopics(), profile.outOfScopeMessage(),
				profile.fewShotExamples()
					.stream()
					.map((example) -> new ProfileOverrides.Example(example.input(), example.output()))
					.toList(),
				profile.language(), profile.exampleQuestions());
	}

}
