package com.ragchat.knowledge;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import com.ragchat.observability.ReadinessCheck;

/**
 * The knowledge base in {@code /api/health/ready}: not ready until the start-up import
 * finished (so the first question never meets a knowledge base still being filled), then
 * {@code degraded}, with the progress under {@code details.knowledge}, while the
 * knowledge base is re-embedded after a change of embedding model. Degraded stays 200: a
 * single instance that turned not-ready for the length of a re-embedding would be an
 * outage, while it can answer meanwhile (from the documents already re-embedded and the
 * full-text side).
 */
final class KnowledgeReadiness implements ReadinessCheck {

	private final KnowledgeImporter importer;

	private final KnowledgeReembedder reembedder;

	KnowledgeReadiness(KnowledgeImporter importer, KnowledgeReembedder reembedder) {
		this.importer = importer;
		this.reembedder = reembedder;
	}

	@Override
	public String component() {
		return "knowledge";
	}

	@Override
	public void check() {
		if (!this.importer.isFirstStartImportDone()) {
			throw new IllegalStateException("the knowledge base import is still running");
		}
	}

	@Override
	public boolean degraded() {
		return this.reembedder.isRunning();
	}

	@Override
	public @Nullable Map<String, Object> details() {
		return this.reembedder.isRunning() ? this.reembedder.progress() : null;
	}

}
