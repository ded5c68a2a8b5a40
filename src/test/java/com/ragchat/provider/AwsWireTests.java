package com.ragchat.provider;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/** The Bedrock stubs accept a correct SigV4 signature and nothing else. */
class AwsWireTests {

	private final WireMockServer server = new WireMockServer(WireMockConfiguration.options().dynamicPort());

	@AfterEach
	void stop() {
		this.server.stop();
	}

	@Test
	void onlyARequestSignedWithTheTestSecretMatches() throws Exception {
		this.server.start();
		this.server.stubFor(AwsWire.signed(post(urlPathEqualTo("/knowledgebases/KB1/retrieve")))
			.willReturn(aResponse().withStatus(200).withBody("{}")));

		assertThat(send(AwsWire.ACCESS_KEY, AwsWire.SECRET_KEY, "{\"q\":1}")).isEqualTo(200);
		assertThat(send(AwsWire.ACCESS_KEY, "another-secret", "{\"q\":1}")).isEqualTo(404);
		assertThat(send("AKIDSOMEBODYELSE0000", AwsWire.SECRET_KEY, "{\"q\":1}")).isEqualTo(404);
	}

	private int send(String accessKey, String secretKey, String body) throws IOException, InterruptedException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		URI uri = URI.create(this.server.baseUrl() + "/knowledgebases/KB1/retrieve");
		SdkHttpRequest signed = AwsV4HttpSigner.create()
			.sign((sign) -> sign.identity(AwsCredentialsIdentity.create(accessKey, secretKey))
				.request(SdkHttpFullRequest.builder()
					.method(SdkHttpMethod.POST)
					.uri(uri)
					.putHeader("Content-Type", "application/json")
					.build())
				.payload(ContentStreamProvider.fromByteArray(bytes))
				.putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "bedrock")
				.putProperty(AwsV4HttpSigner.REGION_NAME, AwsWire.REGION))
			.request();
		HttpRequest.Builder request = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
		signed.forEachHeader((name, values) -> {
			if (!name.equalsIgnoreCase("Host")) {
				request.header(name, values.get(0));
			}
		});
		try (HttpClient http = HttpClient.newHttpClient()) {
			return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
		}
	}

}
