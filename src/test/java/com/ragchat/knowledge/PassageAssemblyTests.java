package com.ragchat.knowledge;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.ragchat.rag.Passage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Passage assembly: chunks of one document become one passage in document order, and the
 * sentences the chunker repeats at the start of a chunk (its overlap) appear only once,
 * so neither the answer nor the client's {@code document_contents} repeat text.
 */
class PassageAssemblyTests {

	private static final KnowledgeStore.DocumentRow DOCUMENT = new KnowledgeStore.DocumentRow(7, "VPN", "vpn.md",
			"text/markdown", "hash", 100,
			new KnowledgeStore.DocumentMetadata("https://help.example/kb/KB0011", "KB0011", "VPN", null, null), 3,
			"ready", Instant.parse("2026-01-02T03:04:05Z"), null);

	@Test
	void neighbouringChunksAreJoinedWithoutTheirOverlap() {
		KnowledgeStore.ChunkRow first = chunk(0, "## Install\n\n1. Go to the portal.\n2. Download the client. "
				+ "Run the installer and allow the extension.");
		KnowledgeStore.ChunkRow second = chunk(1,
				"Run the installer and allow the extension.\n\n## Connect\n\n1. Open the client.");
		Passage passage = KnowledgeSearch.passage(List.of(second, first), 0.61234);
		assertThat(passage.content()).isEqualTo("## Install\n\n1. Go to the portal.\n2. Download the client. "
				+ "Run the installer and allow the extension.\n\n## Connect\n\n1. Open the client.");
		assertThat(occurrences(passage.content(), "Run the installer")).isEqualTo(1);
		assertThat(passage.metadata().kbNumber()).isEqualTo("KB0011");
		assertThat(passage.metadata().score()).isEqualTo(0.6123);
	}

	@Test
	void chunksThatAreNotNeighboursKeepTheirWholeTextInDocumentOrder() {
		KnowledgeStore.ChunkRow first = chunk(0, "Intro sentence one. Shared ending.");
		KnowledgeStore.ChunkRow third = chunk(2, "Shared ending. Later text.");
		Passage passage = KnowledgeSearch.passage(List.of(third, first), 0.5);
		assertThat(passage.content()).isEqualTo("Intro sentence one. Shared ending.\n\nShared ending. Later text.");
	}

	@Test
	void overlapIsComparedWordByWordWhateverTheLineBreaks() {
		assertThat(KnowledgeSearch.withoutOverlap("Alpha beta.\nGamma delta.", "Gamma\ndelta. Epsilon."))
			.isEqualTo("Epsilon.");
		assertThat(KnowledgeSearch.withoutOverlap("Alpha beta.", "Gamma delta.")).isEqualTo("Gamma delta.");
		assertThat(KnowledgeSearch.withoutOverlap("Alpha beta.", "Alpha beta.")).isEmpty();
	}

	private static KnowledgeStore.ChunkRow chunk(int ordinal, String content) {
		return new KnowledgeStore.ChunkRow(100 + ordinal, ordinal, "VPN", content, new float[0][], DOCUMENT);
	}

	private static int occurrences(String text, String part) {
		return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
	}

}
