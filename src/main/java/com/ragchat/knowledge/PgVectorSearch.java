package com.ragchat.knowledge;

import java.util.List;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The vector side of retrieval when the database has pgvector: PostgreSQL finds the
 * nearest chunks with its HNSW index, so no instance holds the vectors in memory and
 * every instance sees every committed change at once. Detected at start-up, never
 * required.
 * <p>
 * The column and its index come from migration V6 on a database that had the extension
 * when it was first migrated. A versioned migration runs once, so a database that gets
 * the extension later (an in-memory deployment moving to pgvector) is brought up to date
 * by {@link #prepare} at every start instead: it creates the extension and the column
 * when they are missing, fills the column from the embeddings already stored (no
 * re-embedding) and builds the HNSW index.
 */
final class PgVectorSearch implements NearestChunks {

	private static final Logger logger = LoggerFactory.getLogger(PgVectorSearch.class);

	/** Name of the HNSW index (the one V6 creates). */
	static final String INDEX = "knowledge_chunks_embedding_vector_idx";

	/**
	 * Advisory lock key that serialises the schema changes of instances starting
	 * together.
	 */
	private static final long SCHEMA_LOCK = 0x7067766563746f72L;

	/** Chunks filled per transaction at start-up. */
	static final int FILL_BATCH = 500;

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final String embeddingModel;

	private final boolean iterativeScan;

	/**
	 * @param embeddingModel {@link Embedder#modelId()} of the model in use: only its
	 * vectors are searched (others wait to be re-embedded)
	 * @param iterativeScan whether pgvector (0.8 or later) may continue an index scan
	 * until enough rows pass the filters (see {@link #supportsIterativeScan})
	 */
	PgVectorSearch(JdbcClient jdbc, TransactionTemplate transactions, String embeddingModel, boolean iterativeScan) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.embeddingModel = embeddingModel;
		this.iterativeScan = iterativeScan;
	}

	/**
	 * Length of the vectors the pgvector column holds, or -1 without the column.
	 */
	static int columnDimensions(JdbcClient jdbc) {
		return jdbc
			.sql("select atttypmod from pg_attribute where attrelid = 'knowledge_chunks'::regclass "
					+ "and attname = 'embedding_vector' and not attisdropped")
			.query(Integer.class)
			.optional()
			.orElse(-1);
	}

	/** Whether the knowledge base has the pgvector column. */
	static boolean isAvailable(JdbcClient jdbc) {
		return jdbc
			.sql("select exists (select 1 from information_schema.columns where table_schema = current_schema() "
					+ "and table_name = 'knowledge_chunks' and column_name = 'embedding_vector')")
			.query(Boolean.class)
			.single();
	}

	/** Whether the installed pgvector has iterative index scans (0.8.0 and later). */
	static boolean supportsIterativeScan(JdbcClient jdbc) {
		String version = jdbc.sql("select extversion from pg_extension where extname = 'vector'")
			.query(String.class)
			.optional()
			.orElse("0");
		String[] parts = version.split("\\.");
		try {
			int major = Integer.parseInt(parts[0]);
			int minor = (parts.length > 1) ? Integer.parseInt(parts[1]) : 0;
			return major > 0 || minor >= 8;
		}
		catch (NumberFormatException ex) {
			return false;
		}
	}

	/**
	 * The {@code k} chunks nearest to {@code query} by cosine distance; always current,
	 * so {@code version} needs no attention.
	 * <p>
	 * An HNSW scan returns at most {@code hnsw.ef_search} rows (40 by default), and the
	 * filters (this model's vectors, the documents the caller may see) apply after it:
	 * the search widens the scan to {@code 2k} (at least 64) and, where pgvector has
	 * them, lets iterative scans go on until {@code k} rows pass the filters. Both
	 * settings are local to the search's transaction.
	 */
	@Override
	public List<Match> nearest(float[] query, int k, long version, DocumentVisibility visibility) {
		String vector = literal(query);
		String efSearch = Integer.toString(Math.min(1000, Math.max(64, 2 * k)));
		List<Match> matches = this.transactions.execute((status) -> {
			this.jdbc
				.sql("select set_config('hnsw.ef_search', ?, true)"
						+ (this.iterativeScan ? ", set_config('hnsw.iterative_scan', 'strict_order', true)" : ""))
				.param(efSearch)
				.query()
				.listOfRows();
			return this.jdbc
				.sql("select c.id, 1 - (c.embedding_vector <=> cast(? as vector)) as similarity "
						+ "from knowledge_chunks c where c.embedding_vector is not null and c.embedding_model in "
						+ "(select id from knowledge_embedding_models where model = ?) and (? or exists "
						+ "(select 1 from knowledge_documents d where d.id = c.document_id and "
						+ KnowledgeStore.VISIBLE + ")) order by c.embedding_vector <=> cast(? as vector) limit ?")
				.params(vector, this.embeddingModel, visibility.everything(), visibility.tenantId(), vector, k)
				.query((rs, row) -> new Match(rs.getLong(1), rs.getDouble(2)))
				.list();
		});
		return (matches != null) ? matches : List.of();
	}

	/**
	 * What start-up found.
	 *
	 * @param usable whether vectors are searched by pgvector
	 * @param description for the start-up log: where vectors are searched and why
	 */
	record Setup(boolean usable, String description) {
	}

	/**
	 * Brings pgvector's side of the schema up to date, every start (see the class
	 * comment): creates the extension where the server offers it, adds the column for
	 * {@code dimensions}-long vectors, fills it for the chunks that have none from their
	 * stored embeddings, and builds the HNSW index. Nothing of this is required: when any
	 * step cannot be done, vectors are searched in memory and the log says why. Instances
	 * starting together serialise the schema changes on an advisory lock and share the
	 * filling (each locks the rows it fills, skipping rows another locked).
	 * @param embeddingModel the model in use: only its vectors are filled
	 * @param dimensions its vectors' length (0 while unknown)
	 */
	static Setup prepare(JdbcClient jdbc, JdbcTemplate template, TransactionTemplate transactions,
			String embeddingModel, int dimensions) {
		if (!extensionInstalled(jdbc)) {
			if (!extensionAvailable(jdbc)) {
				return new Setup(false, "in memory (pgvector is not installed; that is fine)");
			}
			try {
				transactions.executeWithoutResult((status) -> {
					lockSchema(jdbc);
					jdbc.sql("create extension if not exists vector").update();
				});
				logger.info("Knowledge base: created the pgvector extension (it was available, not yet created)");
			}
			catch (DataAccessException ex) {
				return new Setup(false, "in memory (pgvector is available but could not be created: " + reason(ex)
						+ "; a database administrator may run 'create extension vector')");
			}
		}
		int column = columnDimensions(jdbc);
		if (column < 0) {
			if (dimensions <= 0) {
				return new Setup(false,
						"in memory (the pgvector column is added once the embedding model's dimensions are known)");
			}
			try {
				transactions.executeWithoutResult((status) -> {
					lockSchema(jdbc);
					jdbc.sql("alter table knowledge_chunks add column if not exists embedding_vector vector("
							+ dimensions + ")")
						.update();
				});
			}
			catch (DataAccessException ex) {
				return new Setup(false, "in memory (the pgvector column could not be added: " + reason(ex) + ")");
			}
			column = columnDimensions(jdbc);
			logger.info("Knowledge base: added the pgvector column knowledge_chunks.embedding_vector ({} dimensions)",
					column);
		}
		if (column != dimensions) {
			return new Setup(false, "in memory (the pgvector column holds " + column + " dimensions, not this model's "
					+ dimensions + ")");
		}
		fill(jdbc, template, transactions, embeddingModel, dimensions);
		boolean indexed = ensureIndex(jdbc, transactions);
		return new Setup(true, indexed ? "by pgvector in the database (HNSW index)"
				: "by pgvector in the database (exact scans: this pgvector has no HNSW index)");
	}

	private static boolean extensionInstalled(JdbcClient jdbc) {
		return jdbc.sql("select exists (select 1 from pg_extension where extname = 'vector')")
			.query(Boolean.class)
			.single();
	}

	private static boolean extensionAvailable(JdbcClient jdbc) {
		return jdbc.sql("select exists (select 1 from pg_available_extensions where name = 'vector')")
			.query(Boolean.class)
			.single();
	}

	private static void lockSchema(JdbcClient jdbc) {
		jdbc.sql("select pg_advisory_xact_lock(?)").param(SCHEMA_LOCK).query().listOfRows();
	}

	/**
	 * Fills the pgvector column of this model's chunks that have none from the stored
	 * embeddings ({@link #mean} of the windows, as new chunks get), in id order, a batch
	 * per transaction, logging progress.
	 * @return the chunks this instance filled
	 */
	static long fill(JdbcClient jdbc, JdbcTemplate template, TransactionTemplate transactions, String embeddingModel,
			int dimensions) {
		String models = "(select id from knowledge_embedding_models where model = ? and dimensions = ?)";
		long missing = jdbc
			.sql("select count(*) from knowledge_chunks where embedding_vector is null and embedding_model in "
					+ models)
			.params(embeddingModel, dimensions)
			.query(Long.class)
			.single();
		if (missing == 0) {
			return 0;
		}
		logger.info("Knowledge base: filling the pgvector column of {} chunks from their stored embeddings "
				+ "(no re-embedding)", missing);
		long start = System.nanoTime();
		long lastLog = start;
		long filled = 0;
		long after = Long.MIN_VALUE;
		while (true) {
			long from = after;
			long[] batch = transactions.execute((status) -> {
				List<Object[]> rows = template.query(
						"select id, embedding from knowledge_chunks where id > ? and embedding_vector is null "
								+ "and embedding_model in " + models + " order by id limit ? for update skip locked",
						(rs, row) -> new Object[] { literal(mean(KnowledgeStore.decode(rs.getBytes(2), dimensions))),
								rs.getLong(1) },
						from, embeddingModel, dimensions, FILL_BATCH);
				if (rows.isEmpty()) {
					return new long[] { 0, from };
				}
				template.batchUpdate("update knowledge_chunks set embedding_vector = cast(? as vector) where id = ?",
						rows);
				return new long[] { rows.size(), (Long) rows.get(rows.size() - 1)[1] };
			});
			if (batch == null || batch[0] == 0) {
				break;
			}
			filled += batch[0];
			after = batch[1];
			long now = System.nanoTime();
			if (now - lastLog > 10_000_000_000L) {
				lastLog = now;
				logger.info("Knowledge base: pgvector column filled for {} of {} chunks", filled, missing);
			}
		}
		logger.info("Knowledge base: pgvector column filled for {} chunks in {} ms", filled,
				(System.nanoTime() - start) / 1_000_000);
		return filled;
	}

	/** Builds the HNSW index if it is missing; false where pgvector cannot. */
	private static boolean ensureIndex(JdbcClient jdbc, TransactionTemplate transactions) {
		if (indexExists(jdbc)) {
			return true;
		}
		long start = System.nanoTime();
		logger.info("Knowledge base: building the HNSW index of the pgvector column");
		try {
			transactions.executeWithoutResult((status) -> {
				lockSchema(jdbc);
				jdbc.sql("create index if not exists " + INDEX
						+ " on knowledge_chunks using hnsw (embedding_vector vector_cosine_ops)")
					.update();
			});
		}
		catch (DataAccessException ex) {
			// pgvector older than 0.5 has no HNSW: exact search still works, without an
			// index.
			logger.warn("Knowledge base: no HNSW index ({}); pgvector searches without an index", reason(ex));
			return false;
		}
		logger.info("Knowledge base: HNSW index built in {} ms", (System.nanoTime() - start) / 1_000_000);
		return true;
	}

	static boolean indexExists(JdbcClient jdbc) {
		return jdbc
			.sql("select exists (select 1 from pg_indexes where schemaname = current_schema() "
					+ "and tablename = 'knowledge_chunks' and indexname = ?)")
			.param(INDEX)
			.query(Boolean.class)
			.single();
	}

	private static String reason(DataAccessException ex) {
		Throwable cause = ex.getMostSpecificCause();
		String message = (cause.getMessage() != null) ? cause.getMessage() : cause.getClass().getSimpleName();
		return message.lines().findFirst().orElse(message);
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
