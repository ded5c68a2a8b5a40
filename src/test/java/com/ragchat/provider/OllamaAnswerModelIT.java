package com.ragchat.provider;

import org.junit.jupiter.api.Test;

import com.ragchat.provider.ollama.OllamaAnswerModel;

/** A running Ollama server; needs {@code OLLAMA_BASE_URL} and {@code OLLAMA_MODEL}. */
class OllamaAnswerModelIT {

	@Test
	void answersAndStreams() {
		String url = LiveProviders.require("OLLAMA_BASE_URL");
		String model = LiveProviders.require("OLLAMA_MODEL");
		LiveProviders.answersAndStreams(OllamaAnswerModel.create(url, model, LiveProviders.TIMEOUT));
	}

}
