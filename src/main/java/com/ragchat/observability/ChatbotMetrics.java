package com.ragchat.observability;

import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The application's own meters, named as the dashboards and alerts of the earlier service
 * expect ({@code chatbot_*} in Prometheus), with explicit histogram buckets. Features
 * record through these methods so names, labels and buckets are defined once.
 */
public final class ChatbotMetrics {

	/** Buckets of request and provider latency, in seconds (provider adds 20 s). */
	static final Duration[] LATENCY_BUCKETS = seconds(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10);

	/**
	 * Buckets of HTTP request latency: the contract's, plus longer ones so that the p95
	 * of a buffered chat with a live model (alerted above 45 s) is measurable at all; a
	 * quantile beyond the last finite bucket reads as that bucket's bound.
	 */
	static final Duration[] HTTP_LATENCY_BUCKETS = seconds(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 45, 60);

	static final Duration[] PROVIDER_BUCKETS = seconds(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20);

	static final Duration[] FIRST_TOKEN_BUCKETS = seconds(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60);

	private ChatbotMetrics() {
	}

	/**
	 * Time of one provider call: {@code chatbot_provider_latency_seconds}.
	 * @param provider e.g. {@code openai}, {@code local}
	 * @param operation {@code chat}, {@code condense}, {@code retrieve}, {@code embed}
	 * @param outcome {@code success}, {@code error} or {@code cancelled}
	 */
	public static Timer providerLatency(MeterRegistry registry, String provider, String operation, String outcome) {
		return Timer.builder("chatbot.provider.latency")
			.description("Latency of calls to model and retrieval providers")
			.tags("provider", provider, "operation", operation, "outcome", outcome)
			.serviceLevelObjectives(PROVIDER_BUCKETS)
			.register(registry);
	}

	/**
	 * Failed provider calls: {@code chatbot_provider_errors_total}.
	 * @param reason one of the closed set {@code timeout}, {@code rate_limited},
	 * {@code unavailable} (also: circuit open), {@code rejected}, {@code auth},
	 * {@code other}: {@link com.ragchat.rag.ProviderException.Kind#reason()}
	 */
	public static Counter providerErrors(MeterRegistry registry, String provider, String operation, String reason) {
		return Counter.builder("chatbot.provider.errors")
			.description("Failed calls to model and retrieval providers")
			.tags("provider", provider, "operation", operation, "reason", reason)
			.register(registry);
	}

	/**
	 * Time from a stream's request to its first token:
	 * {@code chatbot_chat_first_token_latency_seconds}.
	 */
	public static Timer firstTokenLatency(MeterRegistry registry) {
		return Timer.builder("chatbot.chat.first.token.latency")
			.description("Time from receiving a chat stream request to sending its first token")
			.serviceLevelObjectives(FIRST_TOKEN_BUCKETS)
			.register(registry);
	}

	/**
	 * Requests answered, by method, route template and status:
	 * {@code chatbot_http_requests_total}.
	 */
	static Meter.MeterProvider<Counter> httpRequests(MeterRegistry registry) {
		return Counter.builder("chatbot.http.requests")
			.description("HTTP requests answered, by route template and status code")
			.withRegistry(registry);
	}

	/**
	 * Time to answer a request, by method and route template:
	 * {@code chatbot_http_request_latency_seconds}.
	 */
	static Meter.MeterProvider<Timer> httpRequestLatency(MeterRegistry registry) {
		return Timer.builder("chatbot.http.request.latency")
			.description("Time from receiving a request to completing its response")
			.serviceLevelObjectives(HTTP_LATENCY_BUCKETS)
			.withRegistry(registry);
	}

	/**
	 * Requests that failed with an unexpected exception (answered 500, or not answered at
	 * all): {@code chatbot_http_request_exceptions_total}.
	 */
	static Meter.MeterProvider<Counter> httpRequestExceptions(MeterRegistry registry) {
		return Counter.builder("chatbot.http.request.exceptions")
			.description("Requests that ended in an unexpected exception")
			.withRegistry(registry);
	}

	private static Duration[] seconds(double... values) {
		Duration[] durations = new Duration[values.length];
		for (int i = 0; i < values.length; i++) {
			durations[i] = Duration.ofNanos((long) (values[i] * 1_000_000_000L));
		}
		return durations;
	}

}
