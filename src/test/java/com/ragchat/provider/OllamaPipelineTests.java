package com.ragchat.provider;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Ollama through the whole application. */
class OllamaPipelineTests extends ProviderPipelineContract {

	@DynamicPropertySource
	static void providers(DynamicPropertyRegistry properties) {
		properties.add("LLM_PROVIDER", () -> "ollama");
		properties.add("OLLAMA_BASE_URL", server::baseUrl);
		properties.add("OLLAMA_MODEL", () -> "llama3.2");
	}

	@Override
	AnswerModelWireContract modelWire() {
		return new OllamaAnswerModelTests();
	}

	@Override
	String modelProvider() {
		return "ollama";
	}

}
