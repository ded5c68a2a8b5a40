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

	@Test
	void theChunksStemsAreThoseOfThePassageTheyMake() {
		KnowledgeStore.ChunkRow first = chunk(0,
				"## Wi-Fi\n\nConnect to eduroam with your NetID. Forgotten passwords " + "are reset at the portal.");
		KnowledgeStore.ChunkRow second = chunk(1,
				"Forgotten passwords are reset at the portal.\n\n- Printers: " + "release jobs at any MFD.");
		KnowledgeStore.ChunkRow third = chunk(2, "release jobs at any MFD. Scanning-to-email needs Duo.");
		KnowledgeStore.ChunkRow fifth = chunk(4, "Licences for MATLAB renew each August.");
		List<KnowledgeStore.ChunkRow> chunks = List.of(third, fifth, first, second);
		Passage passage = KnowledgeSearch.passage(chunks, 0.7);
		// The overlap was dropped from the passage, yet its words are there.
		assertThat(occurrences(passage.content(), "Forgotten passwords")).isEqualTo(1);
		java.util.Set<String> union = new java.util.HashSet<>();
		KnowledgeSearch.ChunkCache stems = new KnowledgeSearch.ChunkCache(3);
		for (KnowledgeStore.ChunkRow chunk : chunks) {
			union.addAll(stems.chunk(chunk));
		}
		assertThat(union).isEqualTo(QueryTerms.stems(passage.content()))
			.contains("wi-fi", "wi", "fi", "forgotten", "password", "printer", "scanning-to-email", "email", "matlab");
	}

	@Test
	void stemsAreWorkedOutOncePerChunkAndDocumentAtAVersion() {
		KnowledgeStore.DocumentRow document = new KnowledgeStore.DocumentRow(8, "Printing on campus", "print.md",
				"text/markdown", "hash", 100,
				new KnowledgeStore.DocumentMetadata(null, "KB0012", null, "Release jobs at MFDs", null), 1, "ready",
				Instant.parse("2026-01-02T03:04:05Z"), null);
		KnowledgeStore.ChunkRow row = new KnowledgeStore.ChunkRow(200, 0, "Printing", "Colour printing costs more.",
				new float[0][], document);
		KnowledgeSearch.ChunkCache stems = new KnowledgeSearch.ChunkCache(5);
		assertThat(stems.chunk(row)).isEqualTo(QueryTerms.stems("Colour printing costs more."))
			.isSameAs(stems.chunk(row));
		assertThat(stems.heading(document)).isEqualTo(QueryTerms.stems("Printing on campus Release jobs at MFDs"))
			.isSameAs(stems.heading(document));
		assertThat(stems.size()).isEqualTo(2);
		assertThat(stems.version()).isEqualTo(5);
	}

	@Test
	void theStemsCacheStartsAgainWhenFull() {
		KnowledgeSearch.ChunkCache stems = new KnowledgeSearch.ChunkCache(1);
		for (int i = 0; i < KnowledgeSearch.ChunkCache.MAX_ENTRIES; i++) {
			stems.chunk(new KnowledgeStore.ChunkRow(i, 0, "", "word" + i, new float[0][], DOCUMENT));
		}
		assertThat(stems.size()).isEqualTo(KnowledgeSearch.ChunkCache.MAX_ENTRIES);
		KnowledgeStore.ChunkRow more = new KnowledgeStore.ChunkRow(-1, 0, "", "another chunk", new float[0][],
				DOCUMENT);
		assertThat(stems.chunk(more)).containsExactlyInAnyOrder("another", "chunk");
		assertThat(stems.size()).isEqualTo(1);
	}

	@Test
	void rowsAreKeptForTheirVersionUpToABound() {
		KnowledgeSearch.ChunkCache cache = new KnowledgeSearch.ChunkCache(2);
		KnowledgeStore.ChunkRow row = chunk(0, "Some text.");
		assertThat(cache.row(row.id())).isNull();
		cache.putRow(row);
		assertThat(cache.row(row.id())).isSameAs(row);
		for (int i = 1; i < KnowledgeSearch.ChunkCache.MAX_ROWS; i++) {
			cache.putRow(new KnowledgeStore.ChunkRow(1000 + i, i, "", "text", new float[0][], DOCUMENT));
		}
		assertThat(cache.rowCount()).isEqualTo(KnowledgeSearch.ChunkCache.MAX_ROWS);
		cache.putRow(chunk(1, "One more."));
		assertThat(cache.rowCount()).isEqualTo(1);
		assertThat(cache.row(row.id())).isNull();
	}

	@Test
	void coverageOfSeveralTextsIsThatOfTheirUnion() {
		QueryTerms.Prepared prepared = QueryTerms.load()
			.prepare("printer toner and wifi password", QueryTerms.Vocabulary.EMPTY, false, false);
		java.util.Set<String> heading = QueryTerms.stems("Printers on campus");
		java.util.Set<String> body = QueryTerms.stems("Reset your password at the portal");
		java.util.Set<String> union = new java.util.HashSet<>(heading);
		union.addAll(body);
		double split = KnowledgeSearch.coverage(prepared.terms(), List.of(heading, body));
		assertThat(split).isEqualTo(KnowledgeSearch.coverage(prepared.terms(), union));
		assertThat(split).isEqualTo(2.0 / prepared.terms().size());
		assertThat(KnowledgeSearch.coverage(prepared.terms(), List.of())).isZero();
	}

	private static KnowledgeStore.ChunkRow chunk(int ordinal, String content) {
		return new KnowledgeStore.ChunkRow(100 + ordinal, ordinal, "VPN", content, new float[0][], DOCUMENT);
	}

	private static int occurrences(String text, String part) {
		return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
	}

}
