package com.ragchat.knowledge;

import java.nio.file.Path;
import java.util.List;

import javax.sql.DataSource;

import jakarta.servlet.MultipartConfigElement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.ragchat.observability.ReadinessCheck;
import com.ragchat.platform.PlatformProperties;
import com.ragchat.rag.ConditionalOnRetrieverProvider;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.StringUtils;
import org.springframework.util.unit.DataSize;

/**
 * The built-in knowledge base, active when it is the selected retriever
 * ({@code RETRIEVER_PROVIDER=local}, the default): the embedding model, storage,
 * ingestion, the {@code local} retriever, the first-start import and the command-line
 * import.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRetrieverProvider("local")
class KnowledgeConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(KnowledgeConfiguration.class);

	@Bean(destroyMethod = "close")
	EmbeddingService knowledgeEmbeddingService(KnowledgeProperties properties, PlatformProperties platform) {
		long start = System.nanoTime();
		MiniLmEmbedder embedder = MiniLmEmbedder.load(platform.dataDir().resolve("djl"));
		logger.info("Knowledge base: MiniLM embedding model loaded in {} ms ({} embedding threads)",
				(System.nanoTime() - start) / 1_000_000, properties.effectiveEmbeddingThreads());
		return new EmbeddingService(embedder, properties.effectiveEmbeddingThreads(), properties.embeddingBatchSize());
	}

	@Bean
	KnowledgeStore knowledgeStore(JdbcClient jdbc, JdbcTemplate template) {
		boolean pgVector = PgVectorSearch.isAvailable(jdbc);
		logger.info("Knowledge base: vector search {}",
				pgVector ? "by pgvector in the database" : "in memory (pgvector is not installed; that is fine)");
		return new KnowledgeStore(jdbc, template, pgVector);
	}

	/**
	 * pgvector when the database has it (migration V6), otherwise the in-memory index.
	 */
	@Bean
	NearestChunks knowledgeVectorSearch(JdbcClient jdbc, KnowledgeStore store) {
		return PgVectorSearch.isAvailable(jdbc) ? new PgVectorSearch(jdbc) : new VectorIndex(store);
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
	KnowledgeSearch knowledgeSearch(KnowledgeStore store, NearestChunks vectors, EmbeddingService embeddings,
			KnowledgeProperties properties) {
		return new KnowledgeSearch(store, vectors, embeddings, properties.candidates(), properties.minRelevance());
	}

	@Bean
	LocalRetriever localRetriever(KnowledgeSearch search) {
		return new LocalRetriever(search);
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
	ApplicationRunner knowledgeStartup(KnowledgeImporter importer, KnowledgeProperties properties,
			Environment environment, NearestChunks vectors, KnowledgeStore store,
			ConfigurableApplicationContext context) {
		return (ApplicationArguments args) -> {
			if (args.containsOption(KnowledgeImportCommand.OPTION)) {
				runImportCommand(importer, args.getOptionValues(KnowledgeImportCommand.OPTION), context);
				return;
			}
			boolean embedded = !StringUtils.hasText(environment.getProperty("spring.datasource.url"));
			Path folder = KnowledgeImporter.startupFolder(properties.importDir(), embedded);
			if (folder == null) {
				importer.skipFirstStartImport();
			}
			else {
				importer.importOnFirstStart(folder);
			}
			if (vectors instanceof VectorIndex index) {
				// Load the in-memory index now rather than on the first question.
				index.refreshTo(store.version());
			}
		};
	}

	private static void runImportCommand(KnowledgeImporter importer, List<String> folders,
			ConfigurableApplicationContext context) {
		int failures = 0;
		for (String folder : folders) {
			if (!StringUtils.hasText(folder)) {
				logger.error("--{} needs a folder: --{}=path/to/folder", KnowledgeImportCommand.OPTION,
						KnowledgeImportCommand.OPTION);
				failures++;
				continue;
			}
			try {
				KnowledgeImporter.Summary summary = importer.importFolder(Path.of(folder));
				logger.info("Imported {}: {}", Path.of(folder).toAbsolutePath(), summary);
				failures += summary.rejected();
			}
			catch (RuntimeException ex) {
				logger.error("Import of {} failed: {}", folder, ex.getMessage());
				failures++;
			}
		}
		int code = (failures == 0) ? 0 : 1;
		System.exit(SpringApplication.exit(context, () -> code));
	}

	@Bean
	ReadinessCheck knowledgeReadinessCheck(KnowledgeImporter importer) {
		return new ReadinessCheck() {

			@Override
			public String component() {
				return "knowledge";
			}

			@Override
			public void check() {
				if (!importer.isFirstStartImportDone()) {
					throw new IllegalStateException("the knowledge base import is still running");
				}
			}

		};
	}

}
