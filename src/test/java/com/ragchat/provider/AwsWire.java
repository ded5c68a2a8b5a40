package com.ragchat.provider;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;

/**
 * AWS's wire conventions for the Bedrock stubs: SigV4-signed requests (only requests
 * signed with the test credentials for the {@code bedrock} service in the test region
 * match), JSON errors named by {@code x-amzn-ErrorType}, and
 * {@code application/vnd.amazon.eventstream} binary frames.
 */
final class AwsWire {

	static final String ACCESS_KEY = "AKIDTESTTESTTESTTEST";

	static final String SECRET_KEY = "test-secret-key-for-wiremock-only";

	static final String REGION = "eu-west-1";

	private AwsWire() {
	}

	/** Makes the default credential chain find the test credentials. */
	static void useTestCredentials() {
		System.setProperty("aws.accessKeyId", ACCESS_KEY);
		System.setProperty("aws.secretAccessKey", SECRET_KEY);
	}

	static MappingBuilder signed(MappingBuilder request) {
		return request
			.withHeader("Authorization",
					matching("AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY + "/\\d{8}/" + REGION
							+ "/bedrock/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*x-amz-date[a-z0-9;-]*, "
							+ "Signature=[0-9a-f]{64}"))
			.withHeader("X-Amz-Date", matching("\\d{8}T\\d{6}Z"));
	}

	static ResponseDefinitionBuilder error(int status) {
		String type = switch (status) {
			case 401, 403 -> "UnrecognizedClientException";
			case 429 -> "ThrottlingException";
			case 503 -> "ServiceUnavailableException";
			default -> (status >= 500) ? "InternalServerException" : "ValidationException";
		};
		return aResponse().withStatus(status)
			.withHeader("Content-Type", "application/json")
			.withHeader("x-amzn-RequestId", "7f4d3c2b-0000-4000-8000-000000000000")
			.withHeader("x-amzn-ErrorType", type + ":http://internal.amazon.com/coral/com.amazon.bedrock/")
			.withBody("{\"message\":\"secret-detail: provider said " + status + "\"}");
	}

	/** An event-stream body: one frame per event, as Bedrock sends them. */
	static final class EventStream {

		private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

		EventStream event(String type, String json) {
			Map<String, HeaderValue> headers = new LinkedHashMap<>();
			headers.put(":event-type", HeaderValue.fromString(type));
			headers.put(":content-type", HeaderValue.fromString("application/json"));
			headers.put(":message-type", HeaderValue.fromString("event"));
			new Message(headers, json.getBytes(StandardCharsets.UTF_8)).encode(this.bytes);
			return this;
		}

		/** An exception event, as Bedrock reports a failure after the stream started. */
		EventStream exception(String type, String json) {
			Map<String, HeaderValue> headers = new LinkedHashMap<>();
			headers.put(":exception-type", HeaderValue.fromString(type));
			headers.put(":content-type", HeaderValue.fromString("application/json"));
			headers.put(":message-type", HeaderValue.fromString("exception"));
			new Message(headers, json.getBytes(StandardCharsets.UTF_8)).encode(this.bytes);
			return this;
		}

		ResponseDefinitionBuilder response() {
			return aResponse().withStatus(200)
				.withHeader("Content-Type", "application/vnd.amazon.eventstream")
				.withHeader("x-amzn-RequestId", "7f4d3c2b-0000-4000-8000-000000000001")
				.withBody(this.bytes.toByteArray());
		}

	}

}
