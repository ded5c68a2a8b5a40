package com.ragchat.knowledge;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports a folder of documents: the bundled samples on a first start with an empty
 * knowledge base, or any folder from the command line. Each file goes through the same
 * ingestion as an upload, so importing twice changes nothing.
 */
final class KnowledgeImporter {

	private static final Logger logger = LoggerFactory.getLogger(KnowledgeImporter.class);

	/** Advisory lock key held while deciding on and running the first-start import. */
	static final long FIRST_START_LOCK = 0x7261675f6b6e6f77L;

	/** The samples folder of this repository, relative to the working directory. */
	static final Path SAMPLES = Path.of("samples", "knowledge");

	private final KnowledgeService knowledge;

	private final DataSource dataSource;

	private final int parallelism;

	private volatile boolean firstStartImportDone;

	/**
	 * @param parallelism files ingested at once (twice the embedding threads keeps them
	 * all busy)
	 */
	KnowledgeImporter(KnowledgeService knowledge, DataSource dataSource, int parallelism) {
		this.knowledge = knowledge;
		this.dataSource = dataSource;
		this.parallelism = parallelism;
	}

	/**
	 * What an import did.
	 *
	 * @param imported files stored as new documents
	 * @param unchanged files already in the knowledge base
	 * @param rejected files refused (unsupported, unreadable, no text)
	 */
	record Summary(int imported, int unchanged, int rejected) {

		@Override
		public String toString() {
			return this.imported + " imported, " + this.unchanged + " unchanged, " + this.rejected + " rejected";
		}

	}

	/**
	 * The folder to import on start-up, from {@code KNOWLEDGE_IMPORT_DIR}: {@code auto}
	 * means the samples when the embedded database is in use, {@code none} or empty means
	 * nothing.
	 */
	static @Nullable Path startupFolder(String setting, boolean embeddedDatabase) {
		String value = setting.strip();
		if (value.isEmpty() || "none".equalsIgnoreCase(value) || "off".equalsIgnoreCase(value)) {
			return null;
		}
		if ("auto".equalsIgnoreCase(value)) {
			return embeddedDatabase ? SAMPLES : null;
		}
		return Path.of(value);
	}

	/**
	 * Imports {@code folder} if the knowledge base is empty. Instances starting together
	 * serialise on an advisory lock, so exactly one imports and the others find it done.
	 * @return what was imported, or null when the knowledge base was not empty (or the
	 * import failed, which is logged: the service still starts)
	 */
	@Nullable Summary importOnFirstStart(Path folder) {
		try {
			if (!Files.isDirectory(folder)) {
				logger.warn("Knowledge base: import folder {} does not exist; nothing imported (KNOWLEDGE_IMPORT_DIR)",
						folder.toAbsolutePath());
				return null;
			}
			try (Connection connection = this.dataSource.getConnection()) {
				advisory(connection, "select pg_advisory_lock(?)");
				try {
					if (!this.knowledge.isEmpty()) {
						return null;
					}
					Summary summary = importFolder(folder);
					logger.info("Knowledge base was empty: imported {} ({})", folder.toAbsolutePath(), summary);
					return summary;
				}
				finally {
					advisory(connection, "select pg_advisory_unlock(?)");
				}
			}
		}
		catch (SQLException | RuntimeException ex) {
			logger.error("Knowledge base: the first-start import failed", ex);
			return null;
		}
		finally {
			this.firstStartImportDone = true;
		}
	}

	/** Whether start-up has nothing (more) to import. */
	boolean isFirstStartImportDone() {
		return this.firstStartImportDone;
	}

	void skipFirstStartImport() {
		this.firstStartImportDone = true;
	}

	/** Imports every supported file directly in {@code folder}, in name order. */
	Summary importFolder(Path folder) {
		List<Path> files;
		try (Stream<Path> listing = Files.list(folder)) {
			files = listing.filter(Files::isRegularFile)
				.filter((file) -> TextExtractor.Format.of(file.getFileName().toString()) != null)
				.filter((file) -> !file.getFileName().toString().toLowerCase(Locale.ROOT).startsWith("readme"))
				.sorted()
				.toList();
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot list " + folder.toAbsolutePath(), ex);
		}
		AtomicInteger imported = new AtomicInteger();
		AtomicInteger unchanged = new AtomicInteger();
		AtomicInteger rejected = new AtomicInteger();
		// Several files at once keep every embedding thread busy (a small file is one
		// batch); the embedding pool itself bounds the CPU used.
		Semaphore inFlight = new Semaphore(this.parallelism);
		try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
			for (Path file : files) {
				inFlight.acquireUninterruptibly();
				workers.execute(() -> {
					try {
						KnowledgeService.IngestionResult result = this.knowledge.ingest(file.getFileName().toString(),
								Files.readAllBytes(file), KnowledgeService.UploadMetadata.none());
						(result.created() ? imported : unchanged).incrementAndGet();
					}
					catch (IngestionRejectedException ex) {
						rejected.incrementAndGet();
						logger.warn("Knowledge base: {} not imported: {}", file, ex.getMessage());
					}
					catch (IOException | RuntimeException ex) {
						rejected.incrementAndGet();
						logger.warn("Knowledge base: {} could not be imported: {}", file, ex.toString());
					}
					finally {
						inFlight.release();
					}
				});
			}
		}
		return new Summary(imported.get(), unchanged.get(), rejected.get());
	}

	private static void advisory(Connection connection, String sql) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(sql)) {
			statement.setLong(1, FIRST_START_LOCK);
			statement.execute();
		}
	}

}
