package com.ragchat.knowledge;

import javax.sql.DataSource;

import io.micrometer.tracing.Tracer;
import jakarta.servlet.MultipartConfigElement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.ragchat.observability.ReadinessCheck;
import com.ragchat.platform.InvalidConfigurationException;
import com.ragchat.platform.PlatformProperties;
import com.ragchat.rag.ConditionalOnRetrieverProvider;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.unit.DataSize;

/**
 * The built-in knowledge base, active when it is the selected retriever
 * ({@code RETRIEVER_PROVIDER=local}, the default): the embedding model (the local one
 * here; a provider's from the {@code provider} package), storage, ingestion, the
 * {@code local} retriever, the start-up import and re-embedding, and the command-line
 * import.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRetrieverProvider("local")
class KnowledgeConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(KnowledgeConfiguration.class);

	/**
	 * {@code EMBEDDING_PROVIDER=local} (the default): the in-process model
	 * {@code KNOWLEDGE_EMBEDDING_MODEL} names.
	 */
	@Bean
	@ConditionalOnEmbeddingProvider("local")
	Embedder localEmbedder(PlatformProperties platform, KnowledgeProperties properties) {
		long start = System.nanoTime();
		java.nio.file.Path cache = platform.dataDir().resolve("djl");
		Embedder embedder = BgeSmallEmbedder.NAME.equals(properties.embeddingModel()) ? BgeSmallEmbedder.load(cache)
				: new LocalEmbedder(MiniLmEmbedder.load(cache));
		logger.info("Knowledge base: {} embedding model loaded in {} ms", embedder.modelId(),
				(System.nanoTime() - start) / 1_000_000);
		return embedder;
	}

	@Bean(destroyMethod = "close")
	EmbeddingService knowledgeEmbeddingService(ObjectProvider<Embedder> embedders, KnowledgeProperties properties,
			Environment environment) {
		Embedder embedder = embedders.getIfUnique();
		if (embedder == null) {
			// Only a name no condition knows leaves no embedder at all.
			throw new InvalidConfigurationException("EMBEDDING_PROVIDER",
					"must be local, openai, azure, ollama or bedrock (is \""
							+ ConditionalOnEmbeddingProvider.OnEmbeddingProvider.selected(environment) + "\")");
		}
		logger.info("Knowledge base: embeddings by {} ({}, {} embedding threads)", embedder.modelId(),
				(embedder.dimensions() > 0) ? embedder.dimensions() + " dimensions"
						: "dimensions known after the first call",
				properties.effectiveEmbeddingThreads());
		return new EmbeddingService(embedder, properties.effectiveEmbeddingThreads(), properties.embeddingBatchSize());
	}

	/**
	 * Brings pgvector's column and index up to date where the database has the extension
	 * (see {@link PgVectorSearch#prepare}) before the store decides whether it writes
	 * vectors there too.
	 */
	@Bean
	KnowledgeStore knowledgeStore(JdbcClient jdbc, JdbcTemplate template, TransactionTemplate transactions,
			EmbeddingService embeddings) {
		Embedder embedder = embeddings.embedder();
		PgVectorSearch.Setup pgVector = PgVectorSearch.prepare(jdbc, template, transactions, embedder.modelId(),
				embedder.dimensions());
		logger.info("Knowledge base: vector search {}", pgVector.description());
		return new KnowledgeStore(jdbc, template, pgVector.usable(), embedder.modelId());
	}

	/**
	 * pgvector when the store writes vectors there (the database has the extension and a
	 * column of this model's length), otherwise the in-memory index.
	 */
	@Bean
	NearestChunks knowledgeVectorSearch(JdbcClient jdbc, TransactionTemplate transactions, KnowledgeStore store) {
		return store.pgVector() ? new PgVectorSearch(jdbc, transactions, store.embeddingModel(),
				PgVectorSearch.supportsIterativeScan(jdbc)) : new VectorIndex(store);
	}

	@Bean
	KnowledgeService knowledgeService(KnowledgeStore store, EmbeddingService embeddings,
			TransactionTemplate transactions, KnowledgeProperties properties) {
		return new KnowledgeService(store,
				new TextExtractor(new TextExtractor.Limits(properties.maxDecompressedMb() * 1024L * 1024L,
						properties.maxDocumentCharacters(), properties.extractionTimeout())),
				new Chunker(properties.chunkWords(), properties.chunkOverlapWords()), embeddings, transactions,
				properties.maxUploadBytes(), properties.maxChunksPerDocument());
	}

	@Bean
	TenantDocuments tenantDocuments(KnowledgeService knowledge) {
		return new TenantDocuments(knowledge);
	}

	/** Also the {@code local} retriever of the chat pipeline. */
	@Bean
	KnowledgeSearch knowledgeSearch(KnowledgeStore store, NearestChunks vectors, EmbeddingService embeddings,
			KnowledgeProperties properties, ObjectProvider<Tracer> tracers) {
		return new KnowledgeSearch(
				store, vectors, embeddings, QueryTerms.load(), KnowledgeSearch.Settings
					.defaults(properties.candidates(), properties.minRelevance(), properties.embeddingModel()),
				tracers.getIfAvailable(() -> Tracer.NOOP));
	}

	@Bean
	KnowledgeImporter knowledgeImporter(KnowledgeService knowledge, DataSource dataSource,
			KnowledgeProperties properties) {
		return new KnowledgeImporter(knowledge, dataSource, 2 * properties.effectiveEmbeddingThreads());
	}

	/**
	 * Uploads up to {@code KNOWLEDGE_MAX_UPLOAD_MB}; the form fields get a little room.
	 */
	@Bean
	MultipartConfigElement multipartConfigElement(KnowledgeProperties properties) {
		long max = properties.maxUploadBytes();
		return new MultipartConfigElement("", max, max + DataSize.ofMegabytes(1).toBytes(),
				(int) DataSize.ofMegabytes(1).toBytes());
	}

	@Bean
	KnowledgeReembedder knowledgeReembedder(KnowledgeStore store, KnowledgeService knowledge,
			TransactionTemplate transactions, DataSource dataSource) {
		return new KnowledgeReembedder(store, knowledge, transactions, dataSource, 1000);
	}

	@Bean
	KnowledgeImportRunner knowledgeImportRunner(KnowledgeImporter importer, KnowledgeReembedder reembedder,
			KnowledgeProperties properties, NearestChunks vectors, KnowledgeStore store,
			ConfigurableApplicationContext context) {
		return new KnowledgeImportRunner(importer, reembedder, properties, vectors, store, context);
	}

	@Bean
	ReadinessCheck knowledgeReadinessCheck(KnowledgeImporter importer, KnowledgeReembedder reembedder) {
		return new KnowledgeReadiness(importer, reembedder);
	}

	@Bean(destroyMethod = "close")
	IngestionJobs ingestionJobs(KnowledgeService knowledge, org.springframework.jdbc.core.JdbcTemplate jdbc,
			IngestionJobProperties properties) {
		return new IngestionJobs(knowledge, jdbc, properties);
	}

	@Bean
	org.springframework.scheduling.annotation.SchedulingConfigurer ingestionJobMaintenance(IngestionJobs jobs,
			IngestionJobProperties properties) {
		return (registrar) -> registrar.addFixedDelayTask(() -> {
			try {
				jobs.maintain();
			}
			catch (RuntimeException ex) {
				logger.warn("Could not check the upload jobs; will retry: {}", ex.getClass().getSimpleName());
			}
		}, properties.checkInterval());
	}

}
