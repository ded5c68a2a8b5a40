package com.ragchat.knowledge;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import com.ragchat.rag.PlainText;

/**
 * The text of an uploaded file, reduced to headings and paragraphs, with what the file
 * says about itself (front matter, HTML meta tags, PDF properties).
 *
 * @param title the title the file declares, or null
 * @param metadata declared metadata ({@code kb_number}, {@code kb_url}, …)
 * @param blocks the text in reading order
 */
record ExtractedText(@Nullable String title, Map<String, String> metadata, List<Block> blocks) {

	ExtractedText {
		// A file may hold U+0000 (binary junk, UTF-16 read as bytes); PostgreSQL text
		// cannot, so it is dropped from everything that will be stored.
		// Titles and metadata are plain text (no markup, no control characters), and no
		// passage carries a tag, also not one decoded from an entity (issue 20).
		title = (title != null) ? PlainText.line(title) : null;
		Map<String, String> cleaned = new LinkedHashMap<>();
		metadata
			.forEach((key, value) -> cleaned.put(key, "kb_url".equals(key) ? value.strip() : PlainText.line(value)));
		metadata = Collections.unmodifiableMap(cleaned);
		blocks = blocks.stream()
			.map((block) -> new Block(block.level(),
					block.isHeading() ? PlainText.line(block.text()) : PlainText.passage(withoutNul(block.text()))))
			.filter((block) -> !block.text().isBlank())
			.toList();
	}

	private static String withoutNul(String text) {
		return (text.indexOf('\0') < 0) ? text : text.replace("\0", "");
	}

	/** Whether any block holds a letter or digit. */
	boolean hasText() {
		return this.blocks.stream().anyMatch((block) -> block.text().codePoints().anyMatch(Character::isLetterOrDigit));
	}

	/**
	 * A heading ({@code level} 1–6) or a paragraph ({@code level} 0). A paragraph may
	 * span several lines (a list keeps one item per line).
	 *
	 * @param level heading level, or 0 for a paragraph
	 * @param text the text
	 */
	record Block(int level, String text) {

		static Block heading(int level, String text) {
			return new Block(level, text);
		}

		static Block paragraph(String text) {
			return new Block(0, text);
		}

		boolean isHeading() {
			return this.level > 0;
		}

	}

}
