package com.ragchat.knowledge;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.transaction.support.TransactionTemplate;

/**
 * Re-embeds the knowledge base when the embedding model changed: at start-up it looks for
 * chunks whose vectors another model made (each vector is stored with its model's id)
 * and, if there are any, re-embeds their documents one by one on a background thread,
 * each in its own transaction. Meanwhile the service answers: the full-text side finds
 * every document, the vector side only those already re-embedded, and a chunk still
 * holding the old model's vectors counts as not relevant. Readiness reports the knowledge
 * base as {@code degraded} with the progress (see {@link KnowledgeReadiness}), and the
 * log reports it every tenth of the way.
 * <p>
 * Instances starting together serialise on an advisory lock: one re-embeds, the others
 * wait and find the work done. A failing document (e.g. the embedding provider is
 * unreachable) is retried with a growing pause, up to a minute, until it succeeds or the
 * service stops.
 */
final class KnowledgeReembedder implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(KnowledgeReembedder.class);

	/** Advisory lock key held while re-embedding. */
	static final long REEMBED_LOCK = 0x7261675f7265656dL;

	private static final long MAX_PAUSE_MS = 60_000;

	private final KnowledgeStore store;

	private final KnowledgeService knowledge;

	private final TransactionTemplate transactions;

	private final DataSource dataSource;

	private final long firstPauseMs;

	private volatile boolean running;

	private volatile @Nullable Thread worker;

	/**
	 * @param firstPauseMs pause after a failed document, doubled on each further failure
	 */
	KnowledgeReembedder(KnowledgeStore store, KnowledgeService knowledge, TransactionTemplate transactions,
			DataSource dataSource, long firstPauseMs) {
		this.store = store;
		this.knowledge = knowledge;
		this.transactions = transactions;
		this.dataSource = dataSource;
		this.firstPauseMs = firstPauseMs;
	}

	/**
	 * Starts re-embedding in the background if any stored vector is another model's.
	 * @return whether there was anything to re-embed
	 */
	boolean start() {
		List<Long> stale = this.store.documentsEmbeddedByOtherModels();
		if (stale.isEmpty()) {
			return false;
		}
		long[] progress = this.store.embeddingProgress();
		logger.info(
				"Knowledge base: {} of {} documents were embedded by another model than {}; re-embedding them in the "
						+ "background (progress in this log and in GET /api/health/ready)",
				stale.size(), progress[1], this.store.embeddingModel());
		this.running = true;
		this.worker = Thread.ofPlatform().daemon().name("knowledge-reembed").start(this::run);
		return true;
	}

	/** Whether re-embedding is in progress (here or, awaited, on another instance). */
	boolean isRunning() {
		return this.running;
	}

	/** Progress for operators: the model, documents done and all documents. */
	Map<String, Object> progress() {
		long[] progress = this.store.embeddingProgress();
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("state", this.running ? "re-embedding" : "current");
		details.put("embedding_model", this.store.embeddingModel());
		details.put("documents_done", progress[0]);
		details.put("documents_total", progress[1]);
		details.put("percent", (progress[1] == 0) ? 100 : (int) (100 * progress[0] / progress[1]));
		return details;
	}

	/** Waits until re-embedding ends (tests). */
	void awaitCompletion() throws InterruptedException {
		Thread current = this.worker;
		if (current != null) {
			current.join();
		}
	}

	private void run() {
		long start = System.nanoTime();
		int done = 0;
		try (Connection connection = this.dataSource.getConnection()) {
			advisory(connection, "select pg_advisory_lock(?)");
			try {
				List<Long> stale = this.store.documentsEmbeddedByOtherModels();
				int nextReport = 1;
				for (Long document : stale) {
					if (!reembedWithRetries(document)) {
						return;
					}
					done++;
					if (done * 10 >= nextReport * stale.size()) {
						logger.info("Knowledge base: re-embedded {} of {} documents ({}%)", done, stale.size(),
								100 * done / stale.size());
						nextReport = Math.max(nextReport + 1, done * 10 / stale.size() + 1);
					}
				}
			}
			finally {
				advisory(connection, "select pg_advisory_unlock(?)");
			}
			logger.info("Knowledge base: re-embedding with {} finished ({} documents here, {} ms)",
					this.store.embeddingModel(), done, (System.nanoTime() - start) / 1_000_000);
		}
		catch (SQLException | RuntimeException ex) {
			if (!Thread.currentThread().isInterrupted()) {
				logger.error("Knowledge base: re-embedding stopped after {} documents; it resumes on the next start",
						done, ex);
			}
		}
		finally {
			this.running = false;
		}
	}

	/**
	 * @return false when interrupted (the service is stopping)
	 */
	private boolean reembedWithRetries(long document) {
		long pause = this.firstPauseMs;
		while (true) {
			try {
				reembed(document);
				return true;
			}
			catch (RuntimeException ex) {
				logger.warn("Knowledge base: re-embedding document {} failed ({}); retrying in {} ms", document,
						ex.toString(), pause);
			}
			try {
				Thread.sleep(pause);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
			pause = Math.min(MAX_PAUSE_MS, pause * 2);
		}
	}

	private void reembed(long document) {
		List<KnowledgeStore.StoredChunk> chunks = this.store.storedChunks(document);
		if (chunks.isEmpty()) {
			// Deleted meanwhile.
			return;
		}
		List<float[][]> vectors = this.knowledge.embed(chunks.stream().map(KnowledgeStore.StoredChunk::chunk).toList());
		this.transactions.executeWithoutResult((status) -> {
			this.store.bumpVersion();
			this.store.replaceEmbeddings(document, chunks.stream().map(KnowledgeStore.StoredChunk::id).toList(),
					vectors);
		});
	}

	private static void advisory(Connection connection, String sql) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(sql)) {
			statement.setLong(1, REEMBED_LOCK);
			statement.execute();
		}
	}

	@Override
	public void close() {
		Thread current = this.worker;
		if (current != null) {
			current.interrupt();
		}
	}

}
