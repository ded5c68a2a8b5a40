package com.ragchat.provider;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import com.ragchat.rag.AnswerModel;
import com.ragchat.support.ApiClient;
import com.ragchat.support.TestUsers;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A provider that keeps failing opens its circuit; from then on a chat request fails at
 * once, without calling the provider, with 503 and a {@code Retry-After}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CircuitOpenPipelineTests {

	static final WireMockServer server = new WireMockServer(WireMockConfiguration.options().dynamicPort());

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry registry;

	@Autowired
	ProviderCircuits circuits;

	@Autowired
	AnswerModel model;

	@DynamicPropertySource
	static void providers(DynamicPropertyRegistry properties) {
		if (!server.isRunning()) {
			server.start();
		}
		properties.add("LLM_PROVIDER", () -> "openai");
		properties.add("OPENAI_BASE_URL", () -> server.baseUrl() + "/v1");
		properties.add("OPENAI_API_KEY", () -> "sk-test");
		properties.add("PROVIDER_MAX_RETRIES", () -> "0");
		properties.add("PROVIDER_CIRCUIT_FAILURE_THRESHOLD", () -> "2");
		properties.add("PROVIDER_CIRCUIT_OPEN_SECONDS", () -> "30");
	}

	@AfterAll
	static void stopServer() {
		server.stop();
	}

	@Test
	void anOpenCircuitFailsRequestsWithin100msWith503AndRetryAfter() {
		AnswerModelWireContract wire = new OpenAiAnswerModelTests();
		server.stubFor(wire.streamRequest().willReturn(wire.errorResponse(503)));
		ApiClient api = new ApiClient(this.port);
		TestUsers.TestUser user = TestUsers.register(api);
		for (int i = 0; i < 2; i++) {
			ApiClient.Response failed = api.postJson("/api/chat/chat", Map.of("content", "hello " + i),
					user.bearerHeaders());
			assertThat(failed.status()).as(failed.toString()).isEqualTo(503);
		}
		long upstreamCalls = upstreamCalls();
		assertThat(this.circuits.openFor(this.model)).isPresent();

		List<Long> millis = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			long started = System.nanoTime();
			ApiClient.Response refused = api.postJson("/api/chat/chat", Map.of("content", "still there?"),
					user.bearerHeaders());
			millis.add(Duration.ofNanos(System.nanoTime() - started).toMillis());
			assertThat(refused.status()).isEqualTo(503);
			assertThat(refused.contentType()).startsWith("application/problem+json");
			assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 30L);
		}
		LoggerFactory.getLogger(CircuitOpenPipelineTests.class)
			.info("Round trips of chat requests refused by the open circuit (ms): {}", millis);
		Collections.sort(millis);
		// The median, so one pause of a busy machine does not decide; every request is
		// reported in the failure message.
		assertThat(millis.get(2)).as("round trips in ms: %s", millis).isLessThan(100);
		assertThat(upstreamCalls()).isEqualTo(upstreamCalls);
		Counter refusedCount = this.registry.find("chatbot.provider.errors")
			.tags("provider", "openai", "operation", "chat", "reason", "unavailable")
			.counter();
		assertThat(refusedCount).isNotNull();
		assertThat(refusedCount.count()).isEqualTo(7);
	}

	@Test
	void anOpenCircuitRefusesAStreamWithAPlainProblemBeforeStoringAnything() {
		AnswerModelWireContract wire = new OpenAiAnswerModelTests();
		server.stubFor(wire.streamRequest().willReturn(wire.errorResponse(503)));
		ApiClient api = new ApiClient(this.port);
		TestUsers.TestUser user = TestUsers.register(api);
		while (this.circuits.openFor(this.model).isEmpty()) {
			api.postJson("/api/chat/chat", Map.of("content", "fail"), user.bearerHeaders());
		}
		long sessionsBefore = api.get("/api/chat/sessions", user.bearerHeaders()).json().size();

		ApiClient.Response refused = api.postJson("/api/chat/stream", Map.of("content", "stream please"),
				TestUsers.TestUser.with(user.bearerHeaders(), "Accept", "text/event-stream"));

		assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
		assertThat(refused.contentType()).startsWith("application/problem+json");
		assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 30L);
		assertThat(api.get("/api/chat/sessions", user.bearerHeaders()).json().size()).isEqualTo(sessionsBefore);
	}

	private long upstreamCalls() {
		return server.countRequestsMatching(anyRequestedFor(anyUrl()).build()).getCount();
	}

}
