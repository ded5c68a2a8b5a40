package com.ragchat.rag;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Finds the passages that best answer a question. Implementations: the built-in knowledge
 * base ({@code local}), managed services ({@code bedrock}, {@code azure}), {@code mock},
 * and web search for {@link SourceKind#WEB} research mode.
 * <p>
 * Exactly one bean of each {@link #kind()} is active; the pipeline picks by kind.
 */
public interface Retriever {

	/** Provider name for metrics and metadata, e.g. {@code local}, {@code bedrock}. */
	String provider();

	/** Whether this retriever searches the knowledge base or the web. */
	default SourceKind kind() {
		return SourceKind.KB;
	}

	/**
	 * Returns at most {@code limit} passages for {@code query}, best first, each with its
	 * score in {@link Source#score()}. An empty list means nothing relevant was found.
	 * Blocking; honours {@code cancellation} where the underlying call allows it.
	 * @throws ProviderException when the retrieval service fails
	 */
	List<Passage> retrieve(String query, int limit, Cancellation cancellation);

	/**
	 * As {@link #retrieve(String, int, Cancellation)}, for a member of {@code tenantId}:
	 * only that tenant's documents and the shared ones may be returned ({@code null}:
	 * shared documents only). Retrievers whose sources can belong to a tenant override
	 * both methods, the one without a tenant searching the shared documents; the others
	 * (web search, mock) have nothing of a tenant's and ignore it.
	 */
	default List<Passage> retrieve(String query, int limit, @Nullable Long tenantId, Cancellation cancellation) {
		return retrieve(query, limit, cancellation);
	}

}
