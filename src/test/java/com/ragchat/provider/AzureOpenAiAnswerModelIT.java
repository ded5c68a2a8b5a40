package com.ragchat.provider;

import org.junit.jupiter.api.Test;

import com.ragchat.provider.openai.OpenAiAnswerModel;

/** An Azure OpenAI deployment; needs {@code AZURE_OPENAI_*}. */
class AzureOpenAiAnswerModelIT {

	@Test
	void answersAndStreams() {
		String key = LiveProviders.require("AZURE_OPENAI_API_KEY");
		String endpoint = LiveProviders.require("AZURE_OPENAI_ENDPOINT");
		String deployment = LiveProviders.require("AZURE_OPENAI_DEPLOYMENT");
		String version = (LiveProviders.optional("AZURE_OPENAI_API_VERSION") != null)
				? LiveProviders.optional("AZURE_OPENAI_API_VERSION") : "2024-10-21";
		LiveProviders
			.answersAndStreams(OpenAiAnswerModel.azure(endpoint, key, deployment, version, LiveProviders.TIMEOUT));
	}

}
