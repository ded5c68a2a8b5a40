package com.ragchat.provider.bedrock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import com.ragchat.provider.support.JsonHttp;
import com.ragchat.provider.support.RemoteEmbedder;
import com.ragchat.rag.ProviderException;

/**
 * Amazon Titan text embeddings through Bedrock's {@code InvokeModel}
 * ({@code POST /model/<id>/invoke}, SigV4-signed by the SDK): one text per call, body
 * {@code {"inputText", "dimensions"?, "normalize": true}} (v2; v1 takes {@code inputText}
 * only), answer {@code {"embedding": [...], "inputTextTokenCount"}}.
 */
public final class BedrockTitanEmbedder extends RemoteEmbedder implements AutoCloseable {

	private final BedrockRuntimeClient client;

	private final String modelId;

	private final int requestedDimensions;

	private final boolean v2;

	private BedrockTitanEmbedder(BedrockRuntimeClient client, String modelId, int dimensions) {
		super("bedrock", modelId("bedrock", modelId, dimensions), known(modelId, dimensions));
		this.client = client;
		this.modelId = modelId;
		this.requestedDimensions = dimensions;
		this.v2 = !modelId.contains("titan-embed-text-v1") && !modelId.contains("titan-embed-g1-text");
	}

	/**
	 * @param endpoint an endpoint override (VPC endpoint, tests), or null for the
	 * region's
	 * @param dimensions 256, 512 or 1024 (Titan v2), or 0 for the model's default
	 */
	public static BedrockTitanEmbedder create(Region region, @Nullable String endpoint, String modelId, int dimensions,
			Duration timeout) {
		BedrockRuntimeClient client = AwsClients.configure(BedrockRuntimeClient.builder(), region, endpoint, timeout)
			.build();
		return new BedrockTitanEmbedder(client, modelId.strip(), dimensions);
	}

	static int known(String modelId, int dimensions) {
		if (dimensions > 0) {
			return dimensions;
		}
		if (modelId.contains("titan-embed-text-v2")) {
			return 1024;
		}
		return (modelId.contains("titan-embed-text-v1") || modelId.contains("titan-embed-g1-text")) ? 1536 : 0;
	}

	@Override
	protected List<float[]> call(List<String> texts) {
		List<float[]> vectors = new ArrayList<>(texts.size());
		for (String text : texts) {
			vectors.add(embedOne(text));
		}
		return vectors;
	}

	private float[] embedOne(String text) {
		ObjectNode body = JsonHttp.JSON.createObjectNode();
		body.put("inputText", text);
		if (this.v2) {
			if (this.requestedDimensions > 0) {
				body.put("dimensions", this.requestedDimensions);
			}
			body.put("normalize", true);
		}
		InvokeModelResponse response;
		try {
			response = this.client.invokeModel((request) -> request.modelId(this.modelId)
				.contentType("application/json")
				.accept("application/json")
				.body(SdkBytes.fromUtf8String(JsonHttp.JSON.writeValueAsString(body))));
		}
		catch (RuntimeException ex) {
			throw AwsFailures.map("bedrock", "embed", ex);
		}
		JsonNode answer;
		try {
			answer = JsonHttp.JSON.readTree(response.body().asUtf8String());
		}
		catch (JacksonException ex) {
			throw new ProviderException("bedrock", "embed", ProviderException.Kind.OTHER, null,
					"bedrock answered with unreadable JSON", null);
		}
		return JsonHttp.floats(answer.path("embedding"));
	}

	@Override
	public void close() {
		this.client.close();
	}

}
