package com.ragchat.provider;

import java.time.Duration;
import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.ragchat.rag.Cancellation;
import com.ragchat.rag.Passage;
import com.ragchat.rag.ProviderException;
import com.ragchat.rag.Retriever;
import com.ragchat.rag.Source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The behaviour every managed retriever must show against a WireMock server replaying its
 * service's wire format: results mapped to the contract's Source shape, throttling with
 * {@code Retry-After}, a 5xx then success, a hang past the timeout, a refused key,
 * through the application's instrumentation.
 */
abstract class RetrieverWireContract {

	static final Duration TIMEOUT = Duration.ofSeconds(15);

	static final Duration SHORT_TIMEOUT = Duration.ofSeconds(1);

	static WireMockServer server;

	SimpleMeterRegistry registry;

	@BeforeAll
	static void startServer() {
		server = new WireMockServer(WireMockConfiguration.options().dynamicPort());
		server.start();
	}

	@AfterAll
	static void stopServer() {
		server.stop();
	}

	@BeforeEach
	void resetServer() {
		server.resetAll();
		this.registry = new SimpleMeterRegistry();
	}

	abstract Retriever createRetriever(String baseUrl, Duration timeout);

	abstract String provider();

	/** Stubs whatever the retriever needs besides the search itself (e.g. embeddings). */
	void stubPrerequisites() {
	}

	/** Matches the search request for the query "reset my password". */
	abstract MappingBuilder searchRequest();

	/**
	 * The service's answer with two documents: KB-1 ("Reset a password", score 0.9, with
	 * every Source field) and a second one with no metadata but its location.
	 */
	abstract ResponseDefinitionBuilder twoResults();

	abstract ResponseDefinitionBuilder errorResponse(int status);

	/** The Source the service's second, metadata-less document maps to. */
	abstract Source bareSource();

	GuardedCalls.Searcher guarded(int maxRetries, Duration timeout) {
		return new GuardedCalls.Searcher(GuardedCalls.guard(timeout, maxRetries, 5, this.registry),
				createRetriever(server.baseUrl(), timeout));
	}

	@Test
	void mapsResultsToTheSourceShape() {
		stubPrerequisites();
		server.stubFor(searchRequest().willReturn(twoResults()));

		List<Passage> passages = guarded(2, TIMEOUT).retrieve("reset my password", 4, Cancellation.none());

		assertThat(passages).hasSize(2);
		assertThat(passages.get(0).content()).isEqualTo("To reset a password, open Settings and choose Security.");
		assertThat(passages.get(0).metadata()).isEqualTo(new Source("password-reset.md", "https://kb.example.com/KB-1",
				"KB-1", "Accounts", "Reset a password", "Helpdesk", "2025-03-01", 0.9));
		assertThat(passages.get(1).metadata()).isEqualTo(bareSource());
		assertThat(latency("success").count()).isEqualTo(1);
	}

	@Test
	void throttledWithRetryAfterIsRetried() {
		stubPrerequisites();
		server.stubFor(searchRequest().inScenario("throttled")
			.whenScenarioStateIs(Scenario.STARTED)
			.willSetStateTo("recovered")
			.willReturn(errorResponse(429).withHeader("Retry-After", "1")));
		server
			.stubFor(searchRequest().inScenario("throttled").whenScenarioStateIs("recovered").willReturn(twoResults()));
		long started = System.nanoTime();

		List<Passage> passages = guarded(2, TIMEOUT).retrieve("reset my password", 4, Cancellation.none());

		assertThat(passages).hasSize(2);
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
		assertThat(errors("rate_limited")).isEqualTo(1);
	}

	@Test
	void throttledForTooLongFailsWithTheWait() {
		stubPrerequisites();
		server.stubFor(searchRequest().willReturn(errorResponse(429).withHeader("Retry-After", "90")));

		assertThatExceptionOfType(ProviderException.class)
			.isThrownBy(() -> guarded(2, TIMEOUT).retrieve("reset my password", 4, Cancellation.none()))
			.satisfies((ex) -> {
				assertThat(ex.kind()).isEqualTo(ProviderException.Kind.RATE_LIMITED);
				assertThat(ex.retryAfter()).isEqualTo(Duration.ofSeconds(90));
				assertThat(ex.getMessage()).doesNotContain("secret-detail");
			});
	}

	@Test
	void serverErrorThenSuccess() {
		stubPrerequisites();
		server.stubFor(searchRequest().inScenario("flaky")
			.whenScenarioStateIs(Scenario.STARTED)
			.willSetStateTo("recovered")
			.willReturn(errorResponse(500)));
		server.stubFor(searchRequest().inScenario("flaky").whenScenarioStateIs("recovered").willReturn(twoResults()));

		List<Passage> passages = guarded(2, TIMEOUT).retrieve("reset my password", 4, Cancellation.none());

		assertThat(passages).hasSize(2);
		assertThat(errors("unavailable")).isEqualTo(1);
	}

	@Test
	void hangPastTheTimeoutFailsWithTimeout() {
		stubPrerequisites();
		server.stubFor(searchRequest().willReturn(twoResults().withFixedDelay(8000)));
		long started = System.nanoTime();

		assertThatExceptionOfType(ProviderException.class)
			.isThrownBy(() -> guarded(0, SHORT_TIMEOUT).retrieve("reset my password", 4, Cancellation.none()))
			.satisfies((ex) -> assertThat(ex.kind()).isEqualTo(ProviderException.Kind.TIMEOUT));
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(900),
				Duration.ofMillis(2500));
		assertThat(errors("timeout")).isEqualTo(1);
		assertThat(latency("error").count()).isEqualTo(1);
	}

	@Test
	void refusedKeyFailsWithoutRetry() {
		stubPrerequisites();
		server.stubFor(searchRequest().willReturn(errorResponse(401)));

		assertThatExceptionOfType(ProviderException.class)
			.isThrownBy(() -> guarded(2, TIMEOUT).retrieve("reset my password", 4, Cancellation.none()))
			.satisfies((ex) -> assertThat(ex.kind()).isEqualTo(ProviderException.Kind.AUTH));
		assertThat(errors("auth")).isEqualTo(1);
	}

	Timer latency(String outcome) {
		Timer timer = this.registry.find("chatbot.provider.latency")
			.tags("provider", provider(), "operation", "retrieve", "outcome", outcome)
			.timer();
		assertThat(timer).as("latency %s", outcome).isNotNull();
		return timer;
	}

	double errors(String reason) {
		Counter counter = this.registry.find("chatbot.provider.errors")
			.tags("provider", provider(), "operation", "retrieve", "reason", reason)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

}
