package com.ragchat.knowledge;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.ragchat.platform.TestDatabase;
import com.ragchat.rag.Cancellation;
import com.ragchat.rag.Passage;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several instances share one database: what one ingests or deletes, every other one's
 * retrieval reflects on its next question, and instances starting together on an empty
 * knowledge base import the samples exactly once.
 */
class ReplicaConsistencyTests extends KnowledgeIntegrationTest {

	private static final String ARTICLE = """
			# Borrow a loan laptop

			The Brindle Library lends laptops for up to four hours. Collect one from the
			self-service locker on the ground floor by tapping your ID card, and return it to any
			locker before the loan ends. Late returns block further loans for a week.
			""";

	private static final String QUESTION = "Can I borrow a laptop from the library for a few hours?";

	@Autowired
	KnowledgeService instanceA;

	@Autowired
	KnowledgeStore store;

	@Autowired
	EmbeddingService embeddings;

	@Autowired
	KnowledgeProperties properties;

	@Test
	void anotherInstanceSeesAnIngestionAndADeletionOnItsNextQuestion() {
		// Instance B: its own in-memory vector index over the same database.
		VectorIndex indexB = new VectorIndex(this.store);
		KnowledgeSearch instanceB = new KnowledgeSearch(this.store, indexB, this.embeddings, QueryTerms.load(),
				KnowledgeSearch.Settings.defaults(this.properties.candidates(), this.properties.minRelevance()));
		assertThat(kbNumbers(instanceB.retrieve(QUESTION, 3, Cancellation.none()))).doesNotContain("KB9100");
		int sizeBefore = indexB.size();

		long id = this.instanceA
			.ingest("loan-laptops.md", ("---\nkb_number: KB9100\n---\n" + ARTICLE).getBytes(StandardCharsets.UTF_8),
					KnowledgeService.UploadMetadata.none())
			.document()
			.id();
		try {
			List<Passage> afterIngest = instanceB.retrieve(QUESTION, 3, Cancellation.none());
			assertThat(kbNumbers(afterIngest)).first().isEqualTo("KB9100");
			assertThat(indexB.size()).as("B's vector index took the new chunk").isEqualTo(sizeBefore + 1);
		}
		finally {
			assertThat(this.instanceA.delete(id)).isTrue();
		}
		assertThat(kbNumbers(instanceB.retrieve(QUESTION, 3, Cancellation.none()))).doesNotContain("KB9100");
		assertThat(indexB.size()).isEqualTo(sizeBefore);
	}

	@Test
	void instancesStartingTogetherImportTheSamplesOnce(@TempDir Path folder) throws Exception {
		for (String name : List.of("kb0001-reset-forgotten-password.md", "kb0019-print-from-laptop.md",
				"kb0031-lecture-capture.md")) {
			Files.copy(KnowledgeImporter.SAMPLES.resolve(name), folder.resolve(name));
		}
		TestDatabase.Info empty = TestDatabase.createEmptyDatabase();
		Flyway.configure()
			.dataSource(empty.url(), empty.username(), empty.password())
			.locations("classpath:db/migration")
			.load()
			.migrate();
		int instances = 3;
		List<HikariDataSource> pools = new ArrayList<>();
		List<KnowledgeImporter> importers = new ArrayList<>();
		for (int i = 0; i < instances; i++) {
			HikariDataSource pool = new HikariDataSource();
			pool.setJdbcUrl(empty.url());
			pool.setUsername(empty.username());
			pool.setPassword(empty.password());
			pool.setMaximumPoolSize(4);
			pools.add(pool);
			KnowledgeStore store = new KnowledgeStore(JdbcClient.create(pool), new JdbcTemplate(pool));
			KnowledgeService service = new KnowledgeService(store, new TextExtractor(), new Chunker(200, 40),
					this.embeddings, new TransactionTemplate(new JdbcTransactionManager(pool)), 1 << 20);
			importers.add(new KnowledgeImporter(service, pool, 2));
		}
		ExecutorService threads = Executors.newFixedThreadPool(instances);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<KnowledgeImporter.Summary>> results = new ArrayList<>();
			for (KnowledgeImporter importer : importers) {
				results.add(threads.submit(() -> {
					start.await();
					return importer.importOnFirstStart(folder);
				}));
			}
			start.countDown();
			List<KnowledgeImporter.Summary> summaries = new ArrayList<>();
			for (Future<KnowledgeImporter.Summary> result : results) {
				summaries.add(result.get());
			}
			assertThat(summaries.stream().filter(Objects::nonNull).toList()).as("instances that imported")
				.containsExactly(new KnowledgeImporter.Summary(3, 0, 0));
			JdbcClient jdbc = JdbcClient.create(pools.get(0));
			assertThat(jdbc.sql("select count(*) from knowledge_documents").query(Integer.class).single()).isEqualTo(3);
			assertThat(jdbc.sql("select version from knowledge_state").query(Long.class).single()).isEqualTo(3L);
		}
		finally {
			threads.shutdownNow();
			pools.forEach(HikariDataSource::close);
		}
	}

	private static List<String> kbNumbers(List<Passage> passages) {
		return passages.stream().map((p) -> p.metadata().kbNumber()).toList();
	}

}
