package com.ragchat.provider;

import java.time.Duration;
import java.util.List;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;

import com.ragchat.provider.OpenAiAnswerModelTests.OpenAiWire;
import com.ragchat.provider.openai.OpenAiAnswerModel;
import com.ragchat.rag.AnswerModel;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

/**
 * An Azure OpenAI deployment against WireMock: the deployment's URL, the
 * {@code api-version} query parameter and the {@code api-key} header, with OpenAI's body
 * format.
 */
class AzureOpenAiAnswerModelTests extends AnswerModelWireContract {

	private static final String PATH = "/openai/deployments/chat-deploy/chat/completions";

	@Override
	AnswerModel createModel(String baseUrl, Duration timeout) {
		return OpenAiAnswerModel.azure(baseUrl, "azure-key", "chat-deploy", "2024-10-21", timeout);
	}

	@Override
	String provider() {
		return "azure";
	}

	@Override
	MappingBuilder completeRequest() {
		return post(urlPathEqualTo(PATH)).withQueryParam("api-version", equalTo("2024-10-21"))
			.withHeader("api-key", equalTo("azure-key"))
			.withRequestBody(matchingJsonPath("$.stream", equalTo("false")).or(matchingJsonPath("$[?(!@.stream)]")));
	}

	@Override
	MappingBuilder streamRequest() {
		return post(urlPathEqualTo(PATH)).withQueryParam("api-version", equalTo("2024-10-21"))
			.withHeader("api-key", equalTo("azure-key"))
			.withRequestBody(matchingJsonPath("$.stream", equalTo("true")));
	}

	@Override
	ResponseDefinitionBuilder completeResponse(String text, int inputTokens, int outputTokens) {
		return OpenAiWire.completion(text, inputTokens, outputTokens);
	}

	@Override
	ResponseDefinitionBuilder streamResponse(List<String> fragments, int inputTokens, int outputTokens) {
		return OpenAiWire.stream(fragments, inputTokens, outputTokens);
	}

	@Override
	ResponseDefinitionBuilder errorResponse(int status) {
		return OpenAiWire.error(status);
	}

}
