package com.ragchat.provider;

import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import com.ragchat.support.ApiClient;
import com.ragchat.support.TestUsers;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A provider through the whole application, over real HTTP: a signed-in user asks on
 * {@code /api/chat/chat}, follows up in the same session (which condenses the question
 * first) and streams on {@code /api/chat/stream}; the provider is a WireMock server
 * replaying its wire format, and the provider metrics show each call with its labels.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class ProviderPipelineContract {

	static final WireMockServer server = startServer();

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry registry;

	ApiClient api;

	private static WireMockServer startServer() {
		WireMockServer started = new WireMockServer(WireMockConfiguration.options().dynamicPort());
		started.start();
		Runtime.getRuntime().addShutdownHook(new Thread(started::stop));
		return started;
	}

	@BeforeEach
	void prepare() {
		server.resetAll();
		stubProvider();
		this.api = new ApiClient(this.port);
	}

	/** The wire format of the selected model, replayed on {@link #server}. */
	abstract AnswerModelWireContract modelWire();

	/** The {@code provider} label of the selected model. */
	abstract String modelProvider();

	/** The selected retriever: {@code mock} unless a subclass stubs a managed one. */
	String retrieverProvider() {
		return "mock";
	}

	/** The {@code kb_number} of the first source the retriever finds. */
	String expectedFirstSource() {
		return "KB-123";
	}

	/** Stubs the managed retriever's service, when there is one. */
	void stubRetriever() {
	}

	private void stubProvider() {
		AnswerModelWireContract wire = modelWire();
		server
			.stubFor(wire.streamRequest().willReturn(wire.streamResponse(List.of("Paris", " is", " lovely."), 42, 3)));
		server.stubFor(
				wire.completeRequest().willReturn(wire.completeResponse("What is the population of Paris?", 30, 8)));
		stubRetriever();
	}

	@Test
	void chatFollowUpAndStreamGoThroughTheProvider() {
		TestUsers.TestUser user = TestUsers.register(this.api);
		double chatCalls = calls(modelProvider(), "chat");
		double condenseCalls = calls(modelProvider(), "condense");
		double retrieveCalls = calls(retrieverProvider(), "retrieve");

		ApiClient.Response first = this.api.postJson("/api/chat/chat",
				Map.of("content", "What is the capital of France?"), user.bearerHeaders());
		assertThat(first.status()).as(first.toString()).isEqualTo(200);
		JsonNode answer = first.json().get("assistant_message");
		assertThat(answer.get("content").asString()).isEqualTo("Paris is lovely.");
		JsonNode metadata = answer.get("metadata");
		assertThat(metadata.get("sources").get(0).get("kb_number").asString()).isEqualTo(expectedFirstSource());
		long sessionId = first.json().get("session_id").asLong();

		ApiClient.Response followUp = this.api.postJson("/api/chat/chat",
				Map.of("content", "And its population?", "session_id", sessionId), user.bearerHeaders());
		assertThat(followUp.status()).as(followUp.toString()).isEqualTo(200);

		ApiClient.Response stream = this.api.postJson("/api/chat/stream",
				Map.of("content", "Tell me more about Paris."), user.bearerHeaders());
		assertThat(stream.status()).isEqualTo(200);
		assertThat(stream.contentType()).startsWith("text/event-stream");
		String body = stream.body();
		assertThat(body).contains("\"type\":\"done\"").doesNotContain("\"type\":\"error\"");
		StringBuilder streamed = new StringBuilder();
		for (String event : body.split("\n\n")) {
			if (event.startsWith("data: ")) {
				JsonNode json = ApiClient.JSON.readTree(event.substring("data: ".length()));
				if ("token".equals(json.get("type").asString())) {
					streamed.append(json.get("token").asString());
				}
			}
		}
		assertThat(streamed.toString()).isEqualTo("Paris is lovely.");

		assertThat(metadata.get("provider").asString()).isEqualTo(modelProvider());
		assertThat(metadata.get("usage").get("input_tokens").asLong()).isEqualTo(42);
		assertThat(metadata.get("usage").get("output_tokens").asLong()).isEqualTo(3);
		assertThat(calls(modelProvider(), "chat") - chatCalls).isEqualTo(3);
		assertThat(calls(modelProvider(), "condense") - condenseCalls).isEqualTo(1);
		assertThat(calls(retrieverProvider(), "retrieve") - retrieveCalls).isEqualTo(3);
		assertThat(this.registry.find("chatbot.provider.tokens")
			.tags("provider", modelProvider(), "operation", "chat", "direction", "output")
			.counter()
			.count()).isGreaterThanOrEqualTo(9);
	}

	@Test
	void theAskersProfileIsInThePromptsTheModelReceives() {
		TestUsers.TestUser admin = TestUsers.admin(this.api);
		String slug = "physics-" + java.util.UUID.randomUUID().toString().substring(0, 8);
		ApiClient.Response tenant = this.api.postJson("/api/admin/tenants",
				Map.of("name", "Physics", "slug", slug, "profile",
						Map.of("assistant_name", "Physics Desk", "out_of_scope_message",
								"Please ask the physics office on +44 20 7946 0999.", "supported_topics",
								List.of("lab bookings"), "few_shot_examples", List.of(Map.of("input",
										"Can I borrow an oscilloscope?", "output", "Yes, from room 2.14.")))),
				admin.bearerHeaders());
		assertThat(tenant.status()).as(tenant.toString()).isEqualTo(201);
		TestUsers.TestUser user = TestUsers.register(this.api);
		assertThat(this.api
			.send("PUT", "/api/admin/users/" + user.username() + "/tenant",
					"{\"tenant_id\":" + tenant.json().get("id").asLong() + "}",
					TestUsers.TestUser.with(admin.bearerHeaders(), "Content-Type", "application/json"))
			.status()).isEqualTo(200);
		server.resetRequests();

		ApiClient.Response first = this.api.postJson("/api/chat/chat",
				Map.of("content", "What is the capital of France?"), user.bearerHeaders());
		assertThat(first.status()).as(first.toString()).isEqualTo(200);
		assertThat(this.api
			.postJson("/api/chat/chat",
					Map.of("content", "And its population?", "session_id", first.json().get("session_id").asLong()),
					user.bearerHeaders())
			.status()).isEqualTo(200);

		List<String> bodies = server.getAllServeEvents()
			.stream()
			.map((event) -> event.getRequest().getBodyAsString())
			.toList();
		assertThat(bodies).as("the answer prompts")
			.filteredOn((body) -> body.contains("Passages:"))
			.hasSize(2)
			.allSatisfy((body) -> assertThat(body).contains("You are Physics Desk")
				.contains("Please ask the physics office on +44 20 7946 0999.")
				.contains("You answer questions about: lab bookings.")
				.contains("User: Can I borrow an oscilloscope?")
				.contains("Assistant: Yes, from room 2.14."));
		assertThat(bodies).as("the condense prompt")
			.filteredOn((body) -> body.contains("Standalone question:"))
			.hasSize(1)
			.allSatisfy((body) -> assertThat(body).contains("Physics Desk")
				.contains("who answers questions about lab bookings"));
	}

	double calls(String provider, String operation) {
		Timer timer = this.registry.find("chatbot.provider.latency")
			.tags("provider", provider, "operation", operation, "outcome", "success")
			.timer();
		return (timer != null) ? timer.count() : 0;
	}

}
