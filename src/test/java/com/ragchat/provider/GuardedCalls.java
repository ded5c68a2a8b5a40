package com.ragchat.provider;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import io.micrometer.core.instrument.MeterRegistry;

import com.ragchat.rag.AnswerModel;
import com.ragchat.rag.Cancellation;
import com.ragchat.rag.Generation;
import com.ragchat.rag.GenerationRequest;
import com.ragchat.rag.Passage;
import com.ragchat.rag.Retriever;

/**
 * An adapter under test called the way the pipeline calls it: through a
 * {@link ProviderCallGuard} with the given settings.
 */
final class GuardedCalls {

	private GuardedCalls() {
	}

	static ProviderCallGuard guard(Duration timeout, int maxRetries, int circuitThreshold, MeterRegistry registry) {
		ProviderCircuits circuits = new ProviderCircuits(new ProviderProperties.Circuit(circuitThreshold, 30),
				registry);
		return new ProviderCallGuard(timeout, maxRetries, circuits, registry);
	}

	/** A model and the guard its calls go through. */
	record Model(ProviderCallGuard guard, AnswerModel target) {

		Generation generate(GenerationRequest request, Consumer<String> deltas, Cancellation cancellation) {
			return this.guard.generate(this.target, request, deltas, cancellation);
		}

		Generation complete(GenerationRequest request, Cancellation cancellation) {
			return this.guard.complete(this.target, request, cancellation);
		}

	}

	/** A retriever and the guard its calls go through. */
	record Searcher(ProviderCallGuard guard, Retriever target) {

		List<Passage> retrieve(String query, int limit, Cancellation cancellation) {
			return this.guard.retrieve(this.target, query, limit, cancellation);
		}

		List<Passage> retrieve(String query, int limit, Long tenantId, Cancellation cancellation) {
			return this.guard.retrieve(this.target, query, limit, tenantId, cancellation);
		}

	}

}
