package com.ragchat.provider;

import org.junit.jupiter.api.Test;

import com.ragchat.provider.openai.OpenAiAnswerModel;

/**
 * OpenAI itself, or the server at {@code OPENAI_BASE_URL}; needs {@code OPENAI_API_KEY}.
 */
class OpenAiAnswerModelIT {

	@Test
	void answersAndStreams() {
		String key = LiveProviders.require("OPENAI_API_KEY");
		String model = (LiveProviders.optional("OPENAI_MODEL") != null) ? LiveProviders.optional("OPENAI_MODEL")
				: "gpt-4o-mini";
		LiveProviders.answersAndStreams(
				OpenAiAnswerModel.openAi(LiveProviders.optional("OPENAI_BASE_URL"), key, model, LiveProviders.TIMEOUT));
	}

}
