package com.ragchat.knowledge;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Splits a document into passages of at most {@code maxWords} words that follow its
 * structure: a chunk prefers to end where a section ends, never splits a paragraph unless
 * the paragraph alone is too long (then at sentence ends), and starts with the last
 * sentences of the previous chunk (up to {@code overlapWords}) so that an answer spanning
 * the boundary is found in one piece. Every chunk carries its context: the document title
 * and the headings above it. The same input always gives the same chunks.
 */
final class Chunker {

	/** A sentence ends with . ! or ? (optionally quoted) followed by a space. */
	private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?][\"')\\]]?)\\s+(?=\\S)");

	private static final Pattern WHITESPACE = Pattern.compile("\\s+");

	private final int maxWords;

	private final int overlapWords;

	private final int minWordsBeforeSectionBreak;

	Chunker(int maxWords, int overlapWords) {
		if (overlapWords >= maxWords / 2) {
			throw new IllegalArgumentException("the overlap must be less than half the chunk size");
		}
		this.maxWords = maxWords;
		this.overlapWords = overlapWords;
		this.minWordsBeforeSectionBreak = maxWords * 3 / 5;
	}

	/**
	 * A passage of a document.
	 *
	 * @param ordinal position in the document, from 0
	 * @param context the document title and the headings the passage sits under
	 * @param text the passage (headings inside it are kept as {@code ## heading} lines)
	 */
	record Chunk(int ordinal, String context, String text) {

		int words() {
			return countWords(this.text);
		}

	}

	List<Chunk> chunk(String title, List<ExtractedText.Block> blocks) {
		List<Chunk> chunks = new ArrayList<>();
		String[] headings = new String[7];
		Builder current = new Builder(context(title, headings));
		for (ExtractedText.Block block : blocks) {
			if (block.isHeading()) {
				if (current.words >= this.minWordsBeforeSectionBreak) {
					current = close(chunks, current, title, headings, false);
				}
				headings[block.level()] = block.text();
				for (int level = block.level() + 1; level < headings.length; level++) {
					headings[level] = null;
				}
				if (current.isEmpty() || current.onlyOverlap) {
					// A chunk that starts here is about this section.
					current.context = context(title, headings);
				}
				current.add("#".repeat(block.level()) + " " + block.text(), false);
				continue;
			}
			for (String piece : pieces(block.text())) {
				int words = countWords(piece);
				if (!current.isEmpty() && !current.onlyOverlap && current.words + words > this.maxWords) {
					current = close(chunks, current, title, headings, true);
				}
				current.add(piece, true);
			}
		}
		if (!current.isEmpty() && !current.onlyOverlap) {
			chunks.add(current.build(chunks.size()));
		}
		return chunks;
	}

	private Builder close(List<Chunk> chunks, Builder current, String title, String[] headings, boolean carryOverlap) {
		chunks.add(current.build(chunks.size()));
		Builder next = new Builder(context(title, headings));
		if (carryOverlap && this.overlapWords > 0) {
			String overlap = current.tail(this.overlapWords);
			if (!overlap.isEmpty()) {
				next.add(overlap, true);
				next.onlyOverlap = true;
			}
		}
		return next;
	}

	/** A paragraph, or its sentence groups when it alone exceeds the chunk size. */
	private List<String> pieces(String paragraph) {
		int budget = this.maxWords - this.overlapWords;
		if (countWords(paragraph) <= budget) {
			return List.of(paragraph);
		}
		List<String> pieces = new ArrayList<>();
		StringBuilder piece = new StringBuilder();
		int words = 0;
		for (String sentence : sentences(paragraph)) {
			int sentenceWords = countWords(sentence);
			if (sentenceWords > budget) {
				// A "sentence" longer than a chunk (a table, a run-on list): cut by
				// words.
				if (piece.length() > 0) {
					pieces.add(piece.toString());
					piece.setLength(0);
					words = 0;
				}
				String[] tokens = WHITESPACE.split(sentence.strip());
				for (int i = 0; i < tokens.length; i += budget) {
					pieces.add(String.join(" ",
							java.util.Arrays.copyOfRange(tokens, i, Math.min(tokens.length, i + budget))));
				}
				continue;
			}
			if (words + sentenceWords > budget && piece.length() > 0) {
				pieces.add(piece.toString());
				piece.setLength(0);
				words = 0;
			}
			if (piece.length() > 0) {
				piece.append(' ');
			}
			piece.append(sentence);
			words += sentenceWords;
		}
		if (piece.length() > 0) {
			pieces.add(piece.toString());
		}
		return pieces;
	}

	static List<String> sentences(String text) {
		List<String> sentences = new ArrayList<>();
		for (String line : text.split("\n")) {
			for (String sentence : SENTENCE_END.split(line.strip())) {
				if (!sentence.isBlank()) {
					sentences.add(sentence.strip());
				}
			}
		}
		return sentences;
	}

	static int countWords(String text) {
		String stripped = text.strip();
		return stripped.isEmpty() ? 0 : WHITESPACE.split(stripped).length;
	}

	private static String context(String title, String[] headings) {
		StringBuilder context = new StringBuilder(title);
		for (int level = 1; level < headings.length; level++) {
			if (headings[level] != null && !headings[level].equalsIgnoreCase(title)) {
				context.append(" > ").append(headings[level]);
			}
		}
		return context.toString();
	}

	private static final class Builder {

		private String context;

		private final List<String> parts = new ArrayList<>();

		private int words;

		/** Holds only text carried over from the previous chunk. */
		private boolean onlyOverlap;

		Builder(String context) {
			this.context = context;
		}

		void add(String text, boolean content) {
			this.parts.add(text);
			this.words += countWords(text);
			if (content) {
				this.onlyOverlap = false;
			}
		}

		boolean isEmpty() {
			return this.parts.isEmpty();
		}

		/**
		 * The last whole sentences of this chunk's prose, at most {@code limit} words.
		 */
		String tail(int limit) {
			List<String> sentences = new ArrayList<>();
			for (String part : this.parts) {
				if (!part.startsWith("#")) {
					sentences.addAll(sentences(part));
				}
			}
			List<String> picked = new ArrayList<>();
			int total = 0;
			for (int i = sentences.size() - 1; i >= 0; i--) {
				int count = countWords(sentences.get(i));
				if (total + count > limit) {
					break;
				}
				picked.add(0, sentences.get(i));
				total += count;
			}
			return String.join(" ", picked);
		}

		Chunk build(int ordinal) {
			return new Chunk(ordinal, this.context, String.join("\n\n", this.parts));
		}

	}

}
