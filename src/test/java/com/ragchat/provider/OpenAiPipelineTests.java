package com.ragchat.provider;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

/** OpenAI answering from a Bedrock Knowledge Base, through the whole application. */
class OpenAiPipelineTests extends ProviderPipelineContract {

	@DynamicPropertySource
	static void providers(DynamicPropertyRegistry properties) {
		AwsWire.useTestCredentials();
		properties.add("LLM_PROVIDER", () -> "openai");
		properties.add("OPENAI_BASE_URL", () -> server.baseUrl() + "/v1");
		properties.add("OPENAI_API_KEY", () -> "sk-test");
		properties.add("OPENAI_MODEL", () -> "gpt-4o-mini");
		properties.add("RETRIEVER_PROVIDER", () -> "bedrock");
		properties.add("AWS_REGION", () -> AwsWire.REGION);
		properties.add("BEDROCK_KNOWLEDGE_BASE_ID", () -> "KBTEST1234");
		properties.add("RETRIEVER_SEARCH_TYPE", () -> "hybrid");
		properties.add("BEDROCK_AGENT_ENDPOINT_URL", server::baseUrl);
	}

	@Override
	AnswerModelWireContract modelWire() {
		return new OpenAiAnswerModelTests();
	}

	@Override
	String modelProvider() {
		return "openai";
	}

	@Override
	String retrieverProvider() {
		return "bedrock";
	}

	@Override
	String expectedFirstSource() {
		return "KB-1";
	}

	@Override
	void stubRetriever() {
		server.stubFor(AwsWire.signed(post(urlPathEqualTo("/knowledgebases/KBTEST1234/retrieve")))
			.willReturn(new BedrockKnowledgeBaseRetrieverTests().twoResults()));
	}

}
