package com.ragchat.provider.openai;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import com.ragchat.provider.support.JsonHttp;
import com.ragchat.provider.support.RemoteEmbedder;
import com.ragchat.provider.support.Settings;

/**
 * The embeddings API of OpenAI ({@code POST /v1/embeddings}, bearer key), of any
 * OpenAI-compatible server at a base URL, and of Azure OpenAI
 * ({@code POST /openai/deployments/<deployment>/embeddings?api-version=…},
 * {@code api-key} header). Request {@code {"input": [...], "model", "encoding_format":
 * "float", "dimensions"?}}; answer {@code {"data": [{"index", "embedding": [...]}]}}.
 */
public final class OpenAiEmbedder extends RemoteEmbedder {

	private static final String OPENAI = "https://api.openai.com/v1";

	private final JsonHttp http;

	private final URI uri;

	private final Map<String, String> headers;

	private final @Nullable String model;

	private final int requestedDimensions;

	private OpenAiEmbedder(String provider, String modelId, int knownDimensions, URI uri, Map<String, String> headers,
			@Nullable String model, int requestedDimensions, Duration timeout) {
		super(provider, modelId, knownDimensions);
		this.http = new JsonHttp(provider, "embed", timeout);
		this.uri = uri;
		this.headers = headers;
		this.model = model;
		this.requestedDimensions = requestedDimensions;
	}

	/**
	 * OpenAI, or an OpenAI-compatible server.
	 * @param baseUrl e.g. {@code http://localhost:8080/v1}; null or empty for OpenAI
	 * @param apiKey null or empty for a server that needs none
	 * @param dimensions shorter vectors ({@code text-embedding-3-*} only), or 0 for the
	 * model's own length
	 */
	public static OpenAiEmbedder openAi(@Nullable String baseUrl, @Nullable String apiKey, String model, int dimensions,
			Duration timeout) {
		String base = Settings.present(baseUrl) ? Settings.stripTrailingSlash(baseUrl) : OPENAI;
		Map<String, String> headers = Settings.present(apiKey) ? Map.of("Authorization", "Bearer " + apiKey.strip())
				: Map.of();
		return new OpenAiEmbedder("openai", modelId("openai", model, dimensions), known(model, dimensions),
				URI.create(base + "/embeddings"), headers, model.strip(), dimensions, timeout);
	}

	/**
	 * An Azure OpenAI embedding deployment.
	 * @param endpoint e.g. {@code https://my-resource.openai.azure.com}
	 */
	public static OpenAiEmbedder azure(String endpoint, String apiKey, String deployment, String apiVersion,
			int dimensions, Duration timeout) {
		URI uri = URI.create(Settings.stripTrailingSlash(endpoint) + "/openai/deployments/" + encode(deployment.strip())
				+ "/embeddings?api-version=" + encode(apiVersion.strip()));
		return new OpenAiEmbedder("azure", modelId("azure", deployment, dimensions), (dimensions > 0) ? dimensions : 0,
				uri, Map.of("api-key", apiKey.strip()), null, dimensions, timeout);
	}

	/** Vector length of OpenAI's own models, when the model is one of them. */
	static int known(String model, int dimensions) {
		if (dimensions > 0) {
			return dimensions;
		}
		return switch (model.strip()) {
			case "text-embedding-3-small", "text-embedding-ada-002" -> 1536;
			case "text-embedding-3-large" -> 3072;
			default -> 0;
		};
	}

	@Override
	protected List<float[]> call(List<String> texts) {
		ObjectNode body = JsonHttp.JSON.createObjectNode();
		ArrayNode input = body.putArray("input");
		texts.forEach(input::add);
		if (this.model != null) {
			body.put("model", this.model);
		}
		body.put("encoding_format", "float");
		if (this.requestedDimensions > 0) {
			body.put("dimensions", this.requestedDimensions);
		}
		JsonNode answer = this.http.post(this.uri, this.headers, body);
		JsonNode data = answer.path("data");
		float[][] vectors = new float[texts.size()][];
		int position = 0;
		for (JsonNode item : data) {
			// Answers carry each vector's index; they come in order, but need not.
			int index = item.path("index").isNumber() ? item.path("index").asInt() : position;
			if (index < 0 || index >= vectors.length || vectors[index] != null) {
				throw failure(provider() + " embed answered with a vector for no text");
			}
			vectors[index] = JsonHttp.floats(item.path("embedding"));
			position++;
		}
		if (position != texts.size()) {
			throw failure(provider() + " embed returned " + position + " vectors for " + texts.size() + " texts");
		}
		return new ArrayList<>(Arrays.asList(vectors));
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
