package com.ragchat.knowledge;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Imports documents: the samples bundled in the class path (or a folder) on a first start
 * with an empty knowledge base, or any folder from the command line. Each file goes
 * through the same ingestion as an upload, so importing twice changes nothing.
 */
final class KnowledgeImporter {

	private static final Logger logger = LoggerFactory.getLogger(KnowledgeImporter.class);

	/** Advisory lock key held while deciding on and running the first-start import. */
	static final long FIRST_START_LOCK = 0x7261675f6b6e6f77L;

	/**
	 * The samples folder of this repository, relative to the working directory (tests and
	 * benchmarks read it; the service imports the copy in its class path).
	 */
	static final Path SAMPLES = Path.of("samples", "knowledge");

	/** Where the build puts the samples in the class path. */
	static final String SAMPLES_RESOURCES = "samples/knowledge";

	private final KnowledgeService knowledge;

	private final DataSource dataSource;

	/** Name prefix of the threads that import files. */
	static final String IMPORT_THREADS = "knowledge-import-";

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
	 * What start-up imports into an empty knowledge base, from
	 * {@code KNOWLEDGE_IMPORT_DIR}.
	 */
	sealed interface StartupSource {

		/** {@code none} (or empty): nothing. */
		record Nothing() implements StartupSource {
		}

		/** {@code auto}: the samples bundled in the application's class path. */
		record BundledSamples() implements StartupSource {
		}

		/**
		 * Any other value: that folder.
		 *
		 * @param folder the folder
		 */
		record Folder(Path folder) implements StartupSource {
		}

	}

	/**
	 * Reads {@code KNOWLEDGE_IMPORT_DIR}: {@code auto} means the bundled samples (with
	 * any database: only an empty knowledge base is ever imported into), {@code none},
	 * {@code off} or empty mean nothing, anything else is a folder.
	 */
	static StartupSource startupSource(String setting) {
		String value = setting.strip();
		if (value.isEmpty() || "none".equalsIgnoreCase(value) || "off".equalsIgnoreCase(value)) {
			return new StartupSource.Nothing();
		}
		if ("auto".equalsIgnoreCase(value)) {
			return new StartupSource.BundledSamples();
		}
		return new StartupSource.Folder(Path.of(value));
	}

	/**
	 * Imports what {@code source} names if the knowledge base is empty. Instances
	 * starting together serialise on an advisory lock, so exactly one imports and the
	 * others find it done.
	 * @return what was imported, or null when there was nothing to import, the knowledge
	 * base was not empty, or the import failed (which is logged: the service still
	 * starts)
	 */
	@Nullable Summary importOnFirstStart(StartupSource source) {
		try {
			List<ImportFile> files;
			String what;
			switch (source) {
				case StartupSource.Nothing nothing -> {
					return null;
				}
				case StartupSource.BundledSamples samples -> {
					files = bundledSamples();
					what = "the bundled samples (" + SAMPLES_RESOURCES + " in the class path)";
					if (files.isEmpty()) {
						logger.warn("Knowledge base: no bundled samples in the class path; nothing imported "
								+ "(KNOWLEDGE_IMPORT_DIR=auto)");
						return null;
					}
				}
				case StartupSource.Folder(Path folder) -> {
					if (!Files.isDirectory(folder)) {
						logger.warn(
								"Knowledge base: import folder {} does not exist; nothing imported (KNOWLEDGE_IMPORT_DIR)",
								folder.toAbsolutePath());
						return null;
					}
					files = folderFiles(folder);
					what = folder.toAbsolutePath().toString();
				}
			}
			try (Connection connection = this.dataSource.getConnection()) {
				advisory(connection, "select pg_advisory_lock(?)");
				try {
					if (!this.knowledge.isEmpty()) {
						logger.info("Knowledge base: not empty, nothing imported on start-up");
						return null;
					}
					logger.info("Knowledge base is empty: importing {} ({} files)", what, files.size());
					Summary summary = importFiles(files);
					logger.info("Knowledge base was empty: imported {} ({})", what, summary);
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

	/** As {@link #importOnFirstStart(StartupSource)} for a folder. */
	@Nullable Summary importOnFirstStart(Path folder) {
		return importOnFirstStart(new StartupSource.Folder(folder));
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
		return importFiles(folderFiles(folder));
	}

	/** A file to import: its name and a way to read it. */
	record ImportFile(String name, Contents contents) {

		/** Reads the file's bytes. */
		@FunctionalInterface
		interface Contents {

			byte[] read() throws IOException;

		}

	}

	private static List<ImportFile> folderFiles(Path folder) {
		try (Stream<Path> listing = Files.list(folder)) {
			return listing.filter(Files::isRegularFile)
				.filter((file) -> importable(file.getFileName().toString()))
				.sorted()
				.map((file) -> new ImportFile(file.getFileName().toString(), () -> Files.readAllBytes(file)))
				.toList();
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot list " + folder.toAbsolutePath(), ex);
		}
	}

	/**
	 * The sample articles packaged with the application (the build copies
	 * {@code samples/knowledge} into the class path), in name order; empty when the class
	 * path has none.
	 */
	static List<ImportFile> bundledSamples() {
		Resource[] resources;
		try {
			resources = new PathMatchingResourcePatternResolver(KnowledgeImporter.class.getClassLoader())
				.getResources("classpath*:" + SAMPLES_RESOURCES + "/*");
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot list the bundled samples", ex);
		}
		Map<String, Resource> byName = new TreeMap<>();
		for (Resource resource : resources) {
			String name = resource.getFilename();
			if (name != null && resource.isReadable() && importable(name)) {
				// The first of a name wins (class path order), as a class loader would.
				byName.putIfAbsent(name, resource);
			}
		}
		List<ImportFile> files = new ArrayList<>();
		byName.forEach((name, resource) -> files.add(new ImportFile(name, resource::getContentAsByteArray)));
		return files;
	}

	private static boolean importable(String name) {
		return TextExtractor.Format.of(name) != null && !name.toLowerCase(Locale.ROOT).startsWith("readme");
	}

	/** Imports {@code files}, several at once. */
	Summary importFiles(List<ImportFile> files) {
		AtomicInteger imported = new AtomicInteger();
		AtomicInteger unchanged = new AtomicInteger();
		AtomicInteger rejected = new AtomicInteger();
		// Several files at once keep every embedding thread busy (a small file is one
		// batch); the embedding pool itself bounds the CPU used. Platform threads, not
		// virtual ones: reading the files loads classes and jar entries, which pins a
		// virtual thread to its carrier, and with as many importers as carriers (2
		// cores) a start-up once hung with every carrier pinned while the import
		// thread holding the pool's connection could not be scheduled.
		Semaphore inFlight = new Semaphore(this.parallelism);
		try (ExecutorService workers = Executors.newFixedThreadPool(this.parallelism,
				Thread.ofPlatform().name(IMPORT_THREADS, 0).daemon(true).factory())) {
			for (ImportFile file : files) {
				inFlight.acquireUninterruptibly();
				workers.execute(() -> {
					try {
						KnowledgeService.IngestionResult result = this.knowledge.ingest(file.name(),
								file.contents().read(), KnowledgeService.UploadMetadata.none());
						(result.created() ? imported : unchanged).incrementAndGet();
					}
					catch (IngestionRejectedException ex) {
						rejected.incrementAndGet();
						logger.warn("Knowledge base: {} not imported: {}", file.name(), ex.getMessage());
					}
					catch (IOException | RuntimeException ex) {
						rejected.incrementAndGet();
						logger.warn("Knowledge base: {} could not be imported: {}", file.name(), ex.toString());
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
