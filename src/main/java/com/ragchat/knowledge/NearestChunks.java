package com.ragchat.knowledge;

import java.util.List;

/**
 * The vector side of retrieval: the in-memory {@link VectorIndex}, or
 * {@link PgVectorSearch} where the database has pgvector.
 */
interface NearestChunks {

	/**
	 * The {@code k} chunks most similar to {@code query}, best first, as of at least
	 * {@code version} of the knowledge base, among every document.
	 */
	default List<Match> nearest(float[] query, int k, long version) {
		return nearest(query, k, version, DocumentVisibility.EVERYTHING);
	}

	/**
	 * As {@link #nearest(float[], int, long)}, among the documents {@code visibility}
	 * lets this search return.
	 */
	List<Match> nearest(float[] query, int k, long version, DocumentVisibility visibility);

	/**
	 * A chunk near the question.
	 *
	 * @param chunkId chunk id
	 * @param similarity (approximate) cosine similarity to the question
	 */
	record Match(long chunkId, double similarity) {
	}

}
