package com.ragchat.knowledge;

import java.util.List;

/**
 * An in-process sentence encoder: texts to unit vectors of {@link #DIMENSIONS} floats, so
 * that a dot product is the cosine similarity. Calls block on native code: run them on
 * platform threads (see {@link EmbeddingService}).
 */
interface Embedder extends AutoCloseable {

	/** Dimensions of every vector (the stored format assumes it). */
	int DIMENSIONS = 384;

	/** The model's name, as {@code KNOWLEDGE_EMBEDDING_MODEL} selects it. */
	String name();

	/** Embeds passages for storage, one vector each. */
	float[][] embed(List<String> texts);

	/** Embeds a question; models trained with a query instruction add it here. */
	default float[] embedQuery(String text) {
		return embed(List.of(text))[0];
	}

	@Override
	void close();

}
