package com.ragchat.rag;

/**
 * A retrieved piece of text and its source; serialised as the contract's "DocContent"
 * ({@code {"content", "metadata"}}).
 *
 * @param content the passage text
 * @param metadata its source, with the retriever's score
 */
public record Passage(String content, Source metadata) {

	/** The retriever's score of this passage, or null. */
	public Double score() {
		return this.metadata.score();
	}

}
