package com.ragchat.knowledge;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Embedding encoding and the windows a long chunk is embedded in. */
class KnowledgeStoreTests {

	@Test
	void vectorsSurviveEncoding() {
		float[][] vectors = new float[2][MiniLmEmbedder.DIMENSIONS];
		for (int i = 0; i < MiniLmEmbedder.DIMENSIONS; i++) {
			vectors[0][i] = i / 1000f;
			vectors[1][i] = -i / 7f;
		}
		byte[] bytes = KnowledgeStore.encode(vectors);
		assertThat(bytes).hasSize(2 * 1536);
		assertThat(KnowledgeStore.decode(bytes)).isDeepEqualTo(vectors);
	}

	@Test
	void aShortChunkIsOneWindowALongOneOverlappingWindowsThatCoverItsEnd() {
		Chunker.Chunk small = new Chunker.Chunk(0, "Title", "word ".repeat(120).strip());
		assertThat(KnowledgeService.embeddingTexts(small)).containsExactly("Title\n" + small.text());
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < 300; i++) {
			text.append("w").append(i).append(' ');
		}
		List<String> windows = KnowledgeService.embeddingTexts(new Chunker.Chunk(0, "T > S", text.toString().strip()));
		assertThat(windows).hasSize(3);
		assertThat(windows).allSatisfy((window) -> assertThat(window).startsWith("T > S\nw"));
		assertThat(windows.get(0)).contains("w0 ").contains("w149").doesNotContain("w150");
		assertThat(windows.get(1)).startsWith("T > S\nw110 ").contains("w259");
		assertThat(windows.get(2)).startsWith("T > S\nw220 ").endsWith("w299");
	}

	@Test
	void pgvectorGetsTheNormalisedMeanOfTheWindowsInItsTextForm() {
		float[][] windows = { { 1f, 0f, 0f }, { 0f, 1f, 0f } };
		float[] mean = PgVectorSearch.mean(windows);
		assertThat(mean[0]).isCloseTo((float) Math.sqrt(0.5), org.assertj.core.data.Offset.offset(1e-6f));
		assertThat(mean[1]).isEqualTo(mean[0]);
		assertThat(PgVectorSearch.literal(new float[] { 0.5f, -0.25f, 1e-8f }))
			.isEqualTo("[0.5000000,-0.2500000,1.000000e-08]");
	}

}
