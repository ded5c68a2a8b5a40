package com.ragchat.knowledge;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.ragchat.platform.TestDatabase;
import com.ragchat.rag.ProviderException;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Changing the embedding model: every stored vector carries its model, a start with
 * another model finds the stale documents and re-embeds them in the background, readiness
 * says "degraded" with the progress meanwhile, vector search never mixes the two models,
 * and an instance's in-memory index reloads a re-embedded document.
 */
class KnowledgeReembedderTests extends KnowledgeIntegrationTest {

	private static final List<String> ARTICLES = List.of("kb0001-reset-forgotten-password.md",
			"kb0007-connect-to-eduroam.md", "kb0019-print-from-laptop.md");

	@Autowired
	EmbeddingService miniLm;

	private final List<AutoCloseable> resources = new ArrayList<>();

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable resource : this.resources) {
			resource.close();
		}
	}

	@Test
	void aNewModelReembedsTheKnowledgeBaseInTheBackground() throws Exception {
		HikariDataSource pool = emptyMigratedDatabase();
		KnowledgeStore miniLmStore = store(pool, LocalEmbedder.MODEL_ID);
		KnowledgeService miniLmService = service(miniLmStore, this.miniLm, pool);
		List<Long> documents = new ArrayList<>();
		for (String article : ARTICLES) {
			documents.add(
					miniLmService
						.ingest(article, Files.readAllBytes(KnowledgeImporter.SAMPLES.resolve(article)),
								KnowledgeService.UploadMetadata.none())
						.document()
						.id());
		}
		VectorIndex miniLmIndex = new VectorIndex(miniLmStore);
		miniLmIndex.refreshTo(miniLmStore.version());
		int miniLmVectors = miniLmIndex.size();
		assertThat(miniLmVectors).isGreaterThanOrEqualTo(ARTICLES.size());

		// The same database, started with another model.
		LetterEmbedder letters = new LetterEmbedder(0);
		KnowledgeStore lettersStore = store(pool, letters.modelId());
		EmbeddingService lettersEmbeddings = embeddings(letters);
		KnowledgeReembedder reembedder = new KnowledgeReembedder(lettersStore,
				service(lettersStore, lettersEmbeddings, pool), transactions(pool), pool, 10);
		this.resources.add(reembedder);
		VectorIndex lettersIndex = new VectorIndex(lettersStore);
		lettersIndex.refreshTo(lettersStore.version());
		assertThat(lettersStore.documentsEmbeddedByOtherModels()).containsExactlyElementsOf(documents);
		assertThat(lettersIndex.size()).as("another model's vectors are not loaded").isZero();
		assertThat(lettersStore.chunks(chunkIds(pool)))
			.allSatisfy((chunk) -> assertThat(chunk.embeddings()).as("nor handed to scoring").isEmpty());
		assertThat(lettersStore.embeddingProgress()).containsExactly(0, 3);
		KnowledgeImporter importer = new KnowledgeImporter(miniLmService, pool, 1);
		importer.skipFirstStartImport();
		KnowledgeReadiness readiness = new KnowledgeReadiness(importer, reembedder);

		letters.blockUntilReleased();
		assertThat(reembedder.start()).isTrue();
		assertThat(letters.entered.await(30, TimeUnit.SECONDS)).isTrue();
		readiness.check();
		assertThat(readiness.degraded()).isTrue();
		assertThat(readiness.details()).containsEntry("state", "re-embedding")
			.containsEntry("embedding_model", "test:letters")
			.containsEntry("documents_total", 3L)
			.containsKey("percent");
		letters.release.countDown();
		reembedder.awaitCompletion();

		assertThat(reembedder.isRunning()).isFalse();
		assertThat(readiness.degraded()).isFalse();
		assertThat(readiness.details()).isNull();
		assertThat(lettersStore.documentsEmbeddedByOtherModels()).isEmpty();
		assertThat(lettersStore.embeddingProgress()).containsExactly(3, 3);
		// The index built before re-embedding reloads the re-embedded documents.
		lettersIndex.refreshTo(lettersStore.version());
		assertThat(lettersIndex.size()).isEqualTo(miniLmVectors);
		assertThat(lettersStore.chunks(chunkIds(pool)))
			.allSatisfy((chunk) -> assertThat(chunk.embeddings()[0]).hasSize(LetterEmbedder.DIMENSIONS));
		// The old model's instance no longer sees any vector of its own.
		miniLmIndex.refreshTo(miniLmStore.version());
		assertThat(miniLmIndex.size()).isZero();
		JdbcClient jdbc = JdbcClient.create(pool);
		assertThat(jdbc.sql("select model || '/' || dimensions from knowledge_embedding_models order by id")
			.query(String.class)
			.list()).containsExactly(LocalEmbedder.MODEL_ID + "/384", "test:letters/8");
		assertThat(jdbc.sql("select distinct embedding_revision from knowledge_documents").query(Integer.class).list())
			.containsExactly(1);
		// Nothing left to do on the next start.
		assertThat(reembedder.start()).isFalse();

		// Back to MiniLM: the same vectors as before come back.
		KnowledgeReembedder back = new KnowledgeReembedder(miniLmStore, miniLmService, transactions(pool), pool, 10);
		this.resources.add(back);
		assertThat(back.start()).isTrue();
		back.awaitCompletion();
		miniLmIndex.refreshTo(miniLmStore.version());
		assertThat(miniLmIndex.size()).isEqualTo(miniLmVectors);
	}

	@Test
	void aFailingProviderIsRetriedUntilTheDocumentIsReembedded() throws Exception {
		HikariDataSource pool = emptyMigratedDatabase();
		KnowledgeStore miniLmStore = store(pool, LocalEmbedder.MODEL_ID);
		service(miniLmStore, this.miniLm, pool).ingest(ARTICLES.get(0),
				Files.readAllBytes(KnowledgeImporter.SAMPLES.resolve(ARTICLES.get(0))),
				KnowledgeService.UploadMetadata.none());
		LetterEmbedder letters = new LetterEmbedder(2);
		KnowledgeStore lettersStore = store(pool, letters.modelId());
		KnowledgeReembedder reembedder = new KnowledgeReembedder(lettersStore,
				service(lettersStore, embeddings(letters), pool), transactions(pool), pool, 10);
		this.resources.add(reembedder);

		assertThat(reembedder.start()).isTrue();
		reembedder.awaitCompletion();

		assertThat(letters.failures.get()).isEqualTo(2);
		assertThat(lettersStore.documentsEmbeddedByOtherModels()).isEmpty();
	}

	private List<Long> chunkIds(HikariDataSource pool) {
		return JdbcClient.create(pool).sql("select id from knowledge_chunks").query(Long.class).list();
	}

	private KnowledgeStore store(HikariDataSource pool, String model) {
		return new KnowledgeStore(JdbcClient.create(pool), new JdbcTemplate(pool), false, model);
	}

	private EmbeddingService embeddings(Embedder embedder) {
		EmbeddingService service = new EmbeddingService(embedder, 2, 4);
		this.resources.add(service);
		return service;
	}

	private static KnowledgeService service(KnowledgeStore store, EmbeddingService embeddings, HikariDataSource pool) {
		return new KnowledgeService(store, new TextExtractor(), new Chunker(200, 40), embeddings, transactions(pool),
				1 << 20);
	}

	private static TransactionTemplate transactions(HikariDataSource pool) {
		return new TransactionTemplate(new JdbcTransactionManager(pool));
	}

	private HikariDataSource emptyMigratedDatabase() {
		TestDatabase.Info empty = TestDatabase.createEmptyDatabase();
		Flyway.configure()
			.dataSource(empty.url(), empty.username(), empty.password())
			.locations("classpath:db/migration")
			.load()
			.migrate();
		HikariDataSource pool = new HikariDataSource();
		pool.setJdbcUrl(empty.url());
		pool.setUsername(empty.username());
		pool.setPassword(empty.password());
		pool.setMaximumPoolSize(4);
		this.resources.add(pool);
		return pool;
	}

	/**
	 * A stand-in for a provider's model: 8 dimensions counting letters, deterministic;
	 * fails its first calls when asked to, and can hold its first call until released.
	 */
	static final class LetterEmbedder implements Embedder {

		static final int DIMENSIONS = 8;

		final AtomicInteger failures = new AtomicInteger();

		final CountDownLatch entered = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		private final int failFirst;

		private volatile boolean blocking;

		LetterEmbedder(int failFirst) {
			this.failFirst = failFirst;
		}

		void blockUntilReleased() {
			this.blocking = true;
		}

		@Override
		public String modelId() {
			return "test:letters";
		}

		@Override
		public int dimensions() {
			return DIMENSIONS;
		}

		@Override
		public List<float[]> embed(List<String> texts) {
			if (this.blocking) {
				this.entered.countDown();
				try {
					this.release.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			if (this.failures.get() < this.failFirst) {
				this.failures.incrementAndGet();
				throw new ProviderException("test", "embed", ProviderException.Kind.UNAVAILABLE, "down for a moment");
			}
			List<float[]> vectors = new ArrayList<>();
			for (String text : texts) {
				float[] vector = new float[DIMENSIONS];
				for (char c : text.toLowerCase(Locale.ROOT).toCharArray()) {
					if (c >= 'a' && c < 'a' + DIMENSIONS) {
						vector[c - 'a']++;
					}
				}
				vector[DIMENSIONS - 1] += 1;
				vectors.add(Embedder.normalize(vector));
			}
			return vectors;
		}

	}

}
