package com.ragchat.provider;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import com.ragchat.rag.AnswerModel;
import com.ragchat.rag.Cancellation;
import com.ragchat.rag.Generation;
import com.ragchat.rag.GenerationRequest;
import com.ragchat.rag.ProviderException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The circuit breaker's states, on a clock the test moves. */
class CircuitBreakerTests {

	private final AtomicLong now = new AtomicLong(1_000_000_000L);

	private final CircuitBreaker circuit = new CircuitBreaker(3, Duration.ofSeconds(30), this.now::get);

	@Test
	void opensAfterTheThresholdOfConsecutiveFailures() {
		this.circuit.onFailure();
		this.circuit.onFailure();
		this.circuit.onSuccess();
		this.circuit.onFailure();
		this.circuit.onFailure();
		assertThat(this.circuit.tryAcquire()).isEmpty();
		this.circuit.onFailure();

		assertThat(this.circuit.state()).isEqualTo(CircuitBreaker.State.OPEN);
		assertThat(this.circuit.tryAcquire()).contains(Duration.ofSeconds(30));
		advance(Duration.ofSeconds(10));
		assertThat(this.circuit.openFor()).contains(Duration.ofSeconds(20));
	}

	@Test
	void afterTheOpenTimeOneTrialDecides() {
		for (int i = 0; i < 3; i++) {
			this.circuit.onFailure();
		}
		advance(Duration.ofSeconds(30));

		assertThat(this.circuit.tryAcquire()).as("the trial").isEmpty();
		assertThat(this.circuit.tryAcquire()).as("others wait for it").isPresent();
		this.circuit.onFailure();
		assertThat(this.circuit.state()).isEqualTo(CircuitBreaker.State.OPEN);
		assertThat(this.circuit.openFor()).contains(Duration.ofSeconds(30));

		advance(Duration.ofSeconds(30));
		assertThat(this.circuit.tryAcquire()).isEmpty();
		this.circuit.onSuccess();
		assertThat(this.circuit.state()).isEqualTo(CircuitBreaker.State.CLOSED);
		assertThat(this.circuit.tryAcquire()).isEmpty();
		assertThat(this.circuit.openFor()).isEmpty();
	}

	@Test
	void anAbandonedTrialFreesTheSlot() {
		for (int i = 0; i < 3; i++) {
			this.circuit.onFailure();
		}
		advance(Duration.ofSeconds(31));
		assertThat(this.circuit.tryAcquire()).isEmpty();
		this.circuit.onAbandoned();
		assertThat(this.circuit.tryAcquire()).isEmpty();
	}

	@Test
	void ensureAvailableRefusesWhileTheModelsCircuitIsOpen() {
		ProviderCircuits circuits = new ProviderCircuits(new ProviderProperties.Circuit(1, 30),
				new SimpleMeterRegistry());
		AnswerModel model = new AnswerModel() {

			@Override
			public String provider() {
				return "openai";
			}

			@Override
			public String model() {
				return "m";
			}

			@Override
			public Generation generate(GenerationRequest request, java.util.function.Consumer<String> deltas,
					Cancellation cancellation) {
				return new Generation("", null, false);
			}

		};
		circuits.ensureAvailable(model);
		circuits.circuit(ProviderCircuits.modelKey("openai")).onFailure();

		assertThatExceptionOfType(ProviderException.class).isThrownBy(() -> circuits.ensureAvailable(model))
			.satisfies((ex) -> {
				assertThat(ex.kind()).isEqualTo(ProviderException.Kind.UNAVAILABLE);
				assertThat(ex.retryAfter()).isBetween(Duration.ofSeconds(29), Duration.ofSeconds(30));
			});
	}

	private void advance(Duration duration) {
		this.now.addAndGet(duration.toNanos());
	}

}
