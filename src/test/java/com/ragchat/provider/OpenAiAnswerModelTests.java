package com.ragchat.provider;

import java.time.Duration;
import java.util.List;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import org.junit.jupiter.api.Test;

import com.ragchat.provider.openai.OpenAiAnswerModel;
import com.ragchat.rag.AnswerModel;
import com.ragchat.rag.Cancellation;
import com.ragchat.rag.GenerationRequest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

/** OpenAI chat completions (JSON and SSE) against WireMock. */
class OpenAiAnswerModelTests extends AnswerModelWireContract {

	@Override
	AnswerModel createModel(String baseUrl, Duration timeout) {
		return OpenAiAnswerModel.openAi(baseUrl + "/v1", "sk-test", "gpt-4o-mini", timeout);
	}

	@Override
	String provider() {
		return "openai";
	}

	@Override
	MappingBuilder completeRequest() {
		return post(urlPathEqualTo("/v1/chat/completions")).withHeader("Authorization", equalTo("Bearer sk-test"))
			.withRequestBody(matchingJsonPath("$.stream", equalTo("false")).or(matchingJsonPath("$[?(!@.stream)]")));
	}

	@Override
	MappingBuilder streamRequest() {
		return post(urlPathEqualTo("/v1/chat/completions")).withHeader("Authorization", equalTo("Bearer sk-test"))
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

	@Test
	void sendsTheModelTemperatureTokenLimitAndAsksForStreamedUsage() {
		server.stubFor(streamRequest().willReturn(streamResponse(List.of("ok"), 1, 1)));

		guarded(0, 5).generate(request(GenerationRequest.Purpose.ANSWER), (delta) -> {
		}, Cancellation.none());

		server.verify(postRequestedFor(urlPathEqualTo("/v1/chat/completions"))
			.withRequestBody(matchingJsonPath("$.model", equalTo("gpt-4o-mini")))
			.withRequestBody(matchingJsonPath("$.temperature", equalTo("0.1")))
			.withRequestBody(matchingJsonPath("$.max_tokens", equalTo("200")))
			.withRequestBody(matchingJsonPath("$.stream_options.include_usage", equalTo("true")))
			.withRequestBody(matchingJsonPath("$.messages[0].role", equalTo("system")))
			.withRequestBody(matchingJsonPath("$.messages[2].role", equalTo("assistant")))
			.withRequestBody(matchingJsonPath("$.messages[3].content", equalTo("What is the capital of France?"))));
	}

	/** OpenAI's chat-completions wire format, shared with the Azure OpenAI tests. */
	static final class OpenAiWire {

		private OpenAiWire() {
		}

		static ResponseDefinitionBuilder completion(String text, int inputTokens, int outputTokens) {
			String body = """
					{"id":"chatcmpl-abc123","object":"chat.completion","created":1747000000,"model":"gpt-4o-mini-2024-07-18",
					 "choices":[{"index":0,"message":{"role":"assistant","content":%s,"refusal":null,"annotations":[]},
					 "logprobs":null,"finish_reason":"stop"}],
					 "usage":{"prompt_tokens":%d,"completion_tokens":%d,"total_tokens":%d},
					 "service_tier":"default","system_fingerprint":"fp_test"}
					"""
				.formatted(json(text), inputTokens, outputTokens, inputTokens + outputTokens);
			return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
		}

		static ResponseDefinitionBuilder stream(List<String> fragments, int inputTokens, int outputTokens) {
			StringBuilder body = new StringBuilder();
			String head = "{\"id\":\"chatcmpl-abc123\",\"object\":\"chat.completion.chunk\",\"created\":1747000000,"
					+ "\"model\":\"gpt-4o-mini-2024-07-18\",\"system_fingerprint\":\"fp_test\",";
			body.append("data: ")
				.append(head)
				.append("\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},"
						+ "\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n");
			for (String fragment : fragments) {
				body.append("data: ")
					.append(head)
					.append("\"choices\":[{\"index\":0,\"delta\":{\"content\":")
					.append(json(fragment))
					.append("},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n");
			}
			body.append("data: ")
				.append(head)
				.append("\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
						+ "\"usage\":null}\n\n");
			body.append("data: ")
				.append(head)
				.append("\"choices\":[],\"usage\":{\"prompt_tokens\":")
				.append(inputTokens)
				.append(",\"completion_tokens\":")
				.append(outputTokens)
				.append(",\"total_tokens\":")
				.append(inputTokens + outputTokens)
				.append("}}\n\n");
			body.append("data: [DONE]\n\n");
			return aResponse().withStatus(200)
				.withHeader("Content-Type", "text/event-stream; charset=utf-8")
				.withBody(body.toString());
		}

		static ResponseDefinitionBuilder error(int status) {
			String type = switch (status) {
				case 401 -> "invalid_request_error";
				case 429 -> "requests";
				default -> "server_error";
			};
			String body = """
					{"error":{"message":"secret-detail: provider said %d","type":"%s","param":null,"code":null}}
					""".formatted(status, type);
			return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
		}

		static String json(String text) {
			return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
		}

	}

}
