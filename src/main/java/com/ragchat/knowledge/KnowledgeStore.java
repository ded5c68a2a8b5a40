package com.ragchat.knowledge;

import java.nio.ByteBuffer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;

/**
 * SQL of the knowledge base. Plain JDBC: chunks carry a byte-array embedding and a
 * generated {@code tsvector}, which an ORM would only get in the way of. Writers call
 * {@link #bumpVersion()} first in their transaction: it serialises them and tells every
 * instance that the index changed.
 */
final class KnowledgeStore {

	private final JdbcClient jdbc;

	private final JdbcTemplate template;

	private final boolean pgVector;

	private final String embeddingModel;

	/** Row of {@code knowledge_embedding_models} for this model, once known. */
	private final java.util.concurrent.ConcurrentHashMap<Integer, Short> modelRows = new java.util.concurrent.ConcurrentHashMap<>();

	/**
	 * @param pgVector whether chunks also store their vector in pgvector's column (see
	 * {@link PgVectorSearch})
	 * @param embeddingModel {@link Embedder#modelId()} of the model in use: new vectors
	 * are stored as its, and only its vectors are read back
	 */
	KnowledgeStore(JdbcClient jdbc, JdbcTemplate template, boolean pgVector, String embeddingModel) {
		this.jdbc = jdbc;
		this.template = template;
		this.pgVector = pgVector;
		this.embeddingModel = embeddingModel;
	}

	KnowledgeStore(JdbcClient jdbc, JdbcTemplate template, boolean pgVector) {
		this(jdbc, template, pgVector, LocalEmbedder.MODEL_ID);
	}

	KnowledgeStore(JdbcClient jdbc, JdbcTemplate template) {
		this(jdbc, template, false);
	}

	/** Whether chunks also store their vector in pgvector's column. */
	boolean pgVector() {
		return this.pgVector;
	}

	/** The embedding model whose vectors this store writes and reads. */
	String embeddingModel() {
		return this.embeddingModel;
	}

	/**
	 * A stored document.
	 *
	 * @param id id
	 * @param title title
	 * @param source uploaded file name
	 * @param mediaType type of the file
	 * @param contentHash SHA-256 of the file, hex
	 * @param sizeBytes file size
	 * @param metadata the article metadata
	 * @param chunkCount number of chunks
	 * @param status {@code ready}
	 * @param createdAt ingestion time
	 * @param tenantId the tenant whose users alone find it, or null for a shared document
	 */
	record DocumentRow(long id, String title, String source, String mediaType, String contentHash, long sizeBytes,
			DocumentMetadata metadata, int chunkCount, String status, Instant createdAt, @Nullable Long tenantId) {

		/**
		 * Whether a member of {@code tenant} (null: no tenant) may find this document.
		 */
		boolean visibleTo(@Nullable Long tenant) {
			return this.tenantId == null || this.tenantId.equals(tenant);
		}

	}

	/**
	 * What a document says about itself, flowing into every
	 * {@link com.ragchat.rag.Source}.
	 *
	 * @param kbUrl link to the article
	 * @param kbNumber article number
	 * @param kbCategory category
	 * @param shortDescription one-line summary
	 * @param project owning project
	 */
	record DocumentMetadata(@Nullable String kbUrl, @Nullable String kbNumber, @Nullable String kbCategory,
			@Nullable String shortDescription, @Nullable String project) {
	}

	/**
	 * A chunk with its document, as retrieval returns it.
	 *
	 * @param id chunk id
	 * @param ordinal position in its document
	 * @param context the document title and the headings the chunk sits under
	 * @param content passage text
	 * @param embeddings the stored vectors (one per embedded window)
	 * @param document its document
	 */
	record ChunkRow(long id, int ordinal, String context, String content, float[][] embeddings, DocumentRow document) {
	}

	/** Receives stored embeddings while the index loads them. */
	@FunctionalInterface
	interface EmbeddingSink {

		void accept(long documentId, long chunkId, float[][] embeddings);

	}

	private static final String DOCUMENT_COLUMNS = "d.id, d.title, d.source, d.media_type, d.content_hash, d.size_bytes, "
			+ "d.kb_url, d.kb_number, d.kb_category, d.short_description, d.project, d.chunk_count, d.status, d.created_at, "
			+ "d.tenant_id";

	/**
	 * The SQL condition that a document {@code d} is visible to the tenant bound to its
	 * one parameter (null: shared documents only).
	 */
	static final String VISIBLE = "(d.tenant_id is null or d.tenant_id = cast(? as bigint))";

	private static final RowMapper<DocumentRow> DOCUMENTS = (rs, row) -> document(rs);

	long version() {
		return this.jdbc.sql("select version from knowledge_state where id = 1").query(Long.class).single();
	}

	/** Takes the writers' lock (until commit) and announces a change. */
	long bumpVersion() {
		return this.jdbc.sql("update knowledge_state set version = version + 1 where id = 1 returning version")
			.query(Long.class)
			.single();
	}

	/** The document of {@code tenantId} (null: the shared one) with this content. */
	Optional<DocumentRow> findByHash(String contentHash, @Nullable Long tenantId) {
		return this.jdbc
			.sql("select " + DOCUMENT_COLUMNS
					+ " from knowledge_documents d where d.content_hash = ? and d.tenant_id is not distinct from ?")
			.params(contentHash, tenantId)
			.query(DOCUMENTS)
			.optional();
	}

	Optional<DocumentRow> find(long id) {
		return this.jdbc.sql("select " + DOCUMENT_COLUMNS + " from knowledge_documents d where d.id = ?")
			.param(id)
			.query(DOCUMENTS)
			.optional();
	}

	/** Whether a tenant with this id exists. */
	boolean tenantExists(long tenantId) {
		return this.jdbc.sql("select exists (select 1 from tenants where id = ?)")
			.param(tenantId)
			.query(Boolean.class)
			.single();
	}

	/** The tenant of every document that has one, by document id. */
	Map<Long, Long> documentTenants() {
		Map<Long, Long> owners = new HashMap<>();
		this.template.query("select id, tenant_id from knowledge_documents where tenant_id is not null",
				(ResultSet rs) -> {
					owners.put(rs.getLong(1), rs.getLong(2));
				});
		return owners;
	}

	/** The ids of a tenant's documents. */
	List<Long> documentsOf(long tenantId) {
		return this.jdbc.sql("select id from knowledge_documents where tenant_id = ?")
			.param(tenantId)
			.query(Long.class)
			.list();
	}

	/** Every document, newest first. */
	List<DocumentRow> list(int limit, int offset) {
		return this.jdbc
			.sql("select " + DOCUMENT_COLUMNS
					+ " from knowledge_documents d order by d.created_at desc, d.id desc limit ? offset ?")
			.params(limit, offset)
			.query(DOCUMENTS)
			.list();
	}

	boolean isEmpty() {
		return !this.jdbc.sql("select exists (select 1 from knowledge_documents)").query(Boolean.class).single();
	}

	/** Inserts a document and its chunks; call inside a transaction. */
	DocumentRow insert(String title, String source, String mediaType, String contentHash, long sizeBytes,
			DocumentMetadata metadata, List<Chunker.Chunk> chunks, List<float[][]> embeddings) {
		return insert(title, source, mediaType, contentHash, sizeBytes, metadata, null, chunks, embeddings);
	}

	/** Inserts a document of {@code tenantId} (null: shared) and its chunks. */
	DocumentRow insert(String title, String source, String mediaType, String contentHash, long sizeBytes,
			DocumentMetadata metadata, @Nullable Long tenantId, List<Chunker.Chunk> chunks,
			List<float[][]> embeddings) {
		KeyHolder keys = new GeneratedKeyHolder();
		this.jdbc
			.sql("insert into knowledge_documents (title, source, media_type, content_hash, size_bytes, kb_url, "
					+ "kb_number, kb_category, short_description, project, chunk_count, tenant_id) "
					+ "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
			.params(title, source, mediaType, contentHash, sizeBytes, metadata.kbUrl(), metadata.kbNumber(),
					metadata.kbCategory(), metadata.shortDescription(), metadata.project(), chunks.size(), tenantId)
			.update(keys, "id");
		long documentId = ((Number) keys.getKeys().get("id")).longValue();
		insertChunks(documentId, chunks, embeddings);
		return find(documentId).orElseThrow();
	}

	void insertChunks(long documentId, List<Chunker.Chunk> chunks, List<float[][]> embeddings) {
		short model = modelRow(embeddings.get(0)[0].length);
		List<Object[]> rows = new ArrayList<>(chunks.size());
		for (int i = 0; i < chunks.size(); i++) {
			Chunker.Chunk chunk = chunks.get(i);
			rows.add(this.pgVector ? new Object[] { documentId, chunk.ordinal(), chunk.context(), chunk.text(),
					encode(embeddings.get(i)), model, PgVectorSearch.literal(PgVectorSearch.mean(embeddings.get(i))) }
					: new Object[] { documentId, chunk.ordinal(), chunk.context(), chunk.text(),
							encode(embeddings.get(i)), model });
		}
		this.template.batchUpdate(this.pgVector
				? "insert into knowledge_chunks (document_id, ordinal, context, content, embedding, embedding_model, "
						+ "embedding_vector) values (?, ?, ?, ?, ?, ?, cast(? as vector))"
				: "insert into knowledge_chunks (document_id, ordinal, context, content, embedding, embedding_model) "
						+ "values (?, ?, ?, ?, ?, ?)",
				rows);
	}

	/**
	 * The {@code knowledge_embedding_models} row of this store's model with
	 * {@code dimensions}, created on first use.
	 */
	private short modelRow(int dimensions) {
		return this.modelRows.computeIfAbsent(dimensions, (d) -> {
			this.jdbc
				.sql("insert into knowledge_embedding_models (model, dimensions) values (?, ?) "
						+ "on conflict (model, dimensions) do nothing")
				.params(this.embeddingModel, d)
				.update();
			return this.jdbc.sql("select id from knowledge_embedding_models where model = ? and dimensions = ?")
				.params(this.embeddingModel, d)
				.query(Short.class)
				.single();
		});
	}

	/**
	 * A chunk's text as stored, for re-embedding.
	 *
	 * @param id chunk id
	 * @param chunk ordinal, context and text
	 */
	record StoredChunk(long id, Chunker.Chunk chunk) {
	}

	/** Documents with at least one chunk embedded by another model than this store's. */
	List<Long> documentsEmbeddedByOtherModels() {
		return this.jdbc
			.sql("select distinct c.document_id from knowledge_chunks c join knowledge_embedding_models m "
					+ "on m.id = c.embedding_model where m.model <> ? order by c.document_id")
			.param(this.embeddingModel)
			.query(Long.class)
			.list();
	}

	/**
	 * Progress of re-embedding: documents whose chunks are all this store's model, and
	 * all documents.
	 */
	long[] embeddingProgress() {
		return this.jdbc
			.sql("select (select count(*) from knowledge_documents) - (select count(distinct c.document_id) "
					+ "from knowledge_chunks c join knowledge_embedding_models m on m.id = c.embedding_model "
					+ "where m.model <> ?), (select count(*) from knowledge_documents)")
			.param(this.embeddingModel)
			.query((rs, row) -> new long[] { rs.getLong(1), rs.getLong(2) })
			.single();
	}

	/** A document's chunks, in order. */
	List<StoredChunk> storedChunks(long documentId) {
		return this.jdbc
			.sql("select id, ordinal, context, content from knowledge_chunks where document_id = ? order by ordinal")
			.param(documentId)
			.query((rs, row) -> new StoredChunk(rs.getLong(1),
					new Chunker.Chunk(rs.getInt(2), rs.getString(3), rs.getString(4))))
			.list();
	}

	/**
	 * Replaces the vectors of a document's chunks with this store's model's; call inside
	 * a transaction, after {@link #bumpVersion()}. Instances reload the document's
	 * vectors (its {@code embedding_revision} moves).
	 */
	void replaceEmbeddings(long documentId, List<Long> chunkIds, List<float[][]> embeddings) {
		short model = modelRow(embeddings.get(0)[0].length);
		List<Object[]> rows = new ArrayList<>(chunkIds.size());
		for (int i = 0; i < chunkIds.size(); i++) {
			rows.add(this.pgVector ? new Object[] { encode(embeddings.get(i)), model,
					PgVectorSearch.literal(PgVectorSearch.mean(embeddings.get(i))), chunkIds.get(i), documentId }
					: new Object[] { encode(embeddings.get(i)), model, chunkIds.get(i), documentId });
		}
		this.template.batchUpdate(this.pgVector
				? "update knowledge_chunks set embedding = ?, embedding_model = ?, embedding_vector = cast(? as vector) "
						+ "where id = ? and document_id = ?"
				: "update knowledge_chunks set embedding = ?, embedding_model = ?"
						+ (hasPgVectorColumn() ? ", embedding_vector = null" : "")
						+ " where id = ? and document_id = ?",
				rows);
		this.jdbc.sql("update knowledge_documents set embedding_revision = embedding_revision + 1 where id = ?")
			.param(documentId)
			.update();
	}

	private volatile @Nullable Boolean pgVectorColumn;

	private boolean hasPgVectorColumn() {
		Boolean known = this.pgVectorColumn;
		if (known == null) {
			known = PgVectorSearch.isAvailable(this.jdbc);
			this.pgVectorColumn = known;
		}
		return known;
	}

	boolean delete(long id) {
		return this.jdbc.sql("delete from knowledge_documents where id = ?").param(id).update() > 0;
	}

	List<Long> documentIds() {
		return this.jdbc.sql("select id from knowledge_documents").query(Long.class).list();
	}

	/**
	 * Every document's id and its embedding revision (which moves when its chunks are
	 * re-embedded).
	 */
	Map<Long, Integer> documentRevisions() {
		Map<Long, Integer> revisions = new HashMap<>();
		this.jdbc.sql("select id, embedding_revision from knowledge_documents")
			.query((org.springframework.jdbc.core.RowCallbackHandler) (rs) -> revisions.put(rs.getLong(1),
					rs.getInt(2)));
		return revisions;
	}

	void loadEmbeddings(Collection<Long> documentIds, EmbeddingSink sink) {
		if (documentIds.isEmpty()) {
			return;
		}
		this.template.query((connection) -> {
			var statement = connection.prepareStatement("select c.document_id, c.id, c.embedding, m.dimensions "
					+ "from knowledge_chunks c join knowledge_embedding_models m on m.id = c.embedding_model "
					+ "where c.document_id = any (?) and m.model = ? order by c.document_id, c.ordinal");
			statement.setArray(1, connection.createArrayOf("bigint", documentIds.toArray()));
			statement.setString(2, this.embeddingModel);
			statement.setFetchSize(2000);
			return statement;
		}, (ResultSet rs) -> {
			sink.accept(rs.getLong(1), rs.getLong(2), decode(rs.getBytes(3), rs.getInt(4)));
		});
	}

	/** Most question words the full-text side looks at. */
	private static final int MAX_LEXEMES = 12;

	/**
	 * Rows ranked at most, for chunks sharing two question words and for the any-word
	 * fallback: ranking reads every matching row, and common words can match a large
	 * share of a big knowledge base. Beyond the bound the full-text side sees an
	 * arbitrary subset of the matches (the vector side still ranks every chunk).
	 */
	static final int PAIR_SCAN_LIMIT = 2000;

	static final int ANY_WORD_SCAN_LIMIT = 500;

	/**
	 * Chunk ids for a question, best first. Chunks sharing at least two of the question's
	 * words come first (a pairwise query the GIN index answers cheaply), ranked by
	 * {@code ts_rank} with title and headings weighing more; only when they are too few
	 * do chunks with any one of the words fill up. Both scans are bounded
	 * ({@link #PAIR_SCAN_LIMIT}, {@link #ANY_WORD_SCAN_LIMIT}).
	 */
	List<Long> fullText(String question, int limit) {
		return fullText(question, limit, null);
	}

	/** As {@link #fullText(String, int)}, among the documents {@code tenantId} sees. */
	List<Long> fullText(String question, int limit, @Nullable Long tenantId) {
		List<String> lexemes = lexemes(question);
		if (lexemes.isEmpty()) {
			return List.of();
		}
		java.util.LinkedHashSet<Long> ids = new java.util.LinkedHashSet<>();
		if (lexemes.size() >= 2) {
			List<String> pairs = new ArrayList<>();
			for (int i = 0; i < lexemes.size(); i++) {
				for (int j = i + 1; j < lexemes.size(); j++) {
					pairs.add("(" + lexemes.get(i) + " & " + lexemes.get(j) + ")");
				}
			}
			ids.addAll(this.jdbc
				.sql("select s.id from (select c.id, c.search_vector from knowledge_chunks c "
						+ "join knowledge_documents d on d.id = c.document_id, to_tsquery('simple', ?) q "
						+ "where c.search_vector @@ q and " + VISIBLE + " limit ?) s, to_tsquery('simple', ?) r "
						+ "order by ts_rank(s.search_vector, r, 1) desc, s.id limit ?")
				.params(String.join(" | ", pairs), tenantId, PAIR_SCAN_LIMIT, String.join(" | ", lexemes), limit)
				.query(Long.class)
				.list());
		}
		if (ids.size() < limit) {
			ids.addAll(this.jdbc
				.sql("select s.id from (select c.id, c.search_vector from knowledge_chunks c "
						+ "join knowledge_documents d on d.id = c.document_id, to_tsquery('simple', ?) q "
						+ "where c.search_vector @@ q and " + VISIBLE + " limit ?) s, to_tsquery('simple', ?) r "
						+ "order by ts_rank(s.search_vector, r, 1) desc, s.id limit ?")
				.params(String.join(" | ", lexemes), tenantId, ANY_WORD_SCAN_LIMIT, String.join(" | ", lexemes), limit)
				.query(Long.class)
				.list());
		}
		return ids.stream().limit(limit).toList();
	}

	/**
	 * The question's words as the index stores them (English stems, stop words gone), in
	 * the order they appear; only plain letters and digits, so they are safe in a query.
	 */
	List<String> lexemes(String question) {
		List<String> lexemes = this.jdbc
			.sql("select lexeme from unnest(to_tsvector('english', ?)) order by positions[1]")
			.param(question)
			.query(String.class)
			.list();
		return lexemes.stream()
			.filter((lexeme) -> lexeme.matches("[\\p{L}\\p{N}]+"))
			.distinct()
			.limit(MAX_LEXEMES)
			.toList();
	}

	/**
	 * Every word of the knowledge base (lower case, as written) with the number of chunks
	 * it occurs in: the vocabulary that typos are corrected against.
	 */
	java.util.Map<String, Integer> vocabulary() {
		java.util.Map<String, Integer> words = new java.util.HashMap<>();
		this.template.query("select word, ndoc from ts_stat('select to_tsvector(''simple'', context || '' '' || "
				+ "content) from knowledge_chunks') where length(word) >= 3", (ResultSet rs) -> {
					words.put(rs.getString(1), rs.getInt(2));
				});
		return words;
	}

	List<ChunkRow> chunks(Collection<Long> ids) {
		if (ids.isEmpty()) {
			return List.of();
		}
		return this.template.query((connection) -> {
			var statement = connection
				.prepareStatement("select c.id as chunk_id, c.ordinal as chunk_ordinal, c.context as chunk_context, "
						+ "c.content as chunk_content, "
						+ "c.embedding as chunk_embedding, m.model as embedding_model, m.dimensions as embedding_dimensions, "
						+ DOCUMENT_COLUMNS
						+ " from knowledge_chunks c join knowledge_documents d on d.id = c.document_id "
						+ "join knowledge_embedding_models m on m.id = c.embedding_model where c.id = any (?)");
			statement.setArray(1, connection.createArrayOf("bigint", ids.toArray()));
			return statement;
		}, (rs, row) -> new ChunkRow(rs.getLong("chunk_id"), rs.getInt("chunk_ordinal"), rs.getString("chunk_context"),
				rs.getString("chunk_content"),
				// Another model's vectors (not re-embedded yet) mean nothing to this
				// one's
				// questions: no vectors, so the chunk is not relevant for now.
				this.embeddingModel.equals(rs.getString("embedding_model"))
						? decode(rs.getBytes("chunk_embedding"), rs.getInt("embedding_dimensions")) : new float[0][],
				document(rs)));
	}

	private static DocumentRow document(ResultSet rs) throws SQLException {
		Timestamp created = rs.getTimestamp("created_at");
		return new DocumentRow(rs.getLong("id"), rs.getString("title"), rs.getString("source"),
				rs.getString("media_type"), rs.getString("content_hash"), rs.getLong("size_bytes"),
				new DocumentMetadata(rs.getString("kb_url"), rs.getString("kb_number"), rs.getString("kb_category"),
						rs.getString("short_description"), rs.getString("project")),
				rs.getInt("chunk_count"), rs.getString("status"), created.toInstant(),
				rs.getObject("tenant_id", Long.class));
	}

	/** Vectors of equal length, concatenated, as big-endian floats. */
	static byte[] encode(float[][] vectors) {
		ByteBuffer buffer = ByteBuffer.allocate(vectors.length * vectors[0].length * Float.BYTES);
		for (float[] vector : vectors) {
			buffer.asFloatBuffer().put(vector);
			buffer.position(buffer.position() + vector.length * Float.BYTES);
		}
		return buffer.array();
	}

	/** MiniLM's vectors (see {@link #decode(byte[], int)}). */
	static float[][] decode(byte[] bytes) {
		return decode(bytes, MiniLmEmbedder.DIMENSIONS);
	}

	/** The vectors of {@link #encode(float[][])}, each {@code dimensions} long. */
	static float[][] decode(byte[] bytes, int dimensions) {
		int count = bytes.length / (dimensions * Float.BYTES);
		float[][] vectors = new float[count][dimensions];
		ByteBuffer buffer = ByteBuffer.wrap(bytes);
		for (float[] vector : vectors) {
			buffer.asFloatBuffer().get(vector);
			buffer.position(buffer.position() + vector.length * Float.BYTES);
		}
		return vectors;
	}

}
