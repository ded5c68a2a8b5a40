package com.ragchat.provider;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A Bedrock model (Converse, ConverseStream) through the whole application. */
class BedrockPipelineTests extends ProviderPipelineContract {

	@DynamicPropertySource
	static void providers(DynamicPropertyRegistry properties) {
		AwsWire.useTestCredentials();
		properties.add("LLM_PROVIDER", () -> "bedrock");
		properties.add("AWS_REGION", () -> AwsWire.REGION);
		properties.add("BEDROCK_MODEL_ID", () -> "anthropic.claude-3-haiku-20240307-v1:0");
		properties.add("BEDROCK_ENDPOINT_URL", server::baseUrl);
	}

	@Override
	AnswerModelWireContract modelWire() {
		return new BedrockAnswerModelTests();
	}

	@Override
	String modelProvider() {
		return "bedrock";
	}

}
