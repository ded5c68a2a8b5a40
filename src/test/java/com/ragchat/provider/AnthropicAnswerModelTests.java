package com.ragchat.provider;

import java.time.Duration;
import java.util.List;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import org.junit.jupiter.api.Test;

import com.ragchat.provider.anthropic.AnthropicAnswerModel;
import com.ragchat.rag.AnswerModel;
import com.ragchat.rag.Cancellation;
import com.ragchat.rag.GenerationRequest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

/** Anthropic's messages API (JSON and its event stream) against WireMock. */
class AnthropicAnswerModelTests extends AnswerModelWireContract {

	@Override
	AnswerModel createModel(String baseUrl, Duration timeout) {
		return AnthropicAnswerModel.create(baseUrl, "sk-ant-test", "claude-3-5-haiku-latest", timeout);
	}

	@Override
	String provider() {
		return "anthropic";
	}

	@Override
	MappingBuilder completeRequest() {
		return post(urlPathEqualTo("/v1/messages")).withHeader("x-api-key", equalTo("sk-ant-test"))
			.withHeader("anthropic-version", equalTo("2023-06-01"))
			.withRequestBody(matchingJsonPath("$.stream", equalTo("false")).or(matchingJsonPath("$[?(!@.stream)]")));
	}

	@Override
	MappingBuilder streamRequest() {
		return post(urlPathEqualTo("/v1/messages")).withHeader("x-api-key", equalTo("sk-ant-test"))
			.withRequestBody(matchingJsonPath("$.stream", equalTo("true")));
	}

	@Override
	ResponseDefinitionBuilder completeResponse(String text, int inputTokens, int outputTokens) {
		String body = """
				{"id":"msg_01Test","type":"message","role":"assistant","model":"claude-3-5-haiku-20241022",
				 "content":[{"type":"text","text":%s}],"stop_reason":"end_turn","stop_sequence":null,
				 "usage":{"input_tokens":%d,"output_tokens":%d,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}}
				"""
			.formatted(OpenAiAnswerModelTests.OpenAiWire.json(text), inputTokens, outputTokens);
		return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
	}

	@Override
	ResponseDefinitionBuilder streamResponse(List<String> fragments, int inputTokens, int outputTokens) {
		StringBuilder body = new StringBuilder();
		event(body, "message_start", """
				{"type":"message_start","message":{"id":"msg_01Test","type":"message","role":"assistant","content":[],\
				"model":"claude-3-5-haiku-20241022","stop_reason":null,"stop_sequence":null,\
				"usage":{"input_tokens":%d,"output_tokens":1}}}""".formatted(inputTokens));
		event(body, "content_block_start",
				"{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
		event(body, "ping", "{\"type\": \"ping\"}");
		for (String fragment : fragments) {
			event(body, "content_block_delta",
					"{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":"
							+ OpenAiAnswerModelTests.OpenAiWire.json(fragment) + "}}");
		}
		event(body, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
		event(body, "message_delta", """
				{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},\
				"usage":{"output_tokens":%d}}""".formatted(outputTokens));
		event(body, "message_stop", "{\"type\":\"message_stop\"}");
		return aResponse().withStatus(200)
			.withHeader("Content-Type", "text/event-stream; charset=utf-8")
			.withBody(body.toString());
	}

	private static void event(StringBuilder body, String name, String data) {
		body.append("event: ").append(name).append('\n').append("data: ").append(data).append("\n\n");
	}

	@Override
	ResponseDefinitionBuilder errorResponse(int status) {
		String type = switch (status) {
			case 401 -> "authentication_error";
			case 429 -> "rate_limit_error";
			case 529 -> "overloaded_error";
			default -> "api_error";
		};
		String body = """
				{"type":"error","error":{"type":"%s","message":"secret-detail: provider said %d"}}
				""".formatted(type, status);
		return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
	}

	@Test
	void sendsTheSystemPromptApartAndTheTokenLimit() {
		server.stubFor(streamRequest().willReturn(streamResponse(List.of("ok"), 1, 1)));

		guarded(0, 5).generate(request(GenerationRequest.Purpose.ANSWER), (delta) -> {
		}, Cancellation.none());

		server.verify(postRequestedFor(urlPathEqualTo("/v1/messages"))
			.withRequestBody(matchingJsonPath("$.model", equalTo("claude-3-5-haiku-latest")))
			.withRequestBody(matchingJsonPath("$.max_tokens", equalTo("200")))
			.withRequestBody(matchingJsonPath("$.system[0].text", equalTo("Answer from the numbered passages."))
				.or(matchingJsonPath("$.system", equalTo("Answer from the numbered passages."))))
			.withRequestBody(matchingJsonPath("$.messages[0].role", equalTo("user")))
			.withRequestBody(matchingJsonPath("$.messages[1].role", equalTo("assistant"))));
	}

	@Test
	void overloadedIsUnavailable() {
		server.stubFor(streamRequest().willReturn(errorResponse(529)));

		org.assertj.core.api.Assertions.assertThatExceptionOfType(com.ragchat.rag.ProviderException.class)
			.isThrownBy(() -> guarded(0, 5).generate(request(GenerationRequest.Purpose.ANSWER), (delta) -> {
			}, Cancellation.none()))
			.satisfies((ex) -> org.assertj.core.api.Assertions.assertThat(ex.kind())
				.isEqualTo(com.ragchat.rag.ProviderException.Kind.UNAVAILABLE));
	}

}
