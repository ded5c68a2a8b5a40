package com.ragchat.provider;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Anthropic through the whole application. */
class AnthropicPipelineTests extends ProviderPipelineContract {

	@DynamicPropertySource
	static void providers(DynamicPropertyRegistry properties) {
		properties.add("LLM_PROVIDER", () -> "anthropic");
		properties.add("ANTHROPIC_BASE_URL", server::baseUrl);
		properties.add("ANTHROPIC_API_KEY", () -> "sk-ant-test");
		properties.add("ANTHROPIC_MODEL", () -> "claude-3-5-haiku-latest");
	}

	@Override
	AnswerModelWireContract modelWire() {
		return new AnthropicAnswerModelTests();
	}

	@Override
	String modelProvider() {
		return "anthropic";
	}

}
