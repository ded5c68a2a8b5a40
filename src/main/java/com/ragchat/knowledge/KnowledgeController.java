package com.ragchat.knowledge;

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
import org.springframework.web.bind.annotation.RequestParam;
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

	private final KnowledgeService knowledge;

	private final KnowledgeSearch search;

	private final KnowledgeProperties properties;

	/**
	 * Passages per question when {@code k} is not given: as many as the chat pipeline
	 * asks for ({@code RETRIEVER_NUMBER_OF_RESULTS}).
	 */
	private final int defaultResults;

	KnowledgeController(KnowledgeService knowledge, KnowledgeSearch search, KnowledgeProperties properties,
			RagProperties rag) {
		this.knowledge = knowledge;
		this.search = search;
		this.properties = properties;
		this.defaultResults = rag.retrieverNumberOfResults();
	}

	@PostMapping(path = KnowledgeRoutes.DOCUMENTS, consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
	ResponseEntity<DocumentResponse> upload(@RequestPart("file") MultipartFile file,
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
					message = NO_NUL_MESSAGE) @Nullable String project) {
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
		KnowledgeService.IngestionResult result;
		try {
			result = this.knowledge.ingest(file.getOriginalFilename(), content,
					new KnowledgeService.UploadMetadata(title, kbUrl, kbNumber, kbCategory, shortDescription, project));
		}
		catch (IngestionRejectedException ex) {
			throw new ResponseStatusException(status(ex.reason()), ex.getMessage());
		}
		return ResponseEntity.status(result.created() ? HttpStatus.CREATED : HttpStatus.OK)
			.body(DocumentResponse.of(result.document()));
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
			@RequestParam(name = "k", required = false) @Min(1) @Max(50) @Nullable Integer k) {
		int limit = (k != null) ? k : this.defaultResults;
		return this.search.retrieve(q, limit, Cancellation.none())
			.stream()
			.map((passage) -> new SearchHit(passage.content(), passage.metadata(), passage.score()))
			.toList();
	}

	private static HttpStatus status(IngestionRejectedException.Reason reason) {
		return switch (reason) {
			case UNSUPPORTED_TYPE -> HttpStatus.UNSUPPORTED_MEDIA_TYPE;
			case TOO_LARGE -> HttpStatus.CONTENT_TOO_LARGE;
			case UNREADABLE, NO_TEXT, INVALID_METADATA, LIMIT_EXCEEDED -> HttpStatus.UNPROCESSABLE_CONTENT;
			case BUSY -> HttpStatus.SERVICE_UNAVAILABLE;
		};
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
	 */
	record DocumentResponse(long id, String title, String source, int chunks, String status, Instant createdAt,
			String mediaType, long sizeBytes, String contentHash, @Nullable String kbUrl, @Nullable String kbNumber,
			@Nullable String kbCategory, @Nullable String shortDescription, @Nullable String project,
			String ingestionDate) {

		static DocumentResponse of(KnowledgeStore.DocumentRow row) {
			KnowledgeStore.DocumentMetadata metadata = row.metadata();
			return new DocumentResponse(row.id(), row.title(), row.source(), row.chunkCount(), row.status(),
					row.createdAt(), row.mediaType(), row.sizeBytes(), row.contentHash(),
					// Rows stored before links were checked: only http(s) links leave.
					PlainText.webUrlOrNull(metadata.kbUrl()), metadata.kbNumber(), metadata.kbCategory(),
					metadata.shortDescription(), metadata.project(),
					row.createdAt().atOffset(ZoneOffset.UTC).toLocalDate().toString());
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
