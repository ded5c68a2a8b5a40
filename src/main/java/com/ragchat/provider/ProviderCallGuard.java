package com.ragchat.provider;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.ragchat.observability.ChatbotMetrics;
import com.ragchat.provider.support.SpringAiAnswerModel;
import com.ragchat.rag.AnswerModel;
import com.ragchat.rag.Cancellation;
import com.ragchat.rag.Generation;
import com.ragchat.rag.GenerationRequest;
import com.ragchat.rag.Passage;
import com.ragchat.rag.ProviderException;
import com.ragchat.rag.ProviderCalls;
import com.ragchat.rag.ProviderException.Kind;
import com.ragchat.rag.Retriever;

import org.springframework.beans.factory.DisposableBean;

/**
 * The one implementation of {@link ProviderCalls}: what every provider call goes through,
 * whatever the adapter (the ones here, mock, extractive, the built-in knowledge base),
 * because the pipeline calls the ports only through it: the circuit breaker, a timeout,
 * bounded retries of transient failures with exponential backoff and jitter (or the
 * provider's {@code Retry-After}), and the provider metrics.
 * <p>
 * The timeout of a streamed answer is an idle timeout: the model may stay silent for at
 * most {@code PROVIDER_TIMEOUT_SECONDS} before its first token and between two tokens, so
 * long answers are not cut off. Whole answers and retrievals must finish within it. When
 * it expires, the attempt's own {@link Cancellation} fires, which makes the adapter close
 * its HTTP call. A retry never happens once a token has been handed out: the client has
 * seen it, and a second attempt would repeat or contradict it.
 * <p>
 * Metrics: {@code chatbot_provider_latency_seconds} once per call (all attempts, outcome
 * {@code success}, {@code error} or {@code cancelled});
 * {@code chatbot_provider_errors_total} once per failed attempt, so throttling that a
 * retry absorbed still shows; token usage in {@code chatbot_provider_tokens_total}.
 */
final class ProviderCallGuard implements ProviderCalls, DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(ProviderCallGuard.class);

	private static final long BACKOFF_BASE_MS = 250;

	private static final long BACKOFF_CAP_MS = 5000;

	/**
	 * Longer waits than this are not worth holding a request for: the failure goes back
	 * to the client, with the wait as its {@code Retry-After}.
	 */
	static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(20);

	private final Duration timeout;

	private final int maxRetries;

	private final ProviderCircuits circuits;

	private final MeterRegistry registry;

	private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor((runnable) -> {
		Thread thread = new Thread(runnable, "provider-timeouts");
		thread.setDaemon(true);
		return thread;
	});

	private final Tracer tracer;

	ProviderCallGuard(Duration timeout, int maxRetries, ProviderCircuits circuits, MeterRegistry registry) {
		this(timeout, maxRetries, circuits, registry, Tracer.NOOP);
	}

	/**
	 * @param tracer records one client span per attempt (OPERATIONS.md "Tracing")
	 */
	ProviderCallGuard(Duration timeout, int maxRetries, ProviderCircuits circuits, MeterRegistry registry,
			Tracer tracer) {
		this.tracer = tracer;
		this.timeout = timeout;
		this.maxRetries = maxRetries;
		this.circuits = circuits;
		this.registry = registry;
	}

	@Override
	public Generation generate(AnswerModel model, GenerationRequest request, Consumer<String> deltas,
			Cancellation cancellation) {
		return call(model, request, deltas, cancellation);
	}

	@Override
	public Generation complete(AnswerModel model, GenerationRequest request, Cancellation cancellation) {
		return call(model, request, null, cancellation);
	}

	@Override
	public void ensureAvailable(AnswerModel model) {
		this.circuits.ensureAvailable(model);
	}

	/** A streamed answer ({@code deltas} given) or a whole one. */
	private Generation call(AnswerModel target, GenerationRequest request, @Nullable Consumer<String> deltas,
			Cancellation cancellation) {
		String provider = target.provider();
		String operation = SpringAiAnswerModel.operation(request);
		boolean streamed = deltas != null;
		CircuitBreaker circuit = this.circuits.circuit(ProviderCircuits.modelKey(provider));
		Generation result = execute(provider, operation, "chat " + target.model(), target.model(), circuit,
				cancellation, streamed, new Body<>() {

					@Override
					public Generation run(Attempt attempt) {
						if (!streamed) {
							return target.complete(request, attempt.cancellation);
						}
						return target.generate(request, (delta) -> {
							if (attempt.timedOut || cancellation.isCancelled()) {
								return;
							}
							attempt.emitted = true;
							attempt.lastActivity = System.nanoTime();
							attempt.text.append(delta);
							deltas.accept(delta);
						}, attempt.cancellation);
					}

					@Override
					public Generation cancelled(Attempt attempt, @Nullable Generation partial) {
						// A streamed answer is what reached the caller: fragments the
						// adapter had
						// already queued when the cancellation came are dropped above, so
						// they
						// must not appear in the stored text either.
						Generation.Usage usage = (partial != null) ? partial.usage() : null;
						String text = (streamed || partial == null) ? attempt.text.toString() : partial.text();
						return new Generation(text, usage, true);
					}

					@Override
					public boolean wasCancelled(Generation value) {
						return value.cancelled();
					}

				});
		Generation.Usage usage = result.usage();
		if (usage != null) {
			ChatbotMetrics.providerTokens(this.registry, provider, operation, "input").increment(usage.inputTokens());
			ChatbotMetrics.providerTokens(this.registry, provider, operation, "output").increment(usage.outputTokens());
		}
		return result;
	}

	@Override
	public List<Passage> retrieve(Retriever target, String query, int limit, @Nullable Long tenantId,
			Cancellation cancellation) {
		String provider = target.provider();
		CircuitBreaker circuit = this.circuits.circuit(ProviderCircuits.retrieverKey(provider));
		return execute(provider, "retrieve", "retrieve " + provider, null, circuit, cancellation, false, new Body<>() {

			@Override
			public List<Passage> run(Attempt attempt) {
				return target.retrieve(query, limit, tenantId, attempt.cancellation);
			}

			@Override
			public List<Passage> cancelled(Attempt attempt, @Nullable List<Passage> partial) {
				return List.of();
			}

			@Override
			public boolean wasCancelled(List<Passage> value) {
				return false;
			}

		});
	}

	private <T> T execute(String provider, String operation, String spanName, @Nullable String model,
			CircuitBreaker circuit, Cancellation outer, boolean idleTimeout, Body<T> body) {
		long started = System.nanoTime();
		String outcome = "error";
		Span stage = this.tracer.currentSpan();
		int attempts = 0;
		try {
			for (int attemptNumber = 0;; attemptNumber++) {
				attempts = attemptNumber + 1;
				Attempt attempt = new Attempt();
				if (outer.isCancelled()) {
					outcome = "cancelled";
					return body.cancelled(attempt, null);
				}
				Optional<Duration> refused = circuit.tryAcquire();
				if (refused.isPresent()) {
					countError(provider, operation, Kind.UNAVAILABLE);
					throw ProviderCircuits.circuitOpen(provider, operation, refused.get());
				}
				outer.onCancel(attempt.cancellation::cancel);
				watch(attempt, idleTimeout);
				T value = null;
				RuntimeException raised = null;
				Span span = attemptSpan(spanName, provider, operation, model, attemptNumber);
				try (Tracer.SpanInScope scope = this.tracer.withSpan(span)) {
					value = body.run(attempt);
				}
				catch (RuntimeException ex) {
					raised = ex;
				}
				finally {
					attempt.finished = true;
					endAttemptSpan(span, attempt, outer, raised);
				}
				ProviderException failure;
				if (attempt.timedOut) {
					failure = new ProviderException(provider, operation, Kind.TIMEOUT, null,
							provider + " " + operation + ": no response within " + this.timeout.toSeconds() + " s",
							raised);
				}
				else if (outer.isCancelled()) {
					circuit.onAbandoned();
					outcome = "cancelled";
					return body.cancelled(attempt, value);
				}
				else if (raised instanceof ProviderException provided) {
					failure = provided;
				}
				else if (raised != null) {
					// Not a provider failure but a defect (adapters map their providers'
					// errors themselves): no retry, and the caller sees it as it is.
					countError(provider, operation, Kind.OTHER);
					circuit.onAbandoned();
					throw raised;
				}
				else if (value != null && body.wasCancelled(value)) {
					// The adapter stopped without being asked to: treat as a failure to
					// answer.
					failure = new ProviderException(provider, operation, Kind.OTHER,
							provider + " " + operation + ": the answer stopped early");
				}
				else {
					circuit.onSuccess();
					outcome = "success";
					return value;
				}
				countError(provider, operation, failure.kind());
				if (isTransient(failure.kind())) {
					circuit.onFailure();
				}
				else {
					circuit.onSuccess();
				}
				Duration wait = retryWait(failure, attemptNumber, attempt.emitted);
				logger.warn("Provider call failed: provider={} operation={} reason={} attempt={} retry_in_ms={}: {}",
						provider, operation, failure.kind().reason(), attemptNumber + 1,
						(wait != null) ? wait.toMillis() : "none", failure.getMessage());
				if (wait == null) {
					throw failure;
				}
				if (!sleep(wait, outer)) {
					outcome = "cancelled";
					return body.cancelled(attempt, null);
				}
			}
		}
		finally {
			ChatbotMetrics.providerLatency(this.registry, provider, operation, outcome)
				.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
			if (stage != null) {
				stage.tag("rag.retries", Math.max(0, attempts - 1));
				stage.tag("rag.call_outcome", outcome);
			}
		}
	}

	/**
	 * A client span for one attempt, named and tagged after OpenTelemetry's GenAI
	 * conventions.
	 */
	private Span attemptSpan(String name, String provider, String operation, @Nullable String model,
			int attemptNumber) {
		Span.Builder span = this.tracer.spanBuilder().name(name).kind(Span.Kind.CLIENT);
		if (model != null) {
			span.tag("gen_ai.operation.name", "chat");
			span.tag("gen_ai.provider.name", provider);
			span.tag("gen_ai.request.model", model);
		}
		else {
			span.tag("rag.retriever", provider);
		}
		span.tag("rag.operation", operation);
		span.tag("rag.attempt", Integer.toString(attemptNumber + 1));
		return span.start();
	}

	private static void endAttemptSpan(Span span, Attempt attempt, Cancellation outer,
			@Nullable RuntimeException raised) {
		if (attempt.timedOut) {
			span.tag("error.type", Kind.TIMEOUT.reason());
		}
		else if (outer.isCancelled()) {
			span.tag("rag.outcome", "cancelled");
		}
		else if (raised instanceof ProviderException failure) {
			span.tag("error.type", failure.kind().reason());
			span.error(failure);
		}
		else if (raised != null) {
			span.tag("error.type", raised.getClass().getName());
			span.error(raised);
		}
		span.end();
	}

	private @Nullable Duration retryWait(ProviderException failure, int attemptNumber, boolean emitted) {
		if (emitted || attemptNumber >= this.maxRetries || !isTransient(failure.kind())) {
			return null;
		}
		Duration asked = failure.retryAfter();
		if (asked != null) {
			return (asked.compareTo(MAX_RETRY_AFTER) > 0) ? null : asked;
		}
		long ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS << Math.min(attemptNumber, 20));
		// "Equal jitter": at least half the backoff, so retries never bunch up at zero.
		long millis = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
		return Duration.ofMillis(millis);
	}

	static boolean isTransient(Kind kind) {
		return kind == Kind.TIMEOUT || kind == Kind.RATE_LIMITED || kind == Kind.UNAVAILABLE;
	}

	private void countError(String provider, String operation, Kind kind) {
		ChatbotMetrics.providerErrors(this.registry, provider, operation, kind.reason()).increment();
	}

	private void watch(Attempt attempt, boolean idle) {
		long timeoutNanos = this.timeout.toNanos();
		Runnable check = new Runnable() {

			@Override
			public void run() {
				if (attempt.finished) {
					return;
				}
				long due = (idle ? attempt.lastActivity : attempt.started) + timeoutNanos;
				long left = due - System.nanoTime();
				if (left > 0) {
					ProviderCallGuard.this.watchdog.schedule(this, left, TimeUnit.NANOSECONDS);
					return;
				}
				attempt.timedOut = true;
				// Aborting runs the adapter's code, which may block (an HTTP client
				// closing a stream another thread is reading); on this one thread it
				// would hold up every other call's timeout.
				Thread.ofVirtual().name("provider-timeout-abort").start(attempt.cancellation::cancel);
			}

		};
		this.watchdog.schedule(check, timeoutNanos, TimeUnit.NANOSECONDS);
	}

	/** Waits before a retry; false when cancelled meanwhile. */
	private static boolean sleep(Duration wait, Cancellation cancellation) {
		CompletableFuture<Void> cancelled = new CompletableFuture<>();
		cancellation.onCancel(() -> cancelled.complete(null));
		try {
			cancelled.get(wait.toNanos(), TimeUnit.NANOSECONDS);
			return false;
		}
		catch (TimeoutException ex) {
			return !cancellation.isCancelled();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
		catch (ExecutionException ex) {
			return false;
		}
	}

	@Override
	public void destroy() {
		this.watchdog.shutdownNow();
	}

	/** One attempt's state, shared with the timeout watchdog. */
	static final class Attempt {

		final Cancellation cancellation = new Cancellation();

		final long started = System.nanoTime();

		final StringBuilder text = new StringBuilder();

		volatile long lastActivity = this.started;

		volatile boolean emitted;

		volatile boolean timedOut;

		volatile boolean finished;

	}

	/** The call-specific parts of {@link #execute}. */
	private interface Body<T> {

		T run(Attempt attempt);

		/** What a cancelled call returns, from what the attempt produced so far. */
		T cancelled(Attempt attempt, @Nullable T partial);

		boolean wasCancelled(T value);

	}

}
