package com.ragchat.knowledge;

import com.ragchat.rag.Cancellation;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.ragchat.rag.PlainText;

import org.springframework.transaction.support.TransactionTemplate;

/**
 * Ingestion and removal of documents. The expensive part (extraction, chunking,
 * embedding) runs before the transaction; the transaction only writes, so a document and
 * all its chunks appear (and disappear) at once, for every instance.
 */
final class KnowledgeService {

	private static final Logger logger = LoggerFactory.getLogger(KnowledgeService.class);

	private final KnowledgeStore store;

	private final TextExtractor extractor;

	private final Chunker chunker;

	private final EmbeddingService embeddings;

	private final TransactionTemplate transactions;

	private final long maxUploadBytes;

	private final int maxChunks;

	KnowledgeService(KnowledgeStore store, TextExtractor extractor, Chunker chunker, EmbeddingService embeddings,
			TransactionTemplate transactions, long maxUploadBytes) {
		this(store, extractor, chunker, embeddings, transactions, maxUploadBytes, 1000);
	}

	KnowledgeService(KnowledgeStore store, TextExtractor extractor, Chunker chunker, EmbeddingService embeddings,
			TransactionTemplate transactions, long maxUploadBytes, int maxChunks) {
		this.maxChunks = maxChunks;
		this.store = store;
		this.extractor = extractor;
		this.chunker = chunker;
		this.embeddings = embeddings;
		this.transactions = transactions;
		this.maxUploadBytes = maxUploadBytes;
	}

	/**
	 * Metadata given with an upload; each value set here wins over what the file itself
	 * declares.
	 *
	 * @param title title
	 * @param kbUrl link to the article
	 * @param kbNumber article number
	 * @param kbCategory category
	 * @param shortDescription one-line summary
	 * @param project owning project
	 * @param tenantId the tenant whose users alone will find the document (null: shared)
	 */
	record UploadMetadata(@Nullable String title, @Nullable String kbUrl, @Nullable String kbNumber,
			@Nullable String kbCategory, @Nullable String shortDescription, @Nullable String project,
			@Nullable Long tenantId) {

		/** A shared document's metadata. */
		UploadMetadata(@Nullable String title, @Nullable String kbUrl, @Nullable String kbNumber,
				@Nullable String kbCategory, @Nullable String shortDescription, @Nullable String project) {
			this(title, kbUrl, kbNumber, kbCategory, shortDescription, project, null);
		}

		/** Every field as plain text (no markup, no control characters). */
		UploadMetadata asPlainText() {
			return new UploadMetadata(PlainText.lineOrNull(this.title),
					(this.kbUrl != null && !this.kbUrl.isBlank()) ? this.kbUrl.strip() : null,
					PlainText.lineOrNull(this.kbNumber), PlainText.lineOrNull(this.kbCategory),
					PlainText.lineOrNull(this.shortDescription), PlainText.lineOrNull(this.project), this.tenantId);
		}

		static UploadMetadata none() {
			return new UploadMetadata(null, null, null, null, null, null);
		}

	}

	/**
	 * Outcome of an upload.
	 *
	 * @param document the stored document
	 * @param created false when the same content was already there
	 */
	record IngestionResult(KnowledgeStore.DocumentRow document, boolean created) {
	}

	IngestionResult ingest(String filename, byte[] content, UploadMetadata uploaded) {
		return ingest(filename, content, uploaded, Cancellation.none());
	}

	/**
	 * Ingests one file unless {@code cancellation} fires first: it is checked between the
	 * steps and between embedding batches, and once more inside the writing transaction,
	 * so a cancelled upload leaves nothing behind (a cancel after the commit is too late
	 * and changes nothing).
	 * @throws IngestionRejectedException when the file is refused
	 * @throws IngestionCancelledException when cancelled before the commit
	 */
	IngestionResult ingest(String filename, byte[] content, UploadMetadata uploaded, Cancellation cancellation) {
		String source = cleanFilename(filename);
		if (uploaded.kbUrl() != null && !uploaded.kbUrl().isBlank() && !PlainText.isWebUrl(uploaded.kbUrl().strip())) {
			throw new IngestionRejectedException(IngestionRejectedException.Reason.INVALID_METADATA,
					"kb_url must be an absolute http or https URL.");
		}
		UploadMetadata given = uploaded.asPlainText();
		TextExtractor.Format format = TextExtractor.Format.of(source);
		if (format == null) {
			throw new IngestionRejectedException(IngestionRejectedException.Reason.UNSUPPORTED_TYPE,
					"Unsupported file type: upload a .md, .txt, .html or .pdf file.");
		}
		if (content.length > this.maxUploadBytes) {
			throw new IngestionRejectedException(IngestionRejectedException.Reason.TOO_LARGE,
					"The file is larger than the upload limit of " + (this.maxUploadBytes / (1024 * 1024)) + " MB.");
		}
		String hash = sha256(content);
		Optional<KnowledgeStore.DocumentRow> existing = this.store.findByHash(hash, given.tenantId());
		if (existing.isPresent()) {
			return new IngestionResult(existing.get(), false);
		}
		ExtractedText text;
		checkpoint(cancellation);
		try {
			text = this.extractor.extract(format, content);
		}
		catch (TextExtractor.UnreadableFileException ex) {
			throw new IngestionRejectedException(IngestionRejectedException.Reason.UNREADABLE, ex.getMessage());
		}
		catch (TextExtractor.LimitExceededException ex) {
			logger.warn("Knowledge base: refused {}: {}", source, ex.getMessage());
			throw new IngestionRejectedException(ex.tooLarge() ? IngestionRejectedException.Reason.TOO_LARGE
					: IngestionRejectedException.Reason.LIMIT_EXCEEDED, ex.getMessage());
		}
		if (!text.hasText()) {
			throw new IngestionRejectedException(IngestionRejectedException.Reason.NO_TEXT, "No extractable text");
		}
		String title = limit(PlainText.line(firstOf(given.title(), text.title(), stripExtension(source))), 300);
		Map<String, String> declared = text.metadata();
		String declaredUrl = declared.get("kb_url");
		if (given.kbUrl() == null && declaredUrl != null && !declaredUrl.isBlank()
				&& !PlainText.isWebUrl(declaredUrl)) {
			throw new IngestionRejectedException(IngestionRejectedException.Reason.INVALID_METADATA,
					"The document's kb_url (front matter or meta tag) must be an absolute http or https URL.");
		}
		KnowledgeStore.DocumentMetadata metadata = new KnowledgeStore.DocumentMetadata(
				limit(firstOf(given.kbUrl(), declared.get("kb_url")), 1000),
				limit(firstOf(given.kbNumber(), declared.get("kb_number")), 100),
				limit(firstOf(given.kbCategory(), declared.get("kb_category")), 200),
				limit(firstOf(given.shortDescription(), declared.get("short_description")), 1000),
				limit(firstOf(given.project(), declared.get("project")), 200));
		checkpoint(cancellation);
		List<Chunker.Chunk> chunks = this.chunker.chunk(title, text.blocks());
		if (chunks.isEmpty()) {
			throw new IngestionRejectedException(IngestionRejectedException.Reason.NO_TEXT, "No extractable text");
		}
		if (chunks.size() > this.maxChunks) {
			throw new IngestionRejectedException(IngestionRejectedException.Reason.LIMIT_EXCEEDED,
					"The document would make " + chunks.size() + " passages, more than " + this.maxChunks
							+ " (KNOWLEDGE_MAX_CHUNKS_PER_DOCUMENT).");
		}
		List<float[][]> vectors;
		try {
			vectors = embed(chunks, cancellation);
		}
		catch (EmbeddingService.BusyException ex) {
			throw new IngestionRejectedException(IngestionRejectedException.Reason.BUSY,
					"The knowledge base is busy ingesting other documents. Please retry shortly.");
		}
		IngestionResult result = this.transactions.execute((status) -> {
			if (cancellation.isCancelled()) {
				status.setRollbackOnly();
				return null;
			}
			this.store.bumpVersion();
			// A concurrent upload of the same file may have committed meanwhile.
			Optional<KnowledgeStore.DocumentRow> raced = this.store.findByHash(hash, given.tenantId());
			if (raced.isPresent()) {
				status.setRollbackOnly();
				return new IngestionResult(raced.get(), false);
			}
			return new IngestionResult(this.store.insert(title, source, format.mediaType(), hash, content.length,
					metadata, given.tenantId(), chunks, vectors), true);
		});
		if (result == null) {
			throw new IngestionCancelledException();
		}
		if (result.created()) {
			logger.info("Knowledge base: ingested document {} \"{}\" ({} chunks)", result.document().id(), title,
					chunks.size());
		}
		return result;
	}

	/** Words per embedded window, and the step between windows of a long chunk. */
	static final int WINDOW_WORDS = 150;

	static final int WINDOW_STEP = 110;

	/**
	 * The texts the model embeds for a chunk: its context, then its text; a chunk longer
	 * than the model's input window ({@value MiniLmEmbedder#MAX_TOKENS} tokens, about 180
	 * words) gets overlapping windows, so that its end is searchable too rather than cut
	 * off. A chunk's similarity to a question is that of its best window.
	 */
	static List<String> embeddingTexts(Chunker.Chunk chunk) {
		String[] words = chunk.text().strip().split("\\s+");
		if (words.length <= WINDOW_WORDS + WINDOW_STEP / 2) {
			return List.of(chunk.context() + "\n" + chunk.text());
		}
		List<String> windows = new java.util.ArrayList<>();
		for (int start = 0; start < words.length; start += WINDOW_STEP) {
			int end = Math.min(words.length, start + WINDOW_WORDS);
			windows.add(chunk.context() + "\n" + String.join(" ", java.util.Arrays.copyOfRange(words, start, end)));
			if (end == words.length) {
				break;
			}
		}
		return windows;
	}

	/**
	 * Embeds every window of every chunk in one batched pass; one array per chunk.
	 * @throws EmbeddingService.BusyException when the embedding pool is saturated
	 */
	List<float[][]> embed(List<Chunker.Chunk> chunks) {
		return embed(chunks, Cancellation.none());
	}

	private List<float[][]> embed(List<Chunker.Chunk> chunks, Cancellation cancellation) {
		List<String> texts = new java.util.ArrayList<>();
		int[] counts = new int[chunks.size()];
		for (int i = 0; i < chunks.size(); i++) {
			List<String> windows = embeddingTexts(chunks.get(i));
			counts[i] = windows.size();
			texts.addAll(windows);
		}
		List<float[]> flat = this.embeddings.embedPassages(texts, cancellation);
		List<float[][]> result = new java.util.ArrayList<>(chunks.size());
		int next = 0;
		for (int count : counts) {
			result.add(flat.subList(next, next + count).toArray(new float[0][]));
			next += count;
		}
		return result;
	}

	private static void checkpoint(Cancellation cancellation) {
		if (cancellation.isCancelled()) {
			throw new IngestionCancelledException();
		}
	}

	boolean delete(long id) {
		Boolean deleted = this.transactions.execute((status) -> {
			this.store.bumpVersion();
			if (!this.store.delete(id)) {
				status.setRollbackOnly();
				return false;
			}
			return true;
		});
		if (Boolean.TRUE.equals(deleted)) {
			logger.info("Knowledge base: deleted document {}", id);
			return true;
		}
		return false;
	}

	Optional<KnowledgeStore.DocumentRow> find(long id) {
		return this.store.find(id);
	}

	/** Every document, newest first. */
	List<KnowledgeStore.DocumentRow> list(int limit, int offset) {
		return this.store.list(limit, offset);
	}

	boolean tenantExists(long tenantId) {
		return this.store.tenantExists(tenantId);
	}

	/**
	 * Deletes every document of a tenant, announcing the change to every replica's index;
	 * joins the caller's transaction.
	 * @return how many documents were deleted
	 */
	int deleteDocumentsOf(long tenantId) {
		Integer deleted = this.transactions.execute((status) -> {
			this.store.bumpVersion();
			int count = 0;
			for (long id : this.store.documentsOf(tenantId)) {
				count += this.store.delete(id) ? 1 : 0;
			}
			return count;
		});
		int count = (deleted != null) ? deleted : 0;
		if (count > 0) {
			logger.info("Knowledge base: deleted the {} documents of tenant {}", count, tenantId);
		}
		return count;
	}

	boolean isEmpty() {
		return this.store.isEmpty();
	}

	static String sha256(byte[] content) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every Java runtime", ex);
		}
	}

	/** The last path segment, without control characters (browsers may send a path). */
	static String cleanFilename(@Nullable String filename) {
		String name = (filename != null) ? filename : "";
		name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
		name = name.replaceAll("\\p{Cntrl}", "").strip();
		return name.isEmpty() ? "document" : limit(name, 255);
	}

	private static String stripExtension(String name) {
		int dot = name.lastIndexOf('.');
		return (dot > 0) ? name.substring(0, dot) : name;
	}

	private static @Nullable String firstOf(@Nullable String... values) {
		for (String value : values) {
			if (value != null && !value.isBlank()) {
				return value.strip();
			}
		}
		return null;
	}

	private static @Nullable String limit(@Nullable String value, int max) {
		if (value == null || value.length() <= max) {
			return value;
		}
		return value.substring(0, max);
	}

}
