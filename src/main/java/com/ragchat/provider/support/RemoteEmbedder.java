package com.ragchat.provider.support;

import java.util.ArrayList;
import java.util.List;

import com.ragchat.knowledge.Embedder;
import com.ragchat.rag.ProviderException;

/**
 * What every provider's embedding adapter shares: the model id the knowledge base stores
 * with each vector, the vector length (configured, known for the model, or learnt from
 * the first answer), and the checks of an answer: one vector per text, all of that
 * length, scaled to unit length.
 */
public abstract class RemoteEmbedder implements Embedder {

	private final String provider;

	private final String modelId;

	private volatile int dimensions;

	/**
	 * @param provider provider name in failures, e.g. {@code openai}
	 * @param modelId {@link Embedder#modelId()}
	 * @param dimensions vector length when known beforehand, else 0
	 */
	protected RemoteEmbedder(String provider, String modelId, int dimensions) {
		this.provider = provider;
		this.modelId = modelId;
		this.dimensions = dimensions;
	}

	/** The stored model id: {@code provider:model}, with {@code @dimensions} when set. */
	public static String modelId(String provider, String model, int dimensions) {
		return provider + ":" + model.strip() + ((dimensions > 0) ? "@" + dimensions : "");
	}

	@Override
	public final String modelId() {
		return this.modelId;
	}

	@Override
	public final int dimensions() {
		return this.dimensions;
	}

	/** The provider's name, e.g. {@code openai}. */
	public final String provider() {
		return this.provider;
	}

	@Override
	public final List<float[]> embed(List<String> texts) {
		if (texts.isEmpty()) {
			return List.of();
		}
		List<float[]> vectors = call(texts);
		if (vectors.size() != texts.size()) {
			throw failure(
					this.provider + " embed returned " + vectors.size() + " vectors for " + texts.size() + " texts");
		}
		List<float[]> result = new ArrayList<>(vectors.size());
		for (float[] vector : vectors) {
			if (vector.length == 0) {
				throw failure(this.provider + " embed returned an empty vector");
			}
			if (this.dimensions == 0) {
				this.dimensions = vector.length;
			}
			else if (vector.length != this.dimensions) {
				throw failure(this.provider + " embed returned " + vector.length + " dimensions, expected "
						+ this.dimensions);
			}
			result.add(Embedder.normalize(vector));
		}
		return result;
	}

	/** One request for {@code texts}; the vectors in the order of the texts. */
	protected abstract List<float[]> call(List<String> texts);

	/** An answer that breaks the API's contract. */
	protected final ProviderException failure(String message) {
		return new ProviderException(this.provider, "embed", ProviderException.Kind.OTHER, message);
	}

}
