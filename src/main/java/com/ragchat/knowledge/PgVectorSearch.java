package com.ragchat.knowledge;

import java.util.List;
import java.util.Locale;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The vector side of retrieval when the database has pgvector (migration V6 adds the
 * {@code embedding_vector} column only then): PostgreSQL finds the nearest chunks with
 * its HNSW index, so no instance holds the vectors in memory and every instance sees
 * every committed change at once. Detected at start-up, never required.
 */
final class PgVectorSearch implements NearestChunks {

	private final JdbcClient jdbc;

	private final String embeddingModel;

	/**
	 * @param embeddingModel {@link Embedder#modelId()} of the model in use: only its
	 * vectors are searched (others wait to be re-embedded)
	 */
	PgVectorSearch(JdbcClient jdbc, String embeddingModel) {
		this.jdbc = jdbc;
		this.embeddingModel = embeddingModel;
	}

	PgVectorSearch(JdbcClient jdbc) {
		this(jdbc, LocalEmbedder.MODEL_ID);
	}

	/**
	 * Length of the vectors the pgvector column holds (V6 creates it for MiniLM's 384);
	 * another model's vectors are searched in memory.
	 */
	static int columnDimensions(JdbcClient jdbc) {
		return jdbc
			.sql("select atttypmod from pg_attribute where attrelid = 'knowledge_chunks'::regclass "
					+ "and attname = 'embedding_vector' and not attisdropped")
			.query(Integer.class)
			.optional()
			.orElse(-1);
	}

	/** Whether the knowledge base has the pgvector column (see V6). */
	static boolean isAvailable(JdbcClient jdbc) {
		return jdbc
			.sql("select exists (select 1 from information_schema.columns where table_schema = current_schema() "
					+ "and table_name = 'knowledge_chunks' and column_name = 'embedding_vector')")
			.query(Boolean.class)
			.single();
	}

	/**
	 * The {@code k} chunks nearest to {@code query} by cosine distance; always current,
	 * so {@code version} needs no attention.
	 */
	@Override
	public List<Match> nearest(float[] query, int k, long version, DocumentVisibility visibility) {
		String vector = literal(query);
		return this.jdbc
			.sql("select c.id, 1 - (c.embedding_vector <=> cast(? as vector)) as similarity "
					+ "from knowledge_chunks c join knowledge_documents d on d.id = c.document_id "
					+ "where c.embedding_vector is not null and c.embedding_model in "
					+ "(select id from knowledge_embedding_models where model = ?) and (? or " + KnowledgeStore.VISIBLE
					+ ") order by c.embedding_vector <=> cast(? as vector) limit ?")
			.params(vector, this.embeddingModel, visibility.everything(), visibility.tenantId(), vector, k)
			.query((rs, row) -> new Match(rs.getLong(1), rs.getDouble(2)))
			.list();
	}

	/** A chunk's vector for pgvector: the normalised mean of its windows. */
	static float[] mean(float[][] windows) {
		float[] mean = new float[windows[0].length];
		for (float[] window : windows) {
			for (int i = 0; i < mean.length; i++) {
				mean[i] += window[i];
			}
		}
		double norm = 0;
		for (float value : mean) {
			norm += value * value;
		}
		float scale = (norm > 0) ? (float) (1 / Math.sqrt(norm)) : 0f;
		for (int i = 0; i < mean.length; i++) {
			mean[i] *= scale;
		}
		return mean;
	}

	/** pgvector's text form: {@code [0.1,-0.2,…]}. */
	static String literal(float[] vector) {
		StringBuilder text = new StringBuilder(vector.length * 12).append('[');
		for (int i = 0; i < vector.length; i++) {
			if (i > 0) {
				text.append(',');
			}
			text.append(String.format(Locale.ROOT, "%.7g", vector[i]));
		}
		return text.append(']').toString();
	}

}
