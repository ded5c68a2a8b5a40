package com.ragchat.knowledge;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the built-in knowledge base ({@code app.knowledge}).
 *
 * @param maxUploadMb largest file the admin API accepts, in megabytes
 * ({@code KNOWLEDGE_MAX_UPLOAD_MB})
 * @param importDir what start-up imports when the knowledge base is empty
 * ({@code KNOWLEDGE_IMPORT_DIR}): {@code auto} means the sample articles bundled in the
 * application (copied from {@code samples/knowledge} into the jar by the build), whatever
 * the working directory and the database; {@code none} (or empty) never imports; any
 * other value is a folder
 * @param embeddingProvider what computes embeddings ({@code EMBEDDING_PROVIDER}):
 * {@code local} (the in-process MiniLM model) or a provider's embedding API,
 * {@code openai}, {@code azure}, {@code ollama} or {@code bedrock}; changing it (or the
 * provider's model) re-embeds the knowledge base in the background
 * @param embeddingThreads threads that compute embeddings
 * ({@code KNOWLEDGE_EMBEDDING_THREADS}; 0 means one per core): a bounded pool of its own,
 * so ingestion never runs on request threads
 * @param embeddingBatchSize passages per embedding task
 * ({@code KNOWLEDGE_EMBEDDING_BATCH_SIZE}); a document's batches spread over the threads
 * @param chunkWords most words in a chunk, overlap included
 * ({@code KNOWLEDGE_CHUNK_WORDS}); the default keeps a chunk within the embedding model's
 * 256-token input, longer chunks are embedded in several overlapping windows (slower
 * ingestion)
 * @param chunkOverlapWords words of the previous chunk repeated at the start of the next
 * ({@code KNOWLEDGE_CHUNK_OVERLAP_WORDS})
 * @param candidates candidates each side (full-text and vector) hands to the fusion
 * ({@code KNOWLEDGE_CANDIDATES})
 * @param minRelevance cosine similarity between question and passage below which a
 * passage is not relevant ({@code KNOWLEDGE_MIN_RELEVANCE}); when no passage reaches it
 * the retriever returns nothing and the answer is "not found". Calibrated on the
 * retrieval quality set.
 * @param embeddingModel the in-process embedding model
 * ({@code KNOWLEDGE_EMBEDDING_MODEL}): {@code all-minilm-l6-v2-q} (default) or
 * {@code bge-small-en-v1.5-q}. Both give 384 dimensions, but their vectors are not
 * comparable: a knowledge base must be embedded with the model that searches it.
 * @param maxDecompressedMb most megabytes a PDF's streams may decode to
 * ({@code KNOWLEDGE_MAX_DECOMPRESSED_MB}); beyond it the upload gets 413
 * @param maxDocumentCharacters most characters of text one document may yield
 * ({@code KNOWLEDGE_MAX_DOCUMENT_CHARACTERS}); beyond it 422
 * @param maxChunksPerDocument most passages one document may make
 * ({@code KNOWLEDGE_MAX_CHUNKS_PER_DOCUMENT}); beyond it 422
 * @param extractionTimeout longest time text extraction may take
 * ({@code KNOWLEDGE_EXTRACTION_TIMEOUT}); beyond it 422
 */
@ConfigurationProperties("app.knowledge")
@Validated
record KnowledgeProperties(@DefaultValue("20") @Min(1) @Max(1024) int maxUploadMb,
		@DefaultValue("auto") @NotNull String importDir,
		@DefaultValue("local") @NotNull @Pattern(regexp = "(?i)\\s*(local|openai|azure|ollama|bedrock)\\s*",
				message = "must be local, openai, azure, ollama or bedrock") String embeddingProvider,
		@DefaultValue("0") @Min(0) @Max(64) int embeddingThreads,
		@DefaultValue("4") @Min(1) @Max(128) int embeddingBatchSize,
		@DefaultValue("200") @Min(50) @Max(1000) int chunkWords,
		@DefaultValue("40") @Min(0) @Max(200) int chunkOverlapWords,
		@DefaultValue("40") @Min(5) @Max(500) int candidates,
		@DefaultValue("0.22") @DecimalMin("0.0") @DecimalMax("1.0") double minRelevance,
		@DefaultValue(MiniLmEmbedder.NAME) @Pattern(regexp = MiniLmEmbedder.NAME + "|" + BgeSmallEmbedder.NAME,
				message = "must be " + MiniLmEmbedder.NAME + " or " + BgeSmallEmbedder.NAME) String embeddingModel,
		@DefaultValue("64") @Min(1) @Max(4096) int maxDecompressedMb,
		@DefaultValue("1000000") @Min(1000) int maxDocumentCharacters,
		@DefaultValue("1000") @Min(1) int maxChunksPerDocument,
		@DefaultValue("30s") @NotNull java.time.Duration extractionTimeout) {

	/** Threads of the embedding pool: the setting, or one per available core. */
	int effectiveEmbeddingThreads() {
		return (this.embeddingThreads > 0) ? this.embeddingThreads : Runtime.getRuntime().availableProcessors();
	}

	long maxUploadBytes() {
		return this.maxUploadMb * 1024L * 1024L;
	}

}
