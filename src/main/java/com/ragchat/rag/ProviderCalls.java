package com.ragchat.rag;

import java.util.List;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * The guard every call from the pipeline to a provider goes through: the circuit breaker,
 * the timeout, bounded retries of transient failures and the provider metrics.
 * Implemented once, by the {@code provider} feature; the pipeline never calls an
 * {@link AnswerModel} or a {@link Retriever} itself, only these methods (an architecture
 * test holds every class but the guard to that). A new way of calling a port therefore
 * needs a new method here, and cannot silently skip the guard.
 */
public interface ProviderCalls {

	/**
	 * Streams an answer from {@code model}: {@link AnswerModel#generate} under the guard.
	 * The timeout is an idle timeout (before the first fragment and between two), and no
	 * retry happens once a fragment reached {@code deltas}.
	 */
	Generation generate(AnswerModel model, GenerationRequest request, Consumer<String> deltas,
			Cancellation cancellation);

	/**
	 * A whole answer from {@code model}: {@link AnswerModel#complete} under the guard.
	 */
	Generation complete(AnswerModel model, GenerationRequest request, Cancellation cancellation);

	/**
	 * Passages from {@code retriever} for a member of {@code tenantId} (null: shared
	 * documents only): {@link Retriever#retrieve(String, int, Long, Cancellation)} under
	 * the guard.
	 */
	List<Passage> retrieve(Retriever retriever, String query, int limit, @Nullable Long tenantId,
			Cancellation cancellation);

	/** Passages from the shared documents of {@code retriever}, under the guard. */
	default List<Passage> retrieve(Retriever retriever, String query, int limit, Cancellation cancellation) {
		return retrieve(retriever, query, limit, null, cancellation);
	}

	/**
	 * Fails fast when the model's circuit is open, as a call would.
	 * @throws ProviderException of kind {@link ProviderException.Kind#UNAVAILABLE} with
	 * {@code retryAfter} = the time the circuit stays open
	 */
	void ensureAvailable(AnswerModel model);

}
