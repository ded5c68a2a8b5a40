package com.ragchat.provider.azure;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import com.ragchat.provider.support.BlockingCalls;
import com.ragchat.provider.support.ProviderFailures;
import com.ragchat.provider.support.Settings;
import com.ragchat.provider.support.SourceFields;
import com.ragchat.rag.Cancellation;
import com.ragchat.rag.Passage;
import com.ragchat.rag.ProviderException;
import com.ragchat.rag.Retriever;

/**
 * Azure AI Search, queried the hybrid way: the question's text for the keyword side and
 * its embedding (from an Azure OpenAI embedding deployment) for a vector query on the
 * index's vector field; Azure fuses both rankings. Documents map to the contract's Source
 * from top-level fields or from a {@code metadata} field (an object, or the JSON string
 * that LangChain-built indexes hold).
 */
public final class AzureSearchRetriever implements Retriever {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http;

	private final URI searchUri;

	private final String searchKey;

	private final URI embeddingUri;

	private final String openAiKey;

	private final String vectorField;

	private final String contentField;

	private final Duration httpTimeout;

	private final @Nullable String tenantField;

	private AzureSearchRetriever(URI searchUri, String searchKey, URI embeddingUri, String openAiKey,
			String vectorField, String contentField, Duration httpTimeout, @Nullable String tenantField) {
		this.tenantField = Settings.present(tenantField) ? tenantField.strip() : null;
		this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
		this.searchUri = searchUri;
		this.searchKey = searchKey;
		this.embeddingUri = embeddingUri;
		this.openAiKey = openAiKey;
		this.vectorField = vectorField;
		this.contentField = contentField;
		this.httpTimeout = httpTimeout;
	}

	/**
	 * @param searchEndpoint e.g. {@code https://my-search.search.windows.net}
	 * @param openAiEndpoint e.g. {@code https://my-resource.openai.azure.com}
	 */
	public static AzureSearchRetriever create(String searchEndpoint, String searchKey, String index,
			String searchApiVersion, String vectorField, String contentField, String openAiEndpoint, String openAiKey,
			String embeddingDeployment, String openAiApiVersion, Duration timeout) {
		return create(searchEndpoint, searchKey, index, searchApiVersion, vectorField, contentField, openAiEndpoint,
				openAiKey, embeddingDeployment, openAiApiVersion, null, timeout);
	}

	/**
	 * As
	 * {@link #create(String, String, String, String, String, String, String, String, String, String, Duration)},
	 * with tenants: the index field {@code tenantField} holds a document's tenant id, or
	 * null for a document every user may find.
	 * @param tenantField the filterable field, or empty for an index every tenant shares
	 */
	public static AzureSearchRetriever create(String searchEndpoint, String searchKey, String index,
			String searchApiVersion, String vectorField, String contentField, String openAiEndpoint, String openAiKey,
			String embeddingDeployment, String openAiApiVersion, @Nullable String tenantField, Duration timeout) {
		URI search = URI.create(Settings.stripTrailingSlash(searchEndpoint) + "/indexes/" + encode(index)
				+ "/docs/search?api-version=" + encode(searchApiVersion));
		URI embeddings = URI.create(Settings.stripTrailingSlash(openAiEndpoint) + "/openai/deployments/"
				+ encode(embeddingDeployment) + "/embeddings?api-version=" + encode(openAiApiVersion));
		return new AzureSearchRetriever(search, searchKey, embeddings, openAiKey, vectorField, contentField,
				Settings.httpBackstop(timeout), tenantField);
	}

	@Override
	public String provider() {
		return "azure";
	}

	@Override
	public List<Passage> retrieve(String query, int limit, Cancellation cancellation) {
		return retrieve(query, limit, null, cancellation);
	}

	@Override
	public List<Passage> retrieve(String query, int limit, @Nullable Long tenantId, Cancellation cancellation) {
		try {
			JsonNode vector = embed(query, cancellation);
			ObjectNode body = JSON.createObjectNode();
			body.put("search", query);
			body.put("top", limit);
			if (this.tenantField != null) {
				// Applies to the keyword and the vector side alike (pre-filtered).
				body.put("filter",
						(tenantId != null)
								? this.tenantField + " eq null or " + this.tenantField + " eq '" + tenantId + "'"
								: this.tenantField + " eq null");
			}
			ObjectNode vectorQuery = body.putArray("vectorQueries").addObject();
			vectorQuery.put("kind", "vector");
			vectorQuery.set("vector", vector);
			vectorQuery.put("fields", this.vectorField);
			vectorQuery.put("k", limit);
			JsonNode response = post(this.searchUri, "api-key", this.searchKey, body, cancellation);
			List<Passage> passages = new ArrayList<>();
			for (JsonNode document : response.path("value")) {
				Passage passage = toPassage(document);
				if (passage != null) {
					passages.add(passage);
				}
				if (passages.size() >= limit) {
					break;
				}
			}
			return passages;
		}
		catch (CancellationException ex) {
			return List.of();
		}
		catch (ProviderException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			if (cancellation.isCancelled()) {
				return List.of();
			}
			throw ProviderFailures.fromThrowable(provider(), "retrieve", ex);
		}
	}

	private JsonNode embed(String query, Cancellation cancellation) {
		ObjectNode body = JSON.createObjectNode();
		body.put("input", query);
		JsonNode response = post(this.embeddingUri, "api-key", this.openAiKey, body, cancellation);
		JsonNode embedding = response.path("data").path(0).path("embedding");
		if (!(embedding instanceof ArrayNode) || embedding.isEmpty()) {
			throw new ProviderException(provider(), "retrieve", ProviderException.Kind.OTHER,
					"azure embeddings returned no vector");
		}
		return embedding;
	}

	private JsonNode post(URI uri, String keyHeader, String key, JsonNode body, Cancellation cancellation) {
		HttpRequest request = HttpRequest.newBuilder(uri)
			.timeout(this.httpTimeout)
			.header("Content-Type", "application/json")
			.header("Accept", "application/json")
			.header(keyHeader, key)
			.POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
			.build();
		HttpResponse<String> response = BlockingCalls
			.call(() -> this.http.send(request, HttpResponse.BodyHandlers.ofString()), cancellation);
		int status = response.statusCode();
		if (status >= 300) {
			throw ProviderFailures.fromStatus(provider(), "retrieve", status,
					ProviderFailures.retryAfter(response.headers().firstValue("Retry-After").orElse(null),
							response.headers().firstValue("retry-after-ms").orElse(null)),
					null);
		}
		try {
			return JSON.readTree(response.body());
		}
		catch (JacksonException ex) {
			throw new ProviderException(provider(), "retrieve", ProviderException.Kind.OTHER, null,
					"azure answered with unreadable JSON", null);
		}
	}

	private @Nullable Passage toPassage(JsonNode document) {
		String content = document.path(this.contentField).asString(null);
		if (content == null || content.isBlank()) {
			return null;
		}
		Map<String, String> fields = new LinkedHashMap<>();
		JsonNode metadata = document.path("metadata");
		if (metadata.isString()) {
			try {
				metadata = JSON.readTree(metadata.asString());
			}
			catch (JacksonException ex) {
				metadata = JSON.createObjectNode();
			}
		}
		collect(metadata, fields);
		collect(document, fields);
		JsonNode reranker = document.path("@search.rerankerScore");
		JsonNode score = reranker.isNumber() ? reranker : document.path("@search.score");
		String fallback = fields.getOrDefault("id", null);
		return new Passage(content,
				SourceFields.toSource(fields::get, fallback, score.isNumber() ? score.asDouble() : null));
	}

	private static void collect(JsonNode node, Map<String, String> fields) {
		if (!node.isObject()) {
			return;
		}
		for (Map.Entry<String, JsonNode> entry : node.properties()) {
			JsonNode value = entry.getValue();
			if (value.isValueNode() && !value.isNull()) {
				fields.putIfAbsent(entry.getKey(), value.asString());
			}
		}
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
