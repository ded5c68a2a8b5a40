package com.ragchat.provider;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.matching.MatchResult;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

/**
 * AWS's wire conventions for the Bedrock stubs: SigV4-signed requests (only requests
 * validly signed with the test credentials for the {@code bedrock} service in the test
 * region match), JSON errors named by {@code x-amzn-ErrorType}, and
 * {@code application/vnd.amazon.eventstream} binary frames.
 */
final class AwsWire {

	static final String ACCESS_KEY = "AKIDTESTTESTTESTTEST";

	static final String SECRET_KEY = "test-secret-key-for-wiremock-only";

	static final String REGION = "eu-west-1";

	private static final Pattern AUTHORIZATION = Pattern
		.compile("AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)"
				+ "/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})");

	private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

	private AwsWire() {
	}

	/** Makes the default credential chain find the test credentials. */
	static void useTestCredentials() {
		System.setProperty("aws.accessKeyId", ACCESS_KEY);
		System.setProperty("aws.secretAccessKey", SECRET_KEY);
	}

	/**
	 * Matches only requests validly SigV4-signed with the test credentials for the
	 * {@code bedrock} service in the test region: the signature is computed again with
	 * the SDK's signer from the received method, URL, signed headers and body, and must
	 * equal the one sent; a signed {@code x-amz-content-sha256} must be the body's hash.
	 */
	static MappingBuilder signed(MappingBuilder request) {
		return request.andMatching(AwsWire::validlySigned);
	}

	static MatchResult validlySigned(Request request) {
		String authorization = request.getHeader("Authorization");
		String date = request.getHeader("X-Amz-Date");
		if (authorization == null || date == null) {
			return MatchResult.noMatch();
		}
		Matcher parts = AUTHORIZATION.matcher(authorization);
		if (!parts.matches() || !ACCESS_KEY.equals(parts.group(1)) || !REGION.equals(parts.group(3))
				|| !"bedrock".equals(parts.group(4)) || !date.startsWith(parts.group(2))) {
			return MatchResult.noMatch();
		}
		List<String> signedHeaders = List.of(parts.group(5).split(";"));
		if (!signedHeaders.containsAll(List.of("host", "x-amz-date"))) {
			return MatchResult.noMatch();
		}
		byte[] body = request.getBody();
		if (signedHeaders.contains("x-amz-content-sha256")
				&& !sha256(body).equals(request.getHeader("x-amz-content-sha256"))) {
			return MatchResult.noMatch();
		}
		Instant signedAt = LocalDateTime.parse(date, AMZ_DATE).toInstant(ZoneOffset.UTC);
		SdkHttpFullRequest.Builder received = SdkHttpFullRequest.builder()
			.method(SdkHttpMethod.fromValue(request.getMethod().getName()))
			.uri(URI.create(request.getAbsoluteUrl()));
		for (String header : signedHeaders) {
			// The signer sets these two itself.
			if (!header.equals("x-amz-date") && !header.equals("x-amz-content-sha256")) {
				String value = request.getHeader(header);
				if (value == null && header.equals("host")) {
					// Jetty keeps the Host of some HTTP/1.1 requests in the URL only.
					value = URI.create(request.getAbsoluteUrl()).getAuthority();
				}
				received.putHeader(header, value);
			}
		}
		SignedRequest resigned = AwsV4HttpSigner.create()
			.sign((sign) -> sign.identity(AwsCredentialsIdentity.create(ACCESS_KEY, SECRET_KEY))
				.request(received.build())
				.payload(ContentStreamProvider.fromByteArray(body))
				.putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "bedrock")
				.putProperty(AwsV4HttpSigner.REGION_NAME, REGION)
				.putProperty(AwsV4FamilyHttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC)));
		String expected = resigned.request().firstMatchingHeader("Authorization").orElse("");
		return MatchResult.of(expected.equals(authorization));
	}

	private static String sha256(byte[] body) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
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
