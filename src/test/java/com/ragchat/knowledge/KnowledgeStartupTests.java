package com.ragchat.knowledge;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.ragchat.platform.TestDatabase;
import com.ragchat.rag.Cancellation;
import com.ragchat.rag.Passage;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The start-up import ({@code KNOWLEDGE_IMPORT_DIR=auto} imports the samples bundled in
 * the class path into an empty knowledge base, with any database) and the readiness wait:
 * the knowledge base is not ready until the import finished.
 */
class KnowledgeStartupTests extends KnowledgeIntegrationTest {

	private static final String QUESTION = "How do I reset my password?";

	@Autowired
	EmbeddingService embeddings;

	@Autowired
	KnowledgeProperties properties;

	@Autowired
	KnowledgeReembedder reembedder;

	@Autowired
	MockMvc mvc;

	private final List<HikariDataSource> pools = new ArrayList<>();

	@AfterEach
	void closePools() {
		this.pools.forEach(HikariDataSource::close);
	}

	@Test
	void theSamplesAreBundledInTheClassPath() throws Exception {
		List<KnowledgeImporter.ImportFile> bundled = KnowledgeImporter.bundledSamples();
		List<String> folder;
		try (Stream<Path> listing = Files.list(KnowledgeImporter.SAMPLES)) {
			folder = listing.map((file) -> file.getFileName().toString())
				.filter((name) -> TextExtractor.Format.of(name) != null)
				.sorted()
				.toList();
		}
		assertThat(folder).hasSizeGreaterThanOrEqualTo(30);
		assertThat(bundled.stream().map(KnowledgeImporter.ImportFile::name).toList()).isEqualTo(folder);
		for (KnowledgeImporter.ImportFile file : bundled) {
			assertThat(file.contents().read())
				.isEqualTo(Files.readAllBytes(KnowledgeImporter.SAMPLES.resolve(file.name())));
		}
	}

	@Test
	void autoImportsTheBundledSamplesIntoAnEmptyKnowledgeBaseOnce() {
		HikariDataSource pool = emptyMigratedDatabase();
		KnowledgeStore store = new KnowledgeStore(JdbcClient.create(pool), new JdbcTemplate(pool));
		KnowledgeImporter importer = new KnowledgeImporter(service(store, pool), pool, 2);
		assertThat(KnowledgeImporter.startupSource(" AUTO "))
			.isInstanceOf(KnowledgeImporter.StartupSource.BundledSamples.class);

		KnowledgeImporter.Summary summary = importer.importOnFirstStart(KnowledgeImporter.startupSource("auto"));

		assertThat(summary).isEqualTo(new KnowledgeImporter.Summary(KnowledgeImporter.bundledSamples().size(), 0, 0));
		assertThat(importer.isFirstStartImportDone()).isTrue();
		KnowledgeSearch search = new KnowledgeSearch(store, new VectorIndex(store), this.embeddings, QueryTerms.load(),
				KnowledgeSearch.Settings.defaults(this.properties.candidates(), this.properties.minRelevance(),
						this.properties.embeddingModel()));
		List<Passage> passages = search.retrieve(QUESTION, 3, Cancellation.none());
		assertThat(passages).isNotEmpty();
		assertThat(passages.get(0).metadata().kbNumber()).isEqualTo("KB0001");
		// Not empty any more: a second start imports nothing.
		assertThat(new KnowledgeImporter(service(store, pool), pool, 2)
			.importOnFirstStart(KnowledgeImporter.startupSource("auto"))).isNull();
	}

	@Test
	void filesAreImportedOnPlatformThreadsNotVirtualOnes() {
		HikariDataSource pool = emptyMigratedDatabase();
		KnowledgeStore store = new KnowledgeStore(JdbcClient.create(pool), new JdbcTemplate(pool));
		KnowledgeImporter importer = new KnowledgeImporter(service(store, pool), pool, 2);
		List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
		List<KnowledgeImporter.ImportFile> files = KnowledgeImporter.bundledSamples()
			.subList(0, 4)
			.stream()
			.map((file) -> new KnowledgeImporter.ImportFile(file.name(), () -> {
				Thread current = Thread.currentThread();
				threads.add((current.isVirtual() ? "virtual " : "platform ") + current.getName());
				return file.contents().read();
			}))
			.toList();

		assertThat(importer.importFiles(files)).isEqualTo(new KnowledgeImporter.Summary(4, 0, 0));
		assertThat(threads).hasSize(4)
			.allSatisfy((thread) -> assertThat(thread).startsWith("platform " + KnowledgeImporter.IMPORT_THREADS));
	}

	@Test
	void noneImportsNothingAndAFolderImportsThatFolder(@org.junit.jupiter.api.io.TempDir Path folder) throws Exception {
		assertThat(KnowledgeImporter.startupSource("none")).isInstanceOf(KnowledgeImporter.StartupSource.Nothing.class);
		assertThat(KnowledgeImporter.startupSource("")).isInstanceOf(KnowledgeImporter.StartupSource.Nothing.class);
		Files.copy(KnowledgeImporter.SAMPLES.resolve("kb0001-reset-forgotten-password.md"),
				folder.resolve("kb0001-reset-forgotten-password.md"));
		HikariDataSource pool = emptyMigratedDatabase();
		KnowledgeStore store = new KnowledgeStore(JdbcClient.create(pool), new JdbcTemplate(pool));
		KnowledgeImporter importer = new KnowledgeImporter(service(store, pool), pool, 2);
		assertThat(importer.importOnFirstStart(KnowledgeImporter.startupSource("none"))).isNull();
		assertThat(store.isEmpty()).isTrue();
		assertThat(importer.importOnFirstStart(KnowledgeImporter.startupSource(folder.toString())))
			.isEqualTo(new KnowledgeImporter.Summary(1, 0, 0));
	}

	@Test
	void theKnowledgeBaseIsNotReadyUntilTheStartupImportFinished() throws Exception {
		HikariDataSource pool = emptyMigratedDatabase();
		CountDownLatch entered = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		// The import's first step (its advisory lock) waits until the test lets it go.
		DelegatingDataSource gated = new DelegatingDataSource(pool) {
			@Override
			public Connection getConnection() throws SQLException {
				entered.countDown();
				try {
					release.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				return super.getConnection();
			}
		};
		KnowledgeStore store = new KnowledgeStore(JdbcClient.create(pool), new JdbcTemplate(pool));
		KnowledgeImporter importer = new KnowledgeImporter(service(store, pool), gated, 2);
		KnowledgeReadiness readiness = new KnowledgeReadiness(importer, this.reembedder);
		assertThatThrownBy(readiness::check).as("before the import started").hasMessageContaining("import");

		Thread starting = Thread.ofPlatform()
			.start(() -> importer.importOnFirstStart(KnowledgeImporter.startupSource("auto")));
		assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
		assertThatThrownBy(readiness::check).as("while importing").hasMessageContaining("import");
		release.countDown();
		starting.join();

		readiness.check();
		assertThat(store.isEmpty()).isFalse();
	}

	@Test
	void theRunningServiceIsReadyOnlyWithTheKnowledgeBaseUp() throws Exception {
		// The application's import ran before the context was handed to the test.
		this.mvc.perform(get("/api/health/ready"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("ready"))
			.andExpect(jsonPath("$.components.knowledge").value("up"));
	}

	private KnowledgeService service(KnowledgeStore store, HikariDataSource pool) {
		return new KnowledgeService(store, new TextExtractor(), new Chunker(200, 40), this.embeddings,
				new TransactionTemplate(new JdbcTransactionManager(pool)), 1 << 20);
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
		this.pools.add(pool);
		return pool;
	}

}
