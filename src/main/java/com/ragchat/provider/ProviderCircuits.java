package com.ragchat.provider;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.MeterRegistry;

import com.ragchat.observability.ChatbotMetrics;
import com.ragchat.rag.AnswerModel;
import com.ragchat.rag.ProviderException;
import com.ragchat.rag.Retriever;

/**
 * The circuit breakers of the providers, one per answer model and one per retriever.
 * Besides guarding every call, they let the chat feature refuse a stream with a plain 503
 * <em>before</em> it starts when the model's circuit is open (through
 * {@link ProviderCallGuard#ensureAvailable}, which the pipeline calls).
 */
final class ProviderCircuits {

	private final ProviderProperties.Circuit settings;

	private final MeterRegistry registry;

	private final Map<String, CircuitBreaker> circuits = new ConcurrentHashMap<>();

	ProviderCircuits(ProviderProperties.Circuit settings, MeterRegistry registry) {
		this.settings = settings;
		this.registry = registry;
	}

	/** How long the model's circuit stays open, or empty when calls go through. */
	Optional<Duration> openFor(AnswerModel model) {
		return circuit(modelKey(model.provider())).openFor();
	}

	/** How long the retriever's circuit stays open, or empty when calls go through. */
	Optional<Duration> openFor(Retriever retriever) {
		return circuit(retrieverKey(retriever.provider())).openFor();
	}

	/**
	 * Fails fast when the model's circuit is open, as the call itself would.
	 * @throws ProviderException of kind {@link ProviderException.Kind#UNAVAILABLE} with
	 * {@code retryAfter} = the time the circuit stays open
	 */
	void ensureAvailable(AnswerModel model) {
		Optional<Duration> open = openFor(model);
		if (open.isPresent()) {
			ChatbotMetrics
				.providerErrors(this.registry, model.provider(), "chat", ProviderException.Kind.UNAVAILABLE.reason())
				.increment();
			throw circuitOpen(model.provider(), "chat", open.get());
		}
	}

	CircuitBreaker circuit(String key) {
		return this.circuits.computeIfAbsent(key, (k) -> new CircuitBreaker(this.settings.failureThreshold(),
				Duration.ofSeconds(this.settings.openSeconds()), System::nanoTime));
	}

	static String modelKey(String provider) {
		return "model:" + provider;
	}

	static String retrieverKey(String provider) {
		return "retriever:" + provider;
	}

	static ProviderException circuitOpen(String provider, String operation, Duration retryAfter) {
		// Never tell a client to retry "in 0 seconds".
		Duration wait = (retryAfter.compareTo(Duration.ofSeconds(1)) < 0) ? Duration.ofSeconds(1) : retryAfter;
		return new ProviderException(provider, operation, ProviderException.Kind.UNAVAILABLE, wait,
				provider + " " + operation + " refused: circuit open", null);
	}

}
