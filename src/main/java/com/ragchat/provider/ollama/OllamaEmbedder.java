package com.ragchat.provider.ollama;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import com.ragchat.provider.support.JsonHttp;
import com.ragchat.provider.support.RemoteEmbedder;
import com.ragchat.provider.support.Settings;

/**
 * Ollama's embedding API: {@code POST /api/embed} with {@code {"model", "input": [...],
 * "truncate": true}}, answered by {@code {"model", "embeddings": [[...], ...]}}. The
 * model must have been pulled ({@code ollama pull bge-m3}); a missing one is a 404.
 */
public final class OllamaEmbedder extends RemoteEmbedder {

	private final JsonHttp http;

	private final URI uri;

	private final String model;

	private OllamaEmbedder(URI uri, String model, Duration timeout) {
		super("ollama", modelId("ollama", model, 0), known(model));
		this.http = new JsonHttp("ollama", "embed", timeout);
		this.uri = uri;
		this.model = model;
	}

	/**
	 * @param baseUrl e.g. {@code http://localhost:11434}
	 */
	public static OllamaEmbedder create(String baseUrl, String model, Duration timeout) {
		return new OllamaEmbedder(URI.create(Settings.stripTrailingSlash(baseUrl) + "/api/embed"), model.strip(),
				timeout);
	}

	/** Vector length of common embedding models in Ollama's library (tag ignored). */
	static int known(String model) {
		String name = model.strip();
		int tag = name.indexOf(':');
		return switch ((tag < 0) ? name : name.substring(0, tag)) {
			case "bge-m3", "mxbai-embed-large", "snowflake-arctic-embed2" -> 1024;
			case "nomic-embed-text" -> 768;
			case "all-minilm" -> 384;
			default -> 0;
		};
	}

	@Override
	protected List<float[]> call(List<String> texts) {
		ObjectNode body = JsonHttp.JSON.createObjectNode();
		body.put("model", this.model);
		ArrayNode input = body.putArray("input");
		texts.forEach(input::add);
		body.put("truncate", true);
		JsonNode answer = this.http.post(this.uri, Map.of(), body);
		List<float[]> vectors = new ArrayList<>();
		for (JsonNode embedding : answer.path("embeddings")) {
			vectors.add(JsonHttp.floats(embedding));
		}
		return vectors;
	}

}
