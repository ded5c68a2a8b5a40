package com.ragchat.provider;

import java.time.Duration;
import java.util.List;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import org.junit.jupiter.api.Test;

import com.ragchat.provider.ollama.OllamaAnswerModel;
import com.ragchat.rag.AnswerModel;
import com.ragchat.rag.Cancellation;
import com.ragchat.rag.GenerationRequest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

/** Ollama's chat API (JSON and its NDJSON stream) against WireMock. */
class OllamaAnswerModelTests extends AnswerModelWireContract {

	@Override
	AnswerModel createModel(String baseUrl, Duration timeout) {
		return OllamaAnswerModel.create(baseUrl, "llama3.2", timeout);
	}

	@Override
	String provider() {
		return "ollama";
	}

	@Override
	MappingBuilder completeRequest() {
		return post(urlPathEqualTo("/api/chat")).withRequestBody(matchingJsonPath("$.stream", equalTo("false")));
	}

	@Override
	MappingBuilder streamRequest() {
		return post(urlPathEqualTo("/api/chat")).withRequestBody(matchingJsonPath("$.stream", equalTo("true")));
	}

	@Override
	ResponseDefinitionBuilder completeResponse(String text, int inputTokens, int outputTokens) {
		String body = """
				{"model":"llama3.2","created_at":"2026-05-19T07:29:32.123456Z",
				 "message":{"role":"assistant","content":%s},"done_reason":"stop","done":true,
				 "total_duration":480000000,"load_duration":20000000,"prompt_eval_count":%d,
				 "prompt_eval_duration":100000000,"eval_count":%d,"eval_duration":300000000}
				""".formatted(OpenAiAnswerModelTests.OpenAiWire.json(text), inputTokens, outputTokens);
		return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
	}

	@Override
	ResponseDefinitionBuilder streamResponse(List<String> fragments, int inputTokens, int outputTokens) {
		StringBuilder body = new StringBuilder();
		for (String fragment : fragments) {
			body.append("{\"model\":\"llama3.2\",\"created_at\":\"2026-05-19T07:29:32.1Z\",")
				.append("\"message\":{\"role\":\"assistant\",\"content\":")
				.append(OpenAiAnswerModelTests.OpenAiWire.json(fragment))
				.append("},\"done\":false}\n");
		}
		body.append("{\"model\":\"llama3.2\",\"created_at\":\"2026-05-19T07:29:33.1Z\",")
			.append("\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done_reason\":\"stop\",\"done\":true,")
			.append("\"total_duration\":480000000,\"load_duration\":20000000,\"prompt_eval_count\":")
			.append(inputTokens)
			.append(",\"prompt_eval_duration\":100000000,\"eval_count\":")
			.append(outputTokens)
			.append(",\"eval_duration\":300000000}\n");
		return aResponse().withStatus(200).withHeader("Content-Type", "application/x-ndjson").withBody(body.toString());
	}

	@Override
	ResponseDefinitionBuilder errorResponse(int status) {
		// Ollama itself has no keys; a proxy in front of it answers 401 and 429.
		return aResponse().withStatus(status)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"error\":\"secret-detail: provider said " + status + "\"}");
	}

	@Test
	void sendsTheModelTemperatureAndTokenLimit() {
		server.stubFor(streamRequest().willReturn(streamResponse(List.of("ok"), 1, 1)));

		guarded(0, 5).generate(request(GenerationRequest.Purpose.ANSWER), (delta) -> {
		}, Cancellation.none());

		server.verify(postRequestedFor(urlPathEqualTo("/api/chat"))
			.withRequestBody(matchingJsonPath("$.model", equalTo("llama3.2")))
			.withRequestBody(matchingJsonPath("$.options.temperature", equalTo("0.1")))
			.withRequestBody(matchingJsonPath("$.options.num_predict", equalTo("200")))
			.withRequestBody(matchingJsonPath("$.messages[0].role", equalTo("system"))));
	}

}
