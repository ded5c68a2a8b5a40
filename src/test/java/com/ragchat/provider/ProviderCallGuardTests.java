package com.ragchat.provider;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import com.ragchat.rag.AnswerModel;
import com.ragchat.rag.Cancellation;
import com.ragchat.rag.Generation;
import com.ragchat.rag.GenerationRequest;
import com.ragchat.rag.Passage;
import com.ragchat.rag.ProviderException;
import com.ragchat.rag.Retriever;
import com.ragchat.rag.Source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The guard around models and retrievers written anywhere (adapters, mock, extractive,
 * local): calls are measured, transient failures are retried only before a token was
 * sent, and defects pass through untouched.
 */
class ProviderCallGuardTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final ProviderCallGuard guard = GuardedCalls.guard(Duration.ofSeconds(5), 2, 50, this.registry);

	private static GenerationRequest request() {
		return new GenerationRequest(GenerationRequest.Purpose.ANSWER, "s", List.of(), "q", "q", List.of(), 0.2, 10);
	}

	@Test
	void aModelsCallsAreMeasured() {
		ScriptedModel target = new ScriptedModel();

		Generation generation = this.guard.generate(target, request(), (delta) -> {
		}, Cancellation.none());

		assertThat(generation.text()).isEqualTo("ok");
		assertThat(this.registry.find("chatbot.provider.latency")
			.tags("provider", "scripted", "operation", "chat", "outcome", "success")
			.timer()
			.count()).isEqualTo(1);
	}

	@Test
	void aWholeAnswerIsMeasuredToo() {
		this.guard.complete(new FinalMethodModel(), request(), Cancellation.none());
		assertThat(this.registry.find("chatbot.provider.latency").tags("provider", "final").timer()).isNotNull();
	}

	@Test
	void anOpenCircuitRefusesBeforeTheCall() {
		ProviderCallGuard fragile = GuardedCalls.guard(Duration.ofSeconds(5), 0, 1, this.registry);
		ScriptedModel target = new ScriptedModel();
		target.failures = 1;
		fragile.ensureAvailable(target);
		assertThatExceptionOfType(ProviderException.class)
			.isThrownBy(() -> fragile.generate(target, request(), (delta) -> {
			}, Cancellation.none()));

		assertThatExceptionOfType(ProviderException.class).isThrownBy(() -> fragile.ensureAvailable(target))
			.satisfies((ex) -> assertThat(ex.kind()).isEqualTo(ProviderException.Kind.UNAVAILABLE));
		assertThat(target.calls).hasValue(1);
	}

	@Test
	void aDefectIsNeitherRetriedNorDisguised() {
		ScriptedModel target = new ScriptedModel();
		target.defect = true;
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> this.guard.generate(target, request(), (delta) -> {
			}, Cancellation.none()));
		assertThat(target.calls).hasValue(1);
		assertThat(errors("scripted", "chat", "other")).isEqualTo(1);
	}

	@Test
	void aTransientFailureIsRetriedOnlyBeforeTheFirstToken() {
		ScriptedModel target = new ScriptedModel();
		target.failures = 1;
		assertThat(this.guard.generate(target, request(), (delta) -> {
		}, Cancellation.none()).text()).isEqualTo("ok");
		assertThat(target.calls).hasValue(2);

		ScriptedModel afterToken = new ScriptedModel();
		afterToken.failures = 1;
		afterToken.tokenBeforeFailure = true;
		assertThatExceptionOfType(ProviderException.class)
			.isThrownBy(() -> this.guard.generate(afterToken, request(), (delta) -> {
			}, Cancellation.none()));
		assertThat(afterToken.calls).hasValue(1);
	}

	@Test
	void aCancelledStreamKeepsOnlyTheTextThatReachedTheCaller() {
		// An adapter may already hold the next fragment when the cancellation comes, and
		// report it in its own partial text: the stored answer must be what was sent.
		AnswerModel late = new ScriptedModel() {

			@Override
			public Generation generate(GenerationRequest request, Consumer<String> deltas, Cancellation cancellation) {
				deltas.accept("one");
				deltas.accept(" two");
				return new Generation("one two", null, true);
			}

		};
		Cancellation cancellation = new Cancellation();
		List<String> received = new ArrayList<>();

		Generation generation = this.guard.generate(late, request(), (delta) -> {
			received.add(delta);
			cancellation.cancel();
		}, cancellation);

		assertThat(received).containsExactly("one");
		assertThat(generation.cancelled()).isTrue();
		assertThat(generation.text()).isEqualTo("one");
	}

	@Test
	void aRetrieverIsRetriedAndMeasured() {
		FlakyRetriever target = new FlakyRetriever();
		assertThat(this.guard.retrieve(target, "q", 3, Cancellation.none())).hasSize(1);
		assertThat(target.calls).hasValue(2);
		assertThat(errors("flaky", "retrieve", "rate_limited")).isEqualTo(1);
		assertThat(this.registry.find("chatbot.provider.latency")
			.tags("provider", "flaky", "operation", "retrieve", "outcome", "success")
			.timer()
			.count()).isEqualTo(1);
	}

	private double errors(String provider, String operation, String reason) {
		Counter counter = this.registry.find("chatbot.provider.errors")
			.tags("provider", provider, "operation", operation, "reason", reason)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	static class ScriptedModel implements AnswerModel {

		final AtomicInteger calls = new AtomicInteger();

		volatile int failures;

		volatile boolean tokenBeforeFailure;

		volatile boolean defect;

		@Override
		public String provider() {
			return "scripted";
		}

		@Override
		public String model() {
			return "scripted-1";
		}

		@Override
		public Generation generate(GenerationRequest request, Consumer<String> deltas, Cancellation cancellation) {
			this.calls.incrementAndGet();
			if (this.defect) {
				throw new IllegalStateException("a bug");
			}
			if (this.tokenBeforeFailure) {
				deltas.accept("partial");
			}
			if (this.failures > 0) {
				this.failures--;
				throw new ProviderException("scripted", "chat", ProviderException.Kind.UNAVAILABLE, null, "down", null);
			}
			deltas.accept("ok");
			return new Generation("ok", null, false);
		}

	}

	static class FinalMethodModel implements AnswerModel {

		@Override
		public final String provider() {
			return "final";
		}

		@Override
		public String model() {
			return "final-1";
		}

		@Override
		public Generation generate(GenerationRequest request, Consumer<String> deltas, Cancellation cancellation) {
			return new Generation("", null, false);
		}

	}

	static class FlakyRetriever implements Retriever {

		final AtomicInteger calls = new AtomicInteger();

		@Override
		public String provider() {
			return "flaky";
		}

		@Override
		public List<Passage> retrieve(String query, int limit, Cancellation cancellation) {
			if (this.calls.incrementAndGet() == 1) {
				throw new ProviderException("flaky", "retrieve", ProviderException.Kind.RATE_LIMITED,
						Duration.ofMillis(50), "slow down", null);
			}
			return List.of(new Passage("text", new Source(null, null, null, null, null, null, null, 0.5)));
		}

	}

}
