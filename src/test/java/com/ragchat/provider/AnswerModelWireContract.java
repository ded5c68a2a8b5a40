package com.ragchat.provider;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

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

import com.ragchat.rag.AnswerModel;
import com.ragchat.rag.Cancellation;
import com.ragchat.rag.ChatTurn;
import com.ragchat.rag.Generation;
import com.ragchat.rag.GenerationRequest;
import com.ragchat.rag.ProviderException;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The behaviour every answer-model adapter must show against a WireMock server replaying
 * its provider's wire format: a whole answer, a streamed answer, throttling with
 * {@code Retry-After}, a 5xx then success, a hang past the timeout, a refused key,
 * cancellation of a stream, and the circuit breaker, each through the same
 * instrumentation the application puts around every model bean.
 */
abstract class AnswerModelWireContract {

	/** The timeout of the tests that make the provider hang. */
	static final Duration SHORT_TIMEOUT = Duration.ofSeconds(1);

	/**
	 * The timeout of the others: long enough for a first call that also loads the HTTP
	 * client's classes on a busy machine.
	 */
	static final Duration TIMEOUT = Duration.ofSeconds(15);

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

	/** The adapter under test, talking to {@code baseUrl}. */
	abstract AnswerModel createModel(String baseUrl, Duration timeout);

	/** Its provider name. */
	abstract String provider();

	/** Matches the provider's whole-answer request. */
	abstract MappingBuilder completeRequest();

	/** Matches the provider's streaming request. */
	abstract MappingBuilder streamRequest();

	/** The provider's whole answer, with token usage. */
	abstract ResponseDefinitionBuilder completeResponse(String text, int inputTokens, int outputTokens);

	/** The provider's stream of {@code fragments}, with token usage. */
	abstract ResponseDefinitionBuilder streamResponse(List<String> fragments, int inputTokens, int outputTokens);

	/** The provider's error response for an HTTP status. */
	abstract ResponseDefinitionBuilder errorResponse(int status);

	GuardedCalls.Model guarded(int maxRetries, int circuitThreshold) {
		return guarded(maxRetries, circuitThreshold, TIMEOUT);
	}

	GuardedCalls.Model guarded(int maxRetries, int circuitThreshold, Duration timeout) {
		return new GuardedCalls.Model(GuardedCalls.guard(timeout, maxRetries, circuitThreshold, this.registry),
				createModel(server.baseUrl(), timeout));
	}

	static GenerationRequest request(GenerationRequest.Purpose purpose) {
		return new GenerationRequest(purpose, "Answer from the numbered passages.",
				List.of(new ChatTurn(ChatTurn.Role.USER, "Hi there"),
						new ChatTurn(ChatTurn.Role.ASSISTANT, "Hello, how can I help?")),
				"What is the capital of France?", "What is the capital of France?", List.of(), 0.1, 200);
	}

	@Test
	void wholeAnswer() {
		server.stubFor(completeRequest().willReturn(completeResponse("Paris is the capital.", 21, 6)));
		GuardedCalls.Model model = guarded(2, 5);

		Generation generation = model.complete(request(GenerationRequest.Purpose.CONDENSE), Cancellation.none());

		assertThat(generation.text()).isEqualTo("Paris is the capital.");
		assertThat(generation.cancelled()).isFalse();
		assertThat(generation.usage()).isEqualTo(new Generation.Usage(21, 6));
		String sent = server.getAllServeEvents().get(0).getRequest().getBodyAsString();
		// A condense prompt quotes the history itself; it is not sent again as messages.
		assertThat(sent).contains("Answer from the numbered passages.", "What is the capital of France?")
			.doesNotContain("Hi there");
		assertThat(latency("condense", "success").count()).isEqualTo(1);
		assertThat(tokens("condense", "input")).isEqualTo(21);
		assertThat(tokens("condense", "output")).isEqualTo(6);
	}

	@Test
	void anAnswerSendsTheHistoryAsMessages() {
		server.stubFor(completeRequest().willReturn(completeResponse("Paris is the capital.", 21, 6)));
		GuardedCalls.Model model = guarded(2, 5);

		Generation generation = model.complete(request(GenerationRequest.Purpose.ANSWER), Cancellation.none());

		assertThat(generation.text()).isEqualTo("Paris is the capital.");
		String sent = server.getAllServeEvents().get(0).getRequest().getBodyAsString();
		assertThat(sent).contains("Answer from the numbered passages.", "Hi there", "Hello, how can I help?",
				"What is the capital of France?");
	}

	@Test
	void streamedAnswer() {
		server.stubFor(streamRequest().willReturn(streamResponse(List.of("Paris", " is", " the capital."), 30, 4)));
		GuardedCalls.Model model = guarded(2, 5);
		List<String> deltas = new CopyOnWriteArrayList<>();

		Generation generation = model.generate(request(GenerationRequest.Purpose.ANSWER), deltas::add,
				Cancellation.none());

		assertThat(deltas).containsExactly("Paris", " is", " the capital.");
		assertThat(generation.text()).isEqualTo("Paris is the capital.");
		assertThat(generation.usage()).isEqualTo(new Generation.Usage(30, 4));
		assertThat(latency("chat", "success").count()).isEqualTo(1);
		assertThat(tokens("chat", "output")).isEqualTo(4);
	}

	@Test
	void throttledWithRetryAfterIsRetriedAfterTheAskedWait() {
		server.stubFor(streamRequest().inScenario("throttled")
			.whenScenarioStateIs(Scenario.STARTED)
			.willSetStateTo("recovered")
			.willReturn(errorResponse(429).withHeader("Retry-After", "1")));
		server.stubFor(streamRequest().inScenario("throttled")
			.whenScenarioStateIs("recovered")
			.willReturn(streamResponse(List.of("Paris."), 10, 2)));
		GuardedCalls.Model model = guarded(2, 5);
		long started = System.nanoTime();

		Generation generation = model.generate(request(GenerationRequest.Purpose.ANSWER), (delta) -> {
		}, Cancellation.none());

		assertThat(generation.text()).isEqualTo("Paris.");
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
		assertThat(server.getAllServeEvents()).hasSize(2);
		assertThat(errors("chat", "rate_limited")).isEqualTo(1);
		assertThat(latency("chat", "success").count()).isEqualTo(1);
	}

	@Test
	void throttledForLongerThanWorthWaitingFailsAtOnceWithTheWait() {
		server.stubFor(streamRequest().willReturn(errorResponse(429).withHeader("Retry-After", "120")));
		GuardedCalls.Model model = guarded(2, 5);

		assertThatExceptionOfType(ProviderException.class)
			.isThrownBy(() -> model.generate(request(GenerationRequest.Purpose.ANSWER), (delta) -> {
			}, Cancellation.none()))
			.satisfies((ex) -> {
				assertThat(ex.kind()).isEqualTo(ProviderException.Kind.RATE_LIMITED);
				assertThat(ex.retryAfter()).isEqualTo(Duration.ofSeconds(120));
				assertThat(ex.getMessage()).doesNotContain("secret-detail");
			});
		assertThat(server.getAllServeEvents()).hasSize(1);
		assertThat(latency("chat", "error").count()).isEqualTo(1);
	}

	@Test
	void serverErrorThenSuccess() {
		server.stubFor(streamRequest().inScenario("flaky")
			.whenScenarioStateIs(Scenario.STARTED)
			.willSetStateTo("recovered")
			.willReturn(errorResponse(500)));
		server.stubFor(streamRequest().inScenario("flaky")
			.whenScenarioStateIs("recovered")
			.willReturn(streamResponse(List.of("Second", " try."), 10, 2)));
		GuardedCalls.Model model = guarded(2, 5);

		Generation generation = model.generate(request(GenerationRequest.Purpose.ANSWER), (delta) -> {
		}, Cancellation.none());

		assertThat(generation.text()).isEqualTo("Second try.");
		assertThat(server.getAllServeEvents()).hasSize(2);
		assertThat(errors("chat", "unavailable")).isEqualTo(1);
	}

	@Test
	void wholeAnswerThatHangsPastTheTimeoutFailsWithTimeout() {
		server.stubFor(completeRequest().willReturn(completeResponse("late", 1, 1).withFixedDelay(8000)));
		GuardedCalls.Model model = guarded(1, 5, SHORT_TIMEOUT);
		long started = System.nanoTime();

		assertThatExceptionOfType(ProviderException.class)
			.isThrownBy(() -> model.complete(request(GenerationRequest.Purpose.CONDENSE), Cancellation.none()))
			.satisfies((ex) -> assertThat(ex.kind()).isEqualTo(ProviderException.Kind.TIMEOUT));

		// Two attempts of one second each, plus the backoff between them.
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(1900),
				Duration.ofMillis(4500));
		assertThat(errors("condense", "timeout")).isEqualTo(2);
		assertThat(latency("condense", "error").count()).isEqualTo(1);
	}

	@Test
	void streamThatHangsPastTheTimeoutFailsWithTimeout() {
		server.stubFor(streamRequest().willReturn(streamResponse(List.of("late"), 1, 1).withFixedDelay(8000)));
		GuardedCalls.Model model = guarded(0, 5, SHORT_TIMEOUT);
		long started = System.nanoTime();

		assertThatExceptionOfType(ProviderException.class)
			.isThrownBy(() -> model.generate(request(GenerationRequest.Purpose.ANSWER), (delta) -> {
			}, Cancellation.none()))
			.satisfies((ex) -> assertThat(ex.kind()).isEqualTo(ProviderException.Kind.TIMEOUT));
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(900),
				Duration.ofMillis(2500));
		assertThat(errors("chat", "timeout")).isEqualTo(1);
	}

	@Test
	void refusedKeyFailsAtOnceWithoutRetry() {
		server.stubFor(streamRequest().willReturn(errorResponse(401)));
		GuardedCalls.Model model = guarded(2, 5);

		assertThatExceptionOfType(ProviderException.class)
			.isThrownBy(() -> model.generate(request(GenerationRequest.Purpose.ANSWER), (delta) -> {
			}, Cancellation.none()))
			.satisfies((ex) -> assertThat(ex.kind()).isEqualTo(ProviderException.Kind.AUTH));
		assertThat(server.getAllServeEvents()).hasSize(1);
		assertThat(errors("chat", "auth")).isEqualTo(1);
	}

	@Test
	void cancellingAStreamStopsItPromptly() throws Exception {
		List<String> words = IntStream.range(0, 40).mapToObj((i) -> " word" + i).toList();
		// Forty events trickling out over five seconds: each chunk carries some text.
		server.stubFor(streamRequest().willReturn(streamResponse(words, 5, 40).withChunkedDribbleDelay(20, 5000)));
		GuardedCalls.Model model = guarded(0, 5);
		Cancellation cancellation = new Cancellation();
		List<String> deltas = new CopyOnWriteArrayList<>();

		long started = System.nanoTime();
		Generation generation = model.generate(request(GenerationRequest.Purpose.ANSWER), (delta) -> {
			deltas.add(delta);
			cancellation.cancel();
		}, cancellation);

		assertThat(generation.cancelled()).isTrue();
		assertThat(deltas).isNotEmpty();
		assertThat(generation.text()).isEqualTo(String.join("", deltas));
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(4000));
		assertThat(latency("chat", "cancelled").count()).isEqualTo(1);
	}

	@Test
	void openCircuitFailsFastWithoutCallingTheProvider() {
		server.stubFor(streamRequest().willReturn(errorResponse(503)));
		GuardedCalls.Model model = guarded(0, 2);
		for (int i = 0; i < 2; i++) {
			assertThatExceptionOfType(ProviderException.class)
				.isThrownBy(() -> model.generate(request(GenerationRequest.Purpose.ANSWER), (delta) -> {
				}, Cancellation.none()));
		}
		int calls = server.getAllServeEvents().size();

		long started = System.nanoTime();
		assertThatExceptionOfType(ProviderException.class)
			.isThrownBy(() -> model.generate(request(GenerationRequest.Purpose.ANSWER), (delta) -> {
			}, Cancellation.none()))
			.satisfies((ex) -> {
				assertThat(ex.kind()).isEqualTo(ProviderException.Kind.UNAVAILABLE);
				assertThat(ex.retryAfter()).isPositive();
			});

		// No network call, no timeout: well under the provider timeout even on a busy
		// machine (the request count below is the proof that nothing was sent).
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1000));
		assertThat(server.countRequestsMatching(anyRequestedFor(anyUrl()).build()).getCount()).isEqualTo(calls);
		assertThat(errors("chat", "unavailable")).isEqualTo(3);
	}

	Timer latency(String operation, String outcome) {
		Timer timer = this.registry.find("chatbot.provider.latency")
			.tags("provider", provider(), "operation", operation, "outcome", outcome)
			.timer();
		assertThat(timer).as("latency %s %s", operation, outcome).isNotNull();
		return timer;
	}

	double errors(String operation, String reason) {
		Counter counter = this.registry.find("chatbot.provider.errors")
			.tags("provider", provider(), "operation", operation, "reason", reason)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	double tokens(String operation, String direction) {
		Counter counter = this.registry.find("chatbot.provider.tokens")
			.tags("provider", provider(), "operation", operation, "direction", direction)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

}
