package com.ragchat.provider;

import org.junit.jupiter.api.Test;

import com.ragchat.provider.anthropic.AnthropicAnswerModel;

/** Anthropic; needs {@code ANTHROPIC_API_KEY}. */
class AnthropicAnswerModelIT {

	@Test
	void answersAndStreams() {
		String key = LiveProviders.require("ANTHROPIC_API_KEY");
		String model = (LiveProviders.optional("ANTHROPIC_MODEL") != null) ? LiveProviders.optional("ANTHROPIC_MODEL")
				: "claude-3-5-haiku-latest";
		LiveProviders.answersAndStreams(AnthropicAnswerModel.create(null, key, model, LiveProviders.TIMEOUT));
	}

}
