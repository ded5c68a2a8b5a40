package com.ragchat.knowledge;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Chunks follow the document's structure, stay within size, and overlap. */
class ChunkerTests {

	private final Chunker chunker = new Chunker(60, 12);

	@Test
	void shortDocumentIsOneChunkWithTitleAndHeadingsAsContext() {
		List<ExtractedText.Block> blocks = List.of(ExtractedText.Block.heading(2, "Before you start"),
				ExtractedText.Block.paragraph("You need a recovery method."),
				ExtractedText.Block.paragraph("- the app\n- a phone number"));
		List<Chunker.Chunk> chunks = this.chunker.chunk("Reset a password", blocks);
		assertThat(chunks).hasSize(1);
		assertThat(chunks.get(0).context()).isEqualTo("Reset a password > Before you start");
		assertThat(chunks.get(0).text())
			.isEqualTo("## Before you start\n\nYou need a recovery method.\n\n- the app\n- a phone number");
	}

	@Test
	void chunksStayWithinTheSizeAndStartWithTheEndOfThePreviousOne() {
		List<ExtractedText.Block> blocks = new ArrayList<>();
		for (int i = 1; i <= 12; i++) {
			blocks.add(ExtractedText.Block.paragraph("Paragraph " + i + " has a first sentence of eight words here. "
					+ "And a second sentence number " + i + " ends it."));
		}
		List<Chunker.Chunk> chunks = this.chunker.chunk("Long", blocks);
		assertThat(chunks).hasSizeGreaterThan(3);
		for (int i = 0; i < chunks.size(); i++) {
			assertThat(chunks.get(i).ordinal()).isEqualTo(i);
			assertThat(chunks.get(i).words()).isLessThanOrEqualTo(60);
		}
		for (int i = 1; i < chunks.size(); i++) {
			String previous = chunks.get(i - 1).text();
			String lastSentence = previous.substring(previous.lastIndexOf("And a second"));
			assertThat(chunks.get(i).text()).as("chunk %d starts with the end of chunk %d", i, i - 1)
				.startsWith(lastSentence);
		}
		// Every paragraph is somewhere, in order.
		String all = String.join("\n", chunks.stream().map(Chunker.Chunk::text).toList());
		for (int i = 1; i <= 12; i++) {
			assertThat(all).contains("Paragraph " + i + " has");
		}
	}

	@Test
	void aNewSectionStartsANewChunkOnceTheCurrentOneHasSubstance() {
		String paragraph = "This paragraph is about forty words long, so that one of them with its heading fills "
				+ "more than three fifths of a chunk, which is the minimum a chunk needs before the start of a "
				+ "new section may end it.";
		List<ExtractedText.Block> blocks = List.of(ExtractedText.Block.heading(2, "Wi-Fi"),
				ExtractedText.Block.paragraph(paragraph), ExtractedText.Block.heading(2, "VPN"),
				ExtractedText.Block.paragraph(paragraph));
		List<Chunker.Chunk> chunks = this.chunker.chunk("Network", blocks);
		assertThat(chunks).hasSize(2);
		assertThat(chunks.get(0).context()).isEqualTo("Network > Wi-Fi");
		assertThat(chunks.get(1).context()).isEqualTo("Network > VPN");
		assertThat(chunks.get(1).text()).startsWith("## VPN");
	}

	@Test
	void aParagraphLongerThanAChunkIsSplitAtSentenceEnds() {
		StringBuilder paragraph = new StringBuilder();
		for (int i = 0; i < 20; i++) {
			paragraph.append("Sentence ").append(i).append(" has exactly six words. ");
		}
		List<Chunker.Chunk> chunks = this.chunker.chunk("T",
				List.of(ExtractedText.Block.paragraph(paragraph.toString())));
		assertThat(chunks).hasSizeGreaterThan(1);
		for (Chunker.Chunk chunk : chunks) {
			assertThat(chunk.words()).isLessThanOrEqualTo(60);
			assertThat(chunk.text()).startsWith("Sentence ").endsWith("words.");
		}
	}

	@Test
	void sameInputSameChunks() {
		List<ExtractedText.Block> blocks = new ArrayList<>();
		for (int i = 0; i < 30; i++) {
			blocks.add((i % 7 == 0) ? ExtractedText.Block.heading(2, "Section " + i)
					: ExtractedText.Block.paragraph("Words of paragraph " + i + ". More words follow here for bulk."));
		}
		assertThat(this.chunker.chunk("Doc", blocks)).isEqualTo(this.chunker.chunk("Doc", blocks));
	}

}
