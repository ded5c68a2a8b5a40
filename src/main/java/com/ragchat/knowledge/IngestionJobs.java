package com.ragchat.knowledge;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.ragchat.rag.Cancellation;

import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Uploads run as jobs on a bounded pool of ingestion threads, never on request threads: a
 * hostile or huge document occupies one ingestion thread (within the extraction, size and
 * passage limits), not the web server. Each job has a row in
 * {@code knowledge_ingestion_jobs}, so any replica can report or cancel it; the file and
 * the work stay on the replica that accepted the upload.
 * <p>
 * A synchronous upload (the compatible route) waits for its job up to
 * {@code KNOWLEDGE_UPLOAD_WAIT}. An asynchronous one ({@code Prefer: respond-async})
 * answers 202 at once and is polled; a job nobody polled for
 * {@code KNOWLEDGE_JOB_ABANDON_AFTER} is abandoned and cancelled, and {@code DELETE}
 * cancels it on request. Cancellation is checked between the steps of ingestion and
 * inside the writing transaction, so a cancelled job stores nothing.
 */
final class IngestionJobs implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(IngestionJobs.class);

	/** Job states as stored. */
	static final String QUEUED = "queued";

	static final String RUNNING = "running";

	static final String SUCCEEDED = "succeeded";

	static final String FAILED = "failed";

	static final String CANCELLED = "cancelled";

	private static final String COLUMNS = "id, status, source, size_bytes, document_id, created_document, "
			+ "problem_status, problem_detail, created_at, updated_at";

	private final KnowledgeService knowledge;

	private final JdbcTemplate jdbc;

	private final IngestionJobProperties properties;

	private final ThreadPoolExecutor pool;

	/** Jobs this replica runs or queues, with what cancels them. */
	private final Map<UUID, Running> local = new ConcurrentHashMap<>();

	IngestionJobs(KnowledgeService knowledge, JdbcTemplate jdbc, IngestionJobProperties properties) {
		this.knowledge = knowledge;
		this.jdbc = jdbc;
		this.properties = properties;
		AtomicInteger counter = new AtomicInteger();
		this.pool = new ThreadPoolExecutor(
				properties.threads(), properties.threads(), 30, TimeUnit.SECONDS, (properties.queue() > 0)
						? new ArrayBlockingQueue<>(properties.queue()) : new java.util.concurrent.SynchronousQueue<>(),
				(runnable) -> {
					Thread thread = new Thread(runnable, "knowledge-ingest-" + counter.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				}, new ThreadPoolExecutor.AbortPolicy());
		this.pool.allowCoreThreadTimeOut(true);
	}

	/**
	 * A job's state as clients see it.
	 *
	 * @param id the job's id
	 * @param status queued, running, succeeded, failed or cancelled
	 * @param source the uploaded file's name
	 * @param sizeBytes its size
	 * @param documentId the document it made or found, once succeeded
	 * @param createdDocument whether that document is new (201) or was there already
	 * @param problemStatus the HTTP status the upload would have got, once failed
	 * @param problemDetail what was wrong, once failed or cancelled
	 * @param createdAt when the upload arrived
	 * @param updatedAt when the state last changed
	 */
	record Job(UUID id, String status, String source, long sizeBytes, @Nullable Long documentId,
			@Nullable Boolean createdDocument, @Nullable Integer problemStatus, @Nullable String problemDetail,
			Instant createdAt, Instant updatedAt) {

		boolean finished() {
			return SUCCEEDED.equals(this.status) || FAILED.equals(this.status) || CANCELLED.equals(this.status);
		}

	}

	/** A job of this replica: its cancellation and what its waiter waits for. */
	record Running(Cancellation cancellation, CompletableFuture<Job> done) {
	}

	/** A job started by {@link #submit}: its row and the future of its end. */
	record Submitted(Job job, CompletableFuture<Job> done) {
	}

	/**
	 * Queues the ingestion of one file.
	 * @throws IngestionRejectedException (busy) when the pool and its queue are full
	 */
	Submitted submit(String filename, byte[] content, KnowledgeService.UploadMetadata metadata) {
		UUID id = UUID.randomUUID();
		String source = KnowledgeService.cleanFilename(filename);
		Timestamp now = Timestamp.from(Instant.now());
		this.jdbc.update(
				"insert into knowledge_ingestion_jobs (id, status, source, size_bytes, created_at, updated_at, "
						+ "last_polled_at) values (?, ?, ?, ?, ?, ?, ?)",
				id, QUEUED, source, content.length, now, now, now);
		Running running = new Running(new Cancellation(), new CompletableFuture<>());
		this.local.put(id, running);
		try {
			this.pool.execute(() -> run(id, filename, content, metadata, running));
		}
		catch (RejectedExecutionException ex) {
			this.local.remove(id);
			this.jdbc.update("delete from knowledge_ingestion_jobs where id = ?", id);
			throw new IngestionRejectedException(IngestionRejectedException.Reason.BUSY,
					"The knowledge base is busy ingesting other documents. Please retry shortly.");
		}
		return new Submitted(find(id).orElseThrow(), running.done());
	}

	private void run(UUID id, String filename, byte[] content, KnowledgeService.UploadMetadata metadata,
			Running running) {
		Job end;
		try {
			if (cancelRequested(id)) {
				throw new IngestionCancelledException();
			}
			update(id, RUNNING, null, null, null, null);
			KnowledgeService.IngestionResult result = this.knowledge.ingest(filename, content, metadata,
					running.cancellation());
			end = update(id, SUCCEEDED, result.document().id(), result.created(), null, null);
		}
		catch (IngestionCancelledException ex) {
			logger.info("Knowledge base: upload job {} cancelled; nothing was stored", id);
			end = update(id, CANCELLED, null, null, null, ex.getMessage());
		}
		catch (IngestionRejectedException ex) {
			end = update(id, FAILED, null, null, status(ex.reason()).value(), ex.getMessage());
		}
		catch (RuntimeException ex) {
			logger.error("Knowledge base: upload job {} failed", id, ex);
			end = update(id, FAILED, null, null, HttpStatus.INTERNAL_SERVER_ERROR.value(),
					"The document could not be ingested.");
		}
		finally {
			this.local.remove(id);
		}
		running.done().complete(end);
	}

	/** The job, for a client polling it: the poll keeps an asynchronous job wanted. */
	Optional<Job> poll(UUID id) {
		this.jdbc.update("update knowledge_ingestion_jobs set last_polled_at = ? where id = ?",
				Timestamp.from(Instant.now()), id);
		return find(id);
	}

	Optional<Job> find(UUID id) {
		return this.jdbc
			.query("select " + COLUMNS + " from knowledge_ingestion_jobs where id = ?", IngestionJobs::job, id)
			.stream()
			.findFirst();
	}

	/** The newest jobs first. */
	List<Job> recent(int limit) {
		return this.jdbc.query(
				"select " + COLUMNS + " from knowledge_ingestion_jobs order by created_at desc, id limit ?",
				IngestionJobs::job, limit);
	}

	/**
	 * Asks for the job to stop, on whichever replica runs it. A queued job never starts;
	 * a running one stops at its next check. A finished job stays as it is.
	 * @return the job as it is now, empty when there is no such job
	 */
	Optional<Job> cancel(UUID id) {
		this.jdbc.update(
				"update knowledge_ingestion_jobs set cancel_requested = true where id = ? and status in (?, ?)", id,
				QUEUED, RUNNING);
		Running running = this.local.get(id);
		if (running != null) {
			running.cancellation().cancel();
		}
		return find(id);
	}

	/**
	 * The regular check of this replica's jobs: cancels the ones whose cancellation was
	 * asked for on another replica, and asynchronous ones nobody polled lately (a
	 * synchronous upload's waiter keeps its job polled). Then forgets finished jobs past
	 * {@code KNOWLEDGE_JOB_KEEP} and marks jobs of replicas that stopped as failed.
	 */
	void maintain() {
		Instant now = Instant.now();
		for (Map.Entry<UUID, Running> entry : this.local.entrySet()) {
			UUID id = entry.getKey();
			List<Boolean> abandoned = this.jdbc.query(
					"select cancel_requested or last_polled_at < ? from knowledge_ingestion_jobs where id = ?",
					(rs, row) -> rs.getBoolean(1), Timestamp.from(now.minus(this.properties.abandonAfter())), id);
			if (!abandoned.isEmpty() && abandoned.get(0)) {
				entry.getValue().cancellation().cancel();
			}
		}
		this.jdbc.update("delete from knowledge_ingestion_jobs where status in (?, ?, ?) and updated_at < ?", SUCCEEDED,
				FAILED, CANCELLED, Timestamp.from(now.minus(this.properties.keep())));
		int stale = this.jdbc.update(
				"update knowledge_ingestion_jobs set status = ?, problem_status = ?, problem_detail = ?, updated_at = ? "
						+ "where status in (?, ?) and updated_at < ?",
				FAILED, HttpStatus.SERVICE_UNAVAILABLE.value(),
				"The replica that ran this upload stopped before it finished. Please upload the file again.",
				Timestamp.from(now), QUEUED, RUNNING, Timestamp.from(now.minus(this.properties.staleAfter())));
		if (stale > 0) {
			logger.warn("Knowledge base: {} upload jobs were left unfinished by a replica that stopped", stale);
		}
	}

	/** Keeps a job wanted while a synchronous upload waits for it. */
	void touch(UUID id) {
		this.jdbc.update("update knowledge_ingestion_jobs set last_polled_at = ? where id = ?",
				Timestamp.from(Instant.now()), id);
	}

	private boolean cancelRequested(UUID id) {
		List<Boolean> flags = this.jdbc.query("select cancel_requested from knowledge_ingestion_jobs where id = ?",
				(rs, row) -> rs.getBoolean(1), id);
		return !flags.isEmpty() && flags.get(0);
	}

	private Job update(UUID id, String status, @Nullable Long documentId, @Nullable Boolean created,
			@Nullable Integer problemStatus, @Nullable String problemDetail) {
		this.jdbc.update(
				"update knowledge_ingestion_jobs set status = ?, document_id = ?, created_document = ?, "
						+ "problem_status = ?, problem_detail = ?, updated_at = ? where id = ?",
				status, documentId, created, problemStatus, problemDetail, Timestamp.from(Instant.now()), id);
		return find(id).orElseThrow();
	}

	static HttpStatus status(IngestionRejectedException.Reason reason) {
		return switch (reason) {
			case UNSUPPORTED_TYPE -> HttpStatus.UNSUPPORTED_MEDIA_TYPE;
			case TOO_LARGE -> HttpStatus.CONTENT_TOO_LARGE;
			case UNREADABLE, NO_TEXT, INVALID_METADATA, LIMIT_EXCEEDED -> HttpStatus.UNPROCESSABLE_CONTENT;
			case BUSY -> HttpStatus.SERVICE_UNAVAILABLE;
		};
	}

	private static Job job(ResultSet rs, int row) throws SQLException {
		long documentId = rs.getLong("document_id");
		Long document = rs.wasNull() ? null : documentId;
		boolean created = rs.getBoolean("created_document");
		Boolean createdDocument = rs.wasNull() ? null : created;
		int problem = rs.getInt("problem_status");
		Integer problemStatus = rs.wasNull() ? null : problem;
		return new Job(rs.getObject("id", UUID.class), rs.getString("status"), rs.getString("source"),
				rs.getLong("size_bytes"), document, createdDocument, problemStatus, rs.getString("problem_detail"),
				rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
	}

	@Override
	public void close() {
		this.local.values().forEach((running) -> running.cancellation().cancel());
		this.pool.shutdownNow();
	}

}
