package com.ragchat.provider;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

/**
 * An Azure OpenAI deployment answering from Azure AI Search, through the whole
 * application.
 */
class AzurePipelineTests extends ProviderPipelineContract {

	@DynamicPropertySource
	static void providers(DynamicPropertyRegistry properties) {
		properties.add("LLM_PROVIDER", () -> "azure");
		properties.add("AZURE_OPENAI_ENDPOINT", server::baseUrl);
		properties.add("AZURE_OPENAI_API_KEY", () -> "azure-key");
		properties.add("AZURE_OPENAI_DEPLOYMENT", () -> "chat-deploy");
		properties.add("AZURE_OPENAI_API_VERSION", () -> "2024-10-21");
		properties.add("RETRIEVER_PROVIDER", () -> "azure");
		properties.add("AZURE_SEARCH_ENDPOINT", server::baseUrl);
		properties.add("AZURE_SEARCH_KEY", () -> "search-key");
		properties.add("AZURE_SEARCH_INDEX", () -> "kb-index");
		properties.add("AZURE_EMBEDDING_DEPLOYMENT", () -> "embed-deploy");
	}

	@Override
	AnswerModelWireContract modelWire() {
		return new AzureOpenAiAnswerModelTests();
	}

	@Override
	String modelProvider() {
		return "azure";
	}

	@Override
	String retrieverProvider() {
		return "azure";
	}

	@Override
	String expectedFirstSource() {
		return "KB-1";
	}

	@Override
	void stubRetriever() {
		server.stubFor(post(urlPathEqualTo("/openai/deployments/embed-deploy/embeddings"))
			.willReturn(aResponse().withStatus(200)
				.withHeader("Content-Type", "application/json")
				.withBody("{\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.1,0.2,0.3]}]}")));
		server.stubFor(post(urlPathEqualTo("/indexes/kb-index/docs/search"))
			.willReturn(new AzureSearchRetrieverTests().twoResults()));
	}

}
