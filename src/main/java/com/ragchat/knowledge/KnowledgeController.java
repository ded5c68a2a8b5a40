package com.ragchat.knowledge;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.server.ResponseStatusException;

import com.ragchat.rag.Cancellation;
import com.ragchat.rag.ConditionalOnRetrieverProvider;
import com.ragchat.rag.PlainText;
import com.ragchat.rag.RagProperties;
import com.ragchat.rag.Source;

/**
 * The knowledge base's admin API (API.md §7): upload, list, inspect and delete documents,
 * and search exactly as the chat pipeline does. Admins only (see
 * {@link KnowledgeSecurity}).
 */
@RestController
@ConditionalOnRetrieverProvider("local")
class KnowledgeController {

	/**
	 * PostgreSQL text cannot hold U+0000: metadata and questions with it are refused
	 * (422) rather than failing in the database.
	 */
	private static final String NO_NUL = "[^\\x00]*";

	private static final String NO_NUL_MESSAGE = "must not contain NUL characters";

	/** {@code Prefer: respond-async} (RFC 7240), among other preferences. */
	private static final java.util.regex.Pattern RESPOND_ASYNC = java.util.regex.Pattern
		.compile("(^|[,;\\s])respond-async($|[,;\\s=])", java.util.regex.Pattern.CASE_INSENSITIVE);

	private final KnowledgeService knowledge;

	private final IngestionJobs jobs;

	private final IngestionJobProperties jobProperties;

	private final KnowledgeSearch search;

	private final KnowledgeProperties properties;

	/**
	 * Passages per question when {@code k} is not given: as many as the chat pipeline
	 * asks for ({@code RETRIEVER_NUMBER_OF_RESULTS}).
	 */
	private final int defaultResults;

	KnowledgeController(KnowledgeService knowledge, IngestionJobs jobs, IngestionJobProperties jobProperties,
			KnowledgeSearch search, KnowledgeProperties properties, RagProperties rag) {
		this.knowledge = knowledge;
		this.jobs = jobs;
		this.jobProperties = jobProperties;
		this.search = search;
		this.properties = properties;
		this.defaultResults = rag.retrieverNumberOfResults();
	}

	@PostMapping(path = KnowledgeRoutes.DOCUMENTS, consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
	ResponseEntity<?> upload(@RequestHeader(name = "Prefer", required = false) @Nullable String prefer,
			@RequestPart("file") MultipartFile file,
			@RequestParam(name = "title", required = false) @Size(max = 300) @Pattern(regexp = NO_NUL,
					message = NO_NUL_MESSAGE) @Nullable String title,
			@RequestParam(name = "kb_url", required = false) @Size(max = 1000) @Pattern(regexp = NO_NUL,
					message = NO_NUL_MESSAGE) @Nullable String kbUrl,
			@RequestParam(name = "kb_number", required = false) @Size(max = 100) @Pattern(regexp = NO_NUL,
					message = NO_NUL_MESSAGE) @Nullable String kbNumber,
			@RequestParam(name = "kb_category", required = false) @Size(max = 200) @Pattern(regexp = NO_NUL,
					message = NO_NUL_MESSAGE) @Nullable String kbCategory,
			@RequestParam(name = "short_description", required = false) @Size(max = 1000) @Pattern(regexp = NO_NUL,
					message = NO_NUL_MESSAGE) @Nullable String shortDescription,
			@RequestParam(name = "project", required = false) @Size(max = 200) @Pattern(regexp = NO_NUL,
					message = NO_NUL_MESSAGE) @Nullable String project,
			@RequestParam(name = "tenant_id", required = false) @Nullable Long tenantId) {
		requireTenant(tenantId);
		if (file.getSize() > this.properties.maxUploadBytes()) {
			throw new ResponseStatusException(HttpStatus.CONTENT_TOO_LARGE,
					"The file is larger than the upload limit of " + this.properties.maxUploadMb() + " MB.");
		}
		byte[] content;
		try {
			content = file.getBytes();
		}
		catch (IOException ex) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "The uploaded file could not be read.");
		}
		IngestionJobs.Submitted submitted;
		try {
			submitted = this.jobs.submit(file.getOriginalFilename(), content, new KnowledgeService.UploadMetadata(title,
					kbUrl, kbNumber, kbCategory, shortDescription, project, tenantId));
		}
		catch (IngestionRejectedException ex) {
			throw new ResponseStatusException(IngestionJobs.status(ex.reason()), ex.getMessage());
		}
		UUID id = submitted.job().id();
		if (prefer != null && RESPOND_ASYNC.matcher(prefer).find()) {
			return ResponseEntity.accepted()
				.location(ServletUriComponentsBuilder.fromCurrentContextPath()
					.path(KnowledgeRoutes.JOB)
					.buildAndExpand(id)
					.toUri())
				.header("Preference-Applied", "respond-async")
				.body(jobResponse(submitted.job()));
		}
		IngestionJobs.Job end = awaitEnd(id, submitted.done());
		return switch (end.status()) {
			case IngestionJobs.SUCCEEDED -> {
				KnowledgeStore.DocumentRow document = documentOf(end);
				yield ResponseEntity
					.status(Boolean.TRUE.equals(end.createdDocument()) ? HttpStatus.CREATED : HttpStatus.OK)
					.body(DocumentResponse.of(document));
			}
			case IngestionJobs.FAILED -> throw new ResponseStatusException(
					HttpStatus.valueOf((end.problemStatus() != null) ? end.problemStatus() : 500), end.problemDetail());
			default -> throw new ResponseStatusException(HttpStatus.CONFLICT,
					"The upload was cancelled before it was stored (job " + id + ").");
		};
	}

	/**
	 * Waits for a synchronous upload's job, keeping it wanted meanwhile; a job that takes
	 * longer than {@code KNOWLEDGE_UPLOAD_WAIT} is cancelled.
	 */
	private IngestionJobs.Job awaitEnd(UUID id, CompletableFuture<IngestionJobs.Job> done) {
		long deadline = System.nanoTime() + this.jobProperties.uploadWait().toNanos();
		try {
			while (true) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					this.jobs.cancel(id);
					throw new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE,
							"The upload took longer than KNOWLEDGE_UPLOAD_WAIT and was cancelled; upload large "
									+ "files with the header \"Prefer: respond-async\" and poll the job.");
				}
				try {
					return done.get(Math.min(left, touchEvery().toNanos()), TimeUnit.NANOSECONDS);
				}
				catch (TimeoutException ex) {
					this.jobs.touch(id);
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.jobs.cancel(id);
			throw new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE, "The upload was interrupted.");
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("upload job " + id + " failed", ex.getCause());
		}
	}

	/**
	 * How often a waiting synchronous upload tells its job it is still wanted: well
	 * within the time after which a job nobody asks about is abandoned.
	 */
	private Duration touchEvery() {
		Duration third = this.jobProperties.abandonAfter().dividedBy(3);
		return (third.compareTo(Duration.ofSeconds(5)) < 0) ? third : Duration.ofSeconds(5);
	}

	@GetMapping(KnowledgeRoutes.JOBS)
	List<JobResponse> jobs(@RequestParam(name = "limit", defaultValue = "50") @Min(1) @Max(500) int limit) {
		return this.jobs.recent(limit).stream().map(this::jobResponse).toList();
	}

	@GetMapping(KnowledgeRoutes.JOB)
	JobResponse job(@PathVariable("id") UUID id) {
		return this.jobs.poll(id)
			.map(this::jobResponse)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "Upload job not found"));
	}

	@DeleteMapping(KnowledgeRoutes.JOB)
	JobResponse cancelJob(@PathVariable("id") UUID id) {
		return this.jobs.cancel(id)
			.map(this::jobResponse)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "Upload job not found"));
	}

	private KnowledgeStore.DocumentRow documentOf(IngestionJobs.Job job) {
		Long id = job.documentId();
		return ((id != null) ? this.knowledge.find(id) : Optional.<KnowledgeStore.DocumentRow>empty()).orElseThrow(
				() -> new ResponseStatusException(HttpStatus.CONFLICT, "The uploaded document was deleted meanwhile."));
	}

	private JobResponse jobResponse(IngestionJobs.Job job) {
		Long documentId = job.documentId();
		DocumentResponse document = (documentId != null)
				? this.knowledge.find(documentId).map(DocumentResponse::of).orElse(null) : null;
		JobProblem problem = (job.problemDetail() != null)
				? new JobProblem((job.problemStatus() != null) ? job.problemStatus() : HttpStatus.CONFLICT.value(),
						job.problemDetail())
				: null;
		return new JobResponse(job.id(), job.status(), job.source(), job.sizeBytes(), job.createdDocument(), document,
				problem, job.createdAt(), job.updatedAt());
	}

	private void requireTenant(@Nullable Long tenantId) {
		if (tenantId != null && !this.knowledge.tenantExists(tenantId)) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND, "Tenant not found");
		}
	}

	@GetMapping(KnowledgeRoutes.DOCUMENTS)
	List<DocumentResponse> list(@RequestParam(name = "limit", defaultValue = "50") @Min(1) @Max(500) int limit,
			@RequestParam(name = "offset", defaultValue = "0") @Min(0) int offset) {
		return this.knowledge.list(limit, offset).stream().map(DocumentResponse::of).toList();
	}

	@GetMapping(KnowledgeRoutes.DOCUMENT)
	DocumentResponse get(@PathVariable("id") long id) {
		return this.knowledge.find(id)
			.map(DocumentResponse::of)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "Document not found"));
	}

	@DeleteMapping(KnowledgeRoutes.DOCUMENT)
	ResponseEntity<Void> delete(@PathVariable("id") long id) {
		if (!this.knowledge.delete(id)) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND, "Document not found");
		}
		return ResponseEntity.noContent().build();
	}

	@GetMapping(KnowledgeRoutes.SEARCH)
	List<SearchHit> search(
			@RequestParam("q") @NotBlank @Size(max = 8000) @Pattern(regexp = NO_NUL, message = NO_NUL_MESSAGE) String q,
			@RequestParam(name = "k", required = false) @Min(1) @Max(50) @Nullable Integer k,
			@RequestParam(name = "tenant_id", required = false) @Nullable Long tenantId) {
		requireTenant(tenantId);
		int limit = (k != null) ? k : this.defaultResults;
		// As a member of that tenant would search; without one, as a user without a
		// tenant.
		return this.search.retrieve(q, limit, tenantId, Cancellation.none())
			.stream()
			.map((passage) -> new SearchHit(passage.content(), passage.metadata(), passage.score()))
			.toList();
	}

	/**
	 * An upload job.
	 *
	 * @param id its id
	 * @param status {@code queued}, {@code running}, {@code succeeded}, {@code failed} or
	 * {@code cancelled}
	 * @param source the uploaded file's name
	 * @param sizeBytes its size
	 * @param createdDocument whether the document is new (false: the same file was there)
	 * @param document the document, once succeeded
	 * @param problem why it failed or was cancelled: the status and detail the upload
	 * would have answered
	 * @param createdAt when the upload arrived
	 * @param updatedAt when the state last changed
	 */
	record JobResponse(UUID id, String status, String source, long sizeBytes, @Nullable Boolean createdDocument,
			@Nullable DocumentResponse document, @Nullable JobProblem problem, Instant createdAt, Instant updatedAt) {
	}

	/**
	 * What went wrong with a job.
	 *
	 * @param status the HTTP status a synchronous upload would have got
	 * @param detail the explanation
	 */
	record JobProblem(int status, String detail) {
	}

	/**
	 * A document of the knowledge base.
	 *
	 * @param id id
	 * @param title title
	 * @param source uploaded file name
	 * @param chunks number of passages it was split into
	 * @param status {@code ready}: searchable
	 * @param createdAt when it was ingested
	 * @param mediaType file type
	 * @param sizeBytes file size
	 * @param contentHash SHA-256 of the file (uploads of identical files are one
	 * document)
	 * @param kbUrl link to the article
	 * @param kbNumber article number
	 * @param kbCategory category
	 * @param shortDescription one-line summary
	 * @param project owning project
	 * @param ingestionDate {@code created_at} as a date, as sources show it
	 * @param tenantId the tenant whose users alone find it, or null when shared
	 */
	record DocumentResponse(long id, String title, String source, int chunks, String status, Instant createdAt,
			String mediaType, long sizeBytes, String contentHash, @Nullable String kbUrl, @Nullable String kbNumber,
			@Nullable String kbCategory, @Nullable String shortDescription, @Nullable String project,
			String ingestionDate, @Nullable Long tenantId) {

		static DocumentResponse of(KnowledgeStore.DocumentRow row) {
			KnowledgeStore.DocumentMetadata metadata = row.metadata();
			return new DocumentResponse(row.id(), row.title(), row.source(), row.chunkCount(), row.status(),
					row.createdAt(), row.mediaType(), row.sizeBytes(), row.contentHash(),
					// Rows stored before links were checked: only http(s) links leave.
					PlainText.webUrlOrNull(metadata.kbUrl()), metadata.kbNumber(), metadata.kbCategory(),
					metadata.shortDescription(), metadata.project(),
					row.createdAt().atOffset(ZoneOffset.UTC).toLocalDate().toString(), row.tenantId());
		}

	}

	/**
	 * A search result.
	 *
	 * @param content the passage
	 * @param metadata its source, as chat answers cite it
	 * @param score cosine similarity to the question
	 */
	record SearchHit(String content, Source metadata, @Nullable Double score) {
	}

}
