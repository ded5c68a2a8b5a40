package com.ragchat.rag;

import org.jspecify.annotations.Nullable;

/**
 * Where a passage comes from, in the shape the web client renders (API.md "Source").
 * Strings are never null: missing values take the contract's defaults ({@code source}
 * "unknown", {@code kb_url} "#", {@code kb_number} "N/A", others empty). {@code score} is
 * the retriever's relevance, or null when it has none.
 * <p>
 * Whatever a retriever or a stored row says, a source reaches clients as plain text: a
 * {@code kb_url} that is not an absolute http(s) URL becomes "#", and the other strings
 * lose tags and control characters ({@link PlainText}).
 *
 * @param source document name or identifier
 * @param kbUrl link to the article
 * @param kbNumber article number, e.g. {@code KB-123}
 * @param kbCategory category
 * @param shortDescription one-line summary
 * @param project owning project
 * @param ingestionDate when the document entered the knowledge base ({@code YYYY-MM-DD})
 * @param score relevance score, higher is better, or null
 */
public record Source(String source, String kbUrl, String kbNumber, String kbCategory, String shortDescription,
		String project, String ingestionDate, @Nullable Double score) {

	public Source(@Nullable String source, @Nullable String kbUrl, @Nullable String kbNumber,
			@Nullable String kbCategory, @Nullable String shortDescription, @Nullable String project,
			@Nullable String ingestionDate, @Nullable Double score) {
		this.source = orDefault(PlainText.lineOrNull(source), "unknown");
		this.kbUrl = orDefault(PlainText.webUrlOrNull(kbUrl), "#");
		this.kbNumber = orDefault(PlainText.lineOrNull(kbNumber), "N/A");
		this.kbCategory = orDefault(PlainText.lineOrNull(kbCategory), "");
		this.shortDescription = orDefault(PlainText.lineOrNull(shortDescription), "");
		this.project = orDefault(PlainText.lineOrNull(project), "");
		this.ingestionDate = orDefault(PlainText.lineOrNull(ingestionDate), "");
		this.score = score;
	}

	/** The same source with another score. */
	public Source withScore(@Nullable Double score) {
		return new Source(this.source, this.kbUrl, this.kbNumber, this.kbCategory, this.shortDescription, this.project,
				this.ingestionDate, score);
	}

	private static String orDefault(@Nullable String value, String fallback) {
		return (value == null || value.isBlank()) ? fallback : value;
	}

}
