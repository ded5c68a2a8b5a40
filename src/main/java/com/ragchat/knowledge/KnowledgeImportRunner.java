package com.ragchat.knowledge;

import java.nio.file.Path;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.StringUtils;

/**
 * Runs once the application has started. With {@code --import-knowledge=folder} (the
 * command-line import, see {@link KnowledgeImportCommand}) it imports the folders and
 * exits with status 0, or 1 if any file was refused. Otherwise it imports
 * {@code KNOWLEDGE_IMPORT_DIR} into an empty knowledge base, starts re-embedding vectors
 * of an earlier embedding model (see {@link KnowledgeReembedder}) and loads the vector
 * index; until the import is done {@code /api/health/ready} reports the knowledge base as
 * not ready, so no first question meets an empty knowledge base.
 */
final class KnowledgeImportRunner implements ApplicationRunner {

	private static final Logger logger = LoggerFactory.getLogger(KnowledgeImportRunner.class);

	private final KnowledgeImporter importer;

	private final KnowledgeReembedder reembedder;

	private final KnowledgeProperties properties;

	private final NearestChunks vectors;

	private final KnowledgeStore store;

	private final ConfigurableApplicationContext context;

	KnowledgeImportRunner(KnowledgeImporter importer, KnowledgeReembedder reembedder, KnowledgeProperties properties,
			NearestChunks vectors, KnowledgeStore store, ConfigurableApplicationContext context) {
		this.importer = importer;
		this.reembedder = reembedder;
		this.properties = properties;
		this.vectors = vectors;
		this.store = store;
		this.context = context;
	}

	@Override
	public void run(ApplicationArguments args) {
		if (args.containsOption(KnowledgeImportCommand.OPTION)) {
			int code = runImportCommand(args.getOptionValues(KnowledgeImportCommand.OPTION));
			System.exit(SpringApplication.exit(this.context, () -> code));
			return;
		}
		KnowledgeImporter.StartupSource source = KnowledgeImporter.startupSource(this.properties.importDir());
		if (source instanceof KnowledgeImporter.StartupSource.Nothing) {
			this.importer.skipFirstStartImport();
		}
		else {
			this.importer.importOnFirstStart(source);
		}
		// Vectors of an earlier embedding model are replaced in the background.
		this.reembedder.start();
		if (this.vectors instanceof VectorIndex index) {
			// Load the in-memory index now rather than on the first question.
			index.refreshTo(this.store.version());
		}
	}

	/** Imports every folder named; the exit status: 0, or 1 if anything failed. */
	int runImportCommand(List<String> folders) {
		int failures = 0;
		for (String folder : folders) {
			if (!StringUtils.hasText(folder)) {
				logger.error("--{} needs a folder: --{}=path/to/folder", KnowledgeImportCommand.OPTION,
						KnowledgeImportCommand.OPTION);
				failures++;
				continue;
			}
			try {
				KnowledgeImporter.Summary summary = this.importer.importFolder(Path.of(folder));
				logger.info("Imported {}: {}", Path.of(folder).toAbsolutePath(), summary);
				failures += summary.rejected();
			}
			catch (RuntimeException ex) {
				logger.error("Import of {} failed: {}", folder, ex.getMessage());
				failures++;
			}
		}
		return (failures == 0) ? 0 : 1;
	}

}
