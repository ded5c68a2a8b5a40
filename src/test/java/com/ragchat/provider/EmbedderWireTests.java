package com.ragchat.provider;

import java.time.Duration;
import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

import com.ragchat.knowledge.Embedder;
import com.ragchat.provider.bedrock.BedrockTitanEmbedder;
import com.ragchat.provider.ollama.OllamaEmbedder;
import com.ragchat.provider.openai.OpenAiEmbedder;
import com.ragchat.rag.ProviderException;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The embedding adapters ({@code EMBEDDING_PROVIDER=openai|azure|ollama|bedrock}) against
 * WireMock replaying each service's wire format: the request body and authentication each
 * sends, how answers become unit vectors in the texts' order, and how failures map to
 * {@link ProviderException} kinds.
 */
class EmbedderWireTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	static WireMockServer server;

	@BeforeAll
	static void startServer() {
		server = new WireMockServer(WireMockConfiguration.options().dynamicPort());
		server.start();
		AwsWire.useTestCredentials();
	}

	@AfterAll
	static void stopServer() {
		server.stop();
	}

	@BeforeEach
	void reset() {
		server.resetAll();
	}

	private static String base() {
		return server.baseUrl();
	}

	// --- OpenAI and compatible servers --------------------------------------------

	@Test
	void openAiSendsTheTextsWithBearerKeyAndMapsVectorsByIndex() {
		server.stubFor(post(urlEqualTo("/v1/embeddings")).withHeader("Authorization", equalTo("Bearer sk-test"))
			.withRequestBody(equalToJson("""
					{"input":["reset my password","wifi"],"model":"embedding-model-x","encoding_format":"float"}
					"""))
			.willReturn(json("""
					{"object":"list","model":"embedding-model-x",
					 "data":[{"object":"embedding","index":1,"embedding":[0.0,2.0,0.0]},
					         {"object":"embedding","index":0,"embedding":[3.0,0.0,4.0]}],
					 "usage":{"prompt_tokens":5,"total_tokens":5}}
					""")));
		Embedder embedder = OpenAiEmbedder.openAi(base() + "/v1", "sk-test", "embedding-model-x", 0, TIMEOUT);

		List<float[]> vectors = embedder.embed(List.of("reset my password", "wifi"));

		assertThat(vectors).hasSize(2);
		assertThat(vectors.get(0)).containsExactly(new float[] { 0.6f, 0f, 0.8f }, within(1e-6f));
		assertThat(vectors.get(1)).containsExactly(new float[] { 0f, 1f, 0f }, within(1e-6f));
		assertThat(embedder.modelId()).isEqualTo("openai:embedding-model-x");
	}

	@Test
	void openAiAsksForShorterVectorsWhenDimensionsAreSetAndNamesThemInTheModelId() {
		server
			.stubFor(post(urlEqualTo("/v1/embeddings")).withRequestBody(matchingJsonPath("$.dimensions", equalTo("3")))
				.willReturn(json("""
						{"data":[{"index":0,"embedding":[1.0,0.0,0.0]}]}
						""")));
		Embedder embedder = OpenAiEmbedder.openAi(base() + "/v1", "sk-test", "text-embedding-3-large", 3, TIMEOUT);

		assertThat(embedder.dimensions()).isEqualTo(3);
		assertThat(embedder.embed(List.of("x"))).hasSize(1);
		assertThat(embedder.modelId()).isEqualTo("openai:text-embedding-3-large@3");
	}

	@Test
	void aCompatibleServerWithoutKeyGetsNoAuthorizationAndTheLengthIsLearnt() {
		server.stubFor(post(urlEqualTo("/v1/embeddings")).withHeader("Authorization", absent()).willReturn(json("""
				{"data":[{"index":0,"embedding":[1.0,1.0,1.0,1.0,1.0]}]}
				""")));
		Embedder embedder = OpenAiEmbedder.openAi(base() + "/v1/", null, "my-local-model", 0, TIMEOUT);
		assertThat(embedder.dimensions()).isZero();

		embedder.embed(List.of("x"));

		assertThat(embedder.dimensions()).isEqualTo(5);
	}

	@Test
	void openAiFailuresMapToKindsWithTheWaitAndWithoutTheBody() {
		Embedder embedder = OpenAiEmbedder.openAi(base() + "/v1", "sk-test", "text-embedding-3-small", 0, TIMEOUT);
		server.stubFor(post(urlEqualTo("/v1/embeddings")).willReturn(aResponse().withStatus(429)
			.withHeader("Retry-After", "7")
			.withBody("{\"error\":{\"message\":\"secret-detail rate limit\"}}")));
		assertThatThrownBy(() -> embedder.embed(List.of("x"))).isInstanceOfSatisfying(ProviderException.class, (ex) -> {
			assertThat(ex.kind()).isEqualTo(ProviderException.Kind.RATE_LIMITED);
			assertThat(ex.retryAfter()).isEqualTo(Duration.ofSeconds(7));
			assertThat(ex.getMessage()).doesNotContain("secret-detail");
		});
		server.stubFor(post(urlEqualTo("/v1/embeddings")).willReturn(aResponse().withStatus(401)));
		assertThat(kindOf(embedder)).isEqualTo(ProviderException.Kind.AUTH);
		server.stubFor(post(urlEqualTo("/v1/embeddings")).willReturn(aResponse().withStatus(503)));
		assertThat(kindOf(embedder)).isEqualTo(ProviderException.Kind.UNAVAILABLE);
		server.stubFor(post(urlEqualTo("/v1/embeddings")).willReturn(aResponse().withStatus(400)));
		assertThat(kindOf(embedder)).isEqualTo(ProviderException.Kind.REJECTED);
		server.stubFor(post(urlEqualTo("/v1/embeddings")).willReturn(json("not json")));
		assertThat(kindOf(embedder)).isEqualTo(ProviderException.Kind.OTHER);
	}

	@Test
	void anAnswerWithTooFewVectorsOrAnotherLengthIsRefused() {
		Embedder embedder = OpenAiEmbedder.openAi(base() + "/v1", "sk-test", "text-embedding-3-small", 0, TIMEOUT);
		server.stubFor(post(urlEqualTo("/v1/embeddings")).willReturn(json("""
				{"data":[{"index":0,"embedding":[1.0,0.0]}]}
				""")));
		// One vector for two texts.
		assertThatThrownBy(() -> embedder.embed(List.of("a", "b"))).isInstanceOf(ProviderException.class);
		// text-embedding-3-small has 1536 dimensions, not 2.
		assertThatThrownBy(() -> embedder.embed(List.of("a"))).isInstanceOf(ProviderException.class)
			.hasMessageContaining("expected 1536");
	}

	@Test
	void aServerThatDoesNotAnswerInTimeIsATimeout() {
		server.stubFor(post(urlEqualTo("/v1/embeddings")).willReturn(json("""
				{"data":[{"index":0,"embedding":[1.0]}]}
				""").withFixedDelay(3000)));
		Embedder embedder = OpenAiEmbedder.openAi(base() + "/v1", "sk-test", "m", 0, Duration.ofMillis(300));
		assertThat(kindOf(embedder)).isEqualTo(ProviderException.Kind.TIMEOUT);
	}

	// --- Azure OpenAI ---------------------------------------------------------------

	@Test
	void azureCallsTheDeploymentWithApiKeyAndVersionAndNoModelField() {
		server.stubFor(post(urlEqualTo("/openai/deployments/emb-small/embeddings?api-version=2024-10-21"))
			.withHeader("api-key", equalTo("azure-key"))
			.withHeader("Authorization", absent())
			.withRequestBody(equalToJson("""
					{"input":["reset my password"],"encoding_format":"float"}
					"""))
			.willReturn(
					json("""
							{"data":[{"object":"embedding","index":0,"embedding":[0.0,0.0,2.0]}],"model":"text-embedding-3-small"}
							""")));
		Embedder embedder = OpenAiEmbedder.azure(base() + "/", "azure-key", "emb-small", "2024-10-21", 0, TIMEOUT);

		List<float[]> vectors = embedder.embed(List.of("reset my password"));

		assertThat(vectors.get(0)).containsExactly(new float[] { 0f, 0f, 1f }, within(1e-6f));
		assertThat(embedder.modelId()).isEqualTo("azure:emb-small");
		server.stubFor(post(urlPathEqualTo("/openai/deployments/emb-small/embeddings"))
			.willReturn(aResponse().withStatus(403)));
		assertThat(kindOf(embedder)).isEqualTo(ProviderException.Kind.AUTH);
	}

	// --- Ollama ---------------------------------------------------------------------

	@Test
	void ollamaPostsToApiEmbedAndReadsTheEmbeddingsArray() {
		server.stubFor(post(urlEqualTo("/api/embed")).withRequestBody(equalToJson("""
				{"model":"bge-m3","input":["a","b"],"truncate":true}
				""")).willReturn(json("""
				{"model":"bge-m3","embeddings":[[1.0,0.0],[0.0,-3.0]],"total_duration":1000,"prompt_eval_count":2}
				""")));
		Embedder embedder = OllamaEmbedder.create(base(), "bge-m3", TIMEOUT);
		// bge-m3 is 1024 long; this stub answers 2, which the adapter must refuse.
		assertThatThrownBy(() -> embedder.embed(List.of("a", "b"))).isInstanceOf(ProviderException.class);

		Embedder unknown = OllamaEmbedder.create(base(), "bge-m3:custom-tag-unknown", TIMEOUT);
		assertThat(unknown.dimensions()).isEqualTo(1024);
		Embedder other = OllamaEmbedder.create(base(), "my-embedder", TIMEOUT);
		server
			.stubFor(post(urlEqualTo("/api/embed")).withRequestBody(matchingJsonPath("$.model", equalTo("my-embedder")))
				.willReturn(json("""
						{"model":"my-embedder","embeddings":[[1.0,0.0],[0.0,-3.0]]}
						""")));
		List<float[]> vectors = other.embed(List.of("a", "b"));
		assertThat(vectors.get(1)).containsExactly(new float[] { 0f, -1f }, within(1e-6f));
		assertThat(other.modelId()).isEqualTo("ollama:my-embedder");
		assertThat(other.dimensions()).isEqualTo(2);
	}

	@Test
	void ollamaWithoutThePulledModelIsARefusal() {
		server.stubFor(post(urlEqualTo("/api/embed")).willReturn(aResponse().withStatus(404)
			.withBody("{\"error\":\"model \\\"x\\\" not found, try pulling it first\"}")));
		assertThat(kindOf(OllamaEmbedder.create(base(), "x", TIMEOUT))).isEqualTo(ProviderException.Kind.REJECTED);
	}

	// --- Bedrock Titan --------------------------------------------------------------

	@Test
	void bedrockInvokesTitanOncePerTextSignedWithSigV4() {
		server.stubFor(AwsWire.signed(post(urlPathMatching("/model/amazon\\.titan-embed-text-v2(:|%3A)0/invoke")))
			.withHeader("Content-Type", equalTo("application/json"))
			.withRequestBody(equalToJson("""
					{"inputText":"reset my password","dimensions":3,"normalize":true}
					"""))
			.willReturn(json("""
					{"embedding":[0.0,0.6,0.8],"inputTextTokenCount":4}
					""")));
		server.stubFor(AwsWire.signed(post(urlPathMatching("/model/amazon\\.titan-embed-text-v2(:|%3A)0/invoke")))
			.withRequestBody(equalToJson("""
					{"inputText":"wifi","dimensions":3,"normalize":true}
					"""))
			.willReturn(json("""
					{"embedding":[1.0,0.0,0.0],"inputTextTokenCount":1}
					""")));
		Embedder embedder = BedrockTitanEmbedder.create(Region.of(AwsWire.REGION), base(),
				"amazon.titan-embed-text-v2:0", 3, TIMEOUT);

		List<float[]> vectors = embedder.embed(List.of("reset my password", "wifi"));

		assertThat(vectors.get(0)).containsExactly(new float[] { 0f, 0.6f, 0.8f }, within(1e-6f));
		assertThat(vectors.get(1)).containsExactly(new float[] { 1f, 0f, 0f }, within(1e-6f));
		assertThat(embedder.modelId()).isEqualTo("bedrock:amazon.titan-embed-text-v2:0@3");
		server.verify(2, postRequestedFor(urlPathMatching("/model/.*/invoke")));
	}

	@Test
	void bedrockErrorsMapByTheirAwsErrorType() {
		Embedder embedder = BedrockTitanEmbedder.create(Region.of(AwsWire.REGION), base(),
				"amazon.titan-embed-text-v2:0", 0, TIMEOUT);
		assertThat(embedder.dimensions()).isEqualTo(1024);
		server.stubFor(post(urlPathMatching("/model/.*/invoke")).willReturn(AwsWire.error(429)));
		assertThat(kindOf(embedder)).isEqualTo(ProviderException.Kind.RATE_LIMITED);
		server.stubFor(post(urlPathMatching("/model/.*/invoke")).willReturn(AwsWire.error(403)));
		assertThat(kindOf(embedder)).isEqualTo(ProviderException.Kind.AUTH);
		server.stubFor(post(urlPathMatching("/model/.*/invoke")).willReturn(AwsWire.error(503)));
		assertThat(kindOf(embedder)).isEqualTo(ProviderException.Kind.UNAVAILABLE);
	}

	private static ProviderException.Kind kindOf(Embedder embedder) {
		try {
			embedder.embed(List.of("x"));
		}
		catch (ProviderException ex) {
			assertThat(ex.getMessage()).doesNotContain("secret-detail");
			return ex.kind();
		}
		throw new AssertionError("no failure");
	}

	private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
		return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
	}

}
