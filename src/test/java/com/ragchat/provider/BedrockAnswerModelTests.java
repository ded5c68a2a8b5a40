package com.ragchat.provider;

import java.time.Duration;
import java.util.List;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

import com.ragchat.provider.bedrock.BedrockAnswerModel;
import com.ragchat.rag.AnswerModel;
import com.ragchat.rag.Cancellation;
import com.ragchat.rag.GenerationRequest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

/**
 * Bedrock Converse (JSON) and ConverseStream (binary event stream) against WireMock, with
 * SigV4-signed requests from the default credential chain.
 */
class BedrockAnswerModelTests extends AnswerModelWireContract {

	private static final String MODEL = "anthropic.claude-3-haiku-20240307-v1:0";

	/** The model id as it appears in the request path. */
	private static final String ENCODED_MODEL = "anthropic.claude-3-haiku-20240307-v1%3A0";

	@BeforeAll
	static void credentials() {
		AwsWire.useTestCredentials();
	}

	@Override
	AnswerModel createModel(String baseUrl, Duration timeout) {
		return BedrockAnswerModel.create(Region.of(AwsWire.REGION), baseUrl, MODEL, timeout);
	}

	@Override
	String provider() {
		return "bedrock";
	}

	@Override
	MappingBuilder completeRequest() {
		return AwsWire.signed(post(urlPathEqualTo("/model/" + ENCODED_MODEL + "/converse")));
	}

	@Override
	MappingBuilder streamRequest() {
		return AwsWire.signed(post(urlPathEqualTo("/model/" + ENCODED_MODEL + "/converse-stream")));
	}

	@Override
	ResponseDefinitionBuilder completeResponse(String text, int inputTokens, int outputTokens) {
		String body = """
				{"metrics":{"latencyMs":412},"output":{"message":{"content":[{"text":%s}],"role":"assistant"}},
				 "stopReason":"end_turn","usage":{"inputTokens":%d,"outputTokens":%d,"totalTokens":%d}}
				""".formatted(OpenAiAnswerModelTests.OpenAiWire.json(text), inputTokens, outputTokens,
				inputTokens + outputTokens);
		return aResponse().withStatus(200)
			.withHeader("Content-Type", "application/json")
			.withHeader("x-amzn-RequestId", "7f4d3c2b-0000-4000-8000-000000000002")
			.withBody(body);
	}

	@Override
	ResponseDefinitionBuilder streamResponse(List<String> fragments, int inputTokens, int outputTokens) {
		AwsWire.EventStream stream = new AwsWire.EventStream().event("messageStart",
				"{\"p\":\"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTU\",\"role\":\"assistant\"}");
		for (String fragment : fragments) {
			stream.event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":"
					+ OpenAiAnswerModelTests.OpenAiWire.json(fragment) + "},\"p\":\"abcdefghij\"}");
		}
		stream.event("contentBlockStop", "{\"contentBlockIndex\":0,\"p\":\"abcdefghijklmnop\"}")
			.event("messageStop", "{\"p\":\"abcdefghijklmnopqrstuvw\",\"stopReason\":\"end_turn\"}")
			.event("metadata",
					"{\"metrics\":{\"latencyMs\":388},\"p\":\"abcdef\",\"usage\":{\"inputTokens\":" + inputTokens
							+ ",\"outputTokens\":" + outputTokens + ",\"totalTokens\":" + (inputTokens + outputTokens)
							+ "}}");
		return stream.response();
	}

	@Override
	ResponseDefinitionBuilder errorResponse(int status) {
		return AwsWire.error(status);
	}

	@Test
	void sendsTheConverseShape() {
		server.stubFor(streamRequest().willReturn(streamResponse(List.of("ok"), 1, 1)));

		guarded(0, 5).generate(request(GenerationRequest.Purpose.ANSWER), (delta) -> {
		}, Cancellation.none());

		server.verify(postRequestedFor(urlPathEqualTo("/model/" + ENCODED_MODEL + "/converse-stream"))
			.withRequestBody(matchingJsonPath("$.system[0].text", equalTo("Answer from the numbered passages.")))
			.withRequestBody(matchingJsonPath("$.messages[0].role", equalTo("user")))
			.withRequestBody(matchingJsonPath("$.messages[1].role", equalTo("assistant")))
			.withRequestBody(
					matchingJsonPath("$.messages[2].content[0].text", equalTo("What is the capital of France?")))
			.withRequestBody(matchingJsonPath("$.inferenceConfig.maxTokens", equalTo("200"))));
	}

	@Test
	void throttlingReportedInsideTheStreamIsRateLimited() {
		server.stubFor(streamRequest().willReturn(new AwsWire.EventStream()
			.exception("throttlingException", "{\"message\":\"secret-detail: too many tokens\"}")
			.response()));

		org.assertj.core.api.Assertions.assertThatExceptionOfType(com.ragchat.rag.ProviderException.class)
			.isThrownBy(() -> guarded(0, 5).generate(request(GenerationRequest.Purpose.ANSWER), (delta) -> {
			}, Cancellation.none()))
			.satisfies((ex) -> org.assertj.core.api.Assertions.assertThat(ex.kind())
				.isEqualTo(com.ragchat.rag.ProviderException.Kind.RATE_LIMITED));
	}

}
