package com.ragchat.knowledge;

import java.util.List;

/**
 * Turns texts into vectors for the built-in knowledge base: the in-process model
 * ({@code EMBEDDING_PROVIDER=local}, the default) or a provider's embedding API (see the
 * {@code provider} package). Exactly one exists at run time, chosen by
 * {@link ConditionalOnEmbeddingProvider}.
 * <p>
 * Every stored vector carries the {@link #modelId()} that made it: when the id changes,
 * the knowledge base is re-embedded in the background, and vectors of another model are
 * never compared with this one's.
 */
public interface Embedder extends AutoCloseable {

	/**
	 * A stable name of the model and of every setting that changes its vectors, e.g.
	 * {@code local:all-minilm-l6-v2-q} or {@code openai:text-embedding-3-small}.
	 */
	String modelId();

	/**
	 * Length of every vector; 0 while unknown (a provider's model that is not in its
	 * adapter's table and has not answered yet).
	 */
	int dimensions();

	/**
	 * Embeds {@code texts}, one unit-length vector each (so a dot product is the cosine
	 * similarity), in order. Blocks; may be called from several threads at once.
	 * @throws com.ragchat.rag.ProviderException when a provider fails or refuses
	 */
	List<float[]> embed(List<String> texts);

	/**
	 * Embeds a question; models trained with a query instruction (bge) add it here, the
	 * others embed it like a passage.
	 */
	default float[] embedQuery(String text) {
		return embed(List.of(text)).get(0);
	}

	/** Releases the model or the HTTP client; nothing by default. */
	@Override
	default void close() {
	}

	/** {@code vector} scaled to unit length, in place; returned for chaining. */
	static float[] normalize(float[] vector) {
		double norm = 0;
		for (float value : vector) {
			norm += value * value;
		}
		if (norm > 0) {
			float scale = (float) (1 / Math.sqrt(norm));
			for (int i = 0; i < vector.length; i++) {
				vector[i] *= scale;
			}
		}
		return vector;
	}

}
