package com.ragchat.knowledge;

import java.util.List;

import com.ragchat.rag.Cancellation;
import com.ragchat.rag.Passage;
import com.ragchat.rag.Retriever;

/**
 * The {@code local} retriever ({@code RETRIEVER_PROVIDER=local}): the chat pipeline's
 * view of {@link KnowledgeSearch}. Kept apart from it because the provider feature wraps
 * every retriever bean in its instrumentation proxy.
 */
final class LocalRetriever implements Retriever {

	private final KnowledgeSearch search;

	LocalRetriever(KnowledgeSearch search) {
		this.search = search;
	}

	@Override
	public String provider() {
		return "local";
	}

	@Override
	public List<Passage> retrieve(String query, int limit, Cancellation cancellation) {
		return this.search.retrieve(query, limit, cancellation);
	}

}
