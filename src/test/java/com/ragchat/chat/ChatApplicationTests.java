package com.ragchat.chat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import com.ragchat.support.ApiClient;
import com.ragchat.support.TestUsers;
import com.ragchat.support.TestUsers.TestUser;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole application over real HTTP, signed in as a client signs in: a conversation
 * from registration to sources, another user's attempts on every route, and invalid
 * requests that store nothing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ChatApplicationTests {

	static final String MOCK_SOURCE = ChatControllerTests.MOCK_SOURCE;

	static final String MISSING = "999999999";

	@LocalServerPort
	int port;

	@Autowired
	JdbcTemplate jdbc;

	ApiClient api() {
		return new ApiClient(this.port);
	}

	@Test
	void aConversationFromRegistrationToSources() {
		ApiClient api = api();
		TestUser alice = TestUsers.register(api);

		ApiClient.Response created = api.postJson("/api/chat/sessions", Map.of("title", "Support"),
				alice.cookieHeaders());
		assertThat(created.status()).as(created.toString()).isEqualTo(200);
		long sessionId = created.json().get("id").asLong();

		// The web client's streaming fetch: cookies, X-CSRF-Token, Accept:
		// text/event-stream.
		ApiClient.Response stream = api.postJson("/api/chat/stream",
				Map.of("content", "hello", "session_id", sessionId),
				TestUser.with(alice.cookieHeaders(), "Accept", "text/event-stream"));
		assertThat(stream.status()).as(stream.toString()).isEqualTo(200);
		assertThat(stream.contentType()).isEqualTo("text/event-stream;charset=UTF-8");
		assertThat(stream.header("Cache-Control")).isEqualTo("no-cache");
		assertThat(stream.header("X-Accel-Buffering")).isEqualTo("no");
		assertThat(stream.header("Content-Encoding")).isNull();
		assertThat(stream.header("X-Request-ID")).isNotBlank();

		ApiClient.Response reloaded = api.get("/api/chat/sessions/" + sessionId, alice.cookieHeaders());
		assertThat(reloaded.status()).isEqualTo(200);
		JsonNode messages = reloaded.json().get("messages");
		assertThat(messages).hasSize(2);
		long userMessageId = messages.get(0).get("id").asLong();
		long assistantMessageId = messages.get(1).get("id").asLong();
		assertThat(stream.body()).isEqualTo(
				"""
						data: {"type":"status","message":"Searching the knowledge base…"}

						data: {"type":"token","token":"Mock response "}

						data: {"type":"token","token":"to: hello"}

						data: {"type":"done","session_id":%d,"sources":[%s],"document_contents":[{"content":"This is mock content for testing purposes.","metadata":%s}],"source_kind":"kb","disclaimer":null,"user_message_id":%d,"assistant_message_id":%d,"title":"Support"}

						"""
					.formatted(sessionId, MOCK_SOURCE, MOCK_SOURCE, userMessageId, assistantMessageId));
		assertThat(messages.get(0).get("role").asString()).isEqualTo("user");
		assertThat(messages.get(0).get("content").asString()).isEqualTo("hello");
		assertThat(messages.get(0).get("metadata").isNull()).isTrue();
		JsonNode answer = messages.get(1);
		assertThat(answer.get("role").asString()).isEqualTo("assistant");
		assertThat(answer.get("content").asString()).isEqualTo("Mock response to: hello");
		JsonNode metadata = answer.get("metadata");
		assertThat(metadata.get("source_kind").asString()).isEqualTo("kb");
		assertThat(metadata.get("disclaimer").isNull()).isTrue();
		assertThat(metadata.get("provider").asString()).isEqualTo("mock");
		assertThat(metadata.get("sources").get(0).get("kb_number").asString()).isEqualTo("KB-123");
		assertThat(metadata.get("document_contents").get(0).get("metadata").get("kb_url").asString())
			.isEqualTo("https://example.com/kb/123");
		assertThat(reloaded.json().get("updated_at").asString())
			.isGreaterThan(created.json().get("updated_at").asString());

		// A follow-up on the buffered route, then the listing shows the session first.
		ApiClient.Response followUp = api.postJson("/api/chat/sessions/" + sessionId + "/messages",
				Map.of("content", "and then?"), alice.bearerHeaders());
		assertThat(followUp.status()).isEqualTo(200);
		assertThat(followUp.json().get("assistant_message").get("content").asString())
			.isEqualTo("Mock response to: and then?");
		api.postJson("/api/chat/sessions", Map.of("title", "Older"), alice.bearerHeaders());
		api.postJson("/api/chat/sessions/" + sessionId + "/messages", Map.of("content", "bump"), alice.bearerHeaders());
		JsonNode list = api.get("/api/chat/sessions", alice.cookieHeaders()).json();
		assertThat(list).hasSize(2);
		assertThat(list.get(0).get("id").asLong()).isEqualTo(sessionId);

		ApiClient.Response feedback = api.postJson("/api/chat/feedback",
				Map.of("message_id", assistantMessageId, "feedback_type", "rating", "rating", 5, "comment", "clear"),
				alice.cookieHeaders());
		assertThat(feedback.status()).as(feedback.toString()).isEqualTo(200);
		assertThat(feedback.json().get("user_id").asLong()).isEqualTo(alice.id());
		assertThat(feedback.json().get("rating").asInt()).isEqualTo(5);

		ApiClient.Response sources = api.get("/api/chat/messages/" + assistantMessageId + "/sources",
				alice.cookieHeaders());
		assertThat(sources.status()).isEqualTo(200);
		assertThat(sources.json().get("message_id").asLong()).isEqualTo(assistantMessageId);
		assertThat(sources.json().get("sources").get(0).get("source").asString()).isEqualTo("mock-document");
		assertThat(sources.json().get("document_contents").get(0).get("content").asString())
			.isEqualTo("This is mock content for testing purposes.");

		ApiClient.Response deleted = api.delete("/api/chat/sessions/" + sessionId, alice.cookieHeaders());
		assertThat(deleted.status()).isEqualTo(200);
		assertThat(api.get("/api/chat/sessions/" + sessionId, alice.cookieHeaders()).status()).isEqualTo(404);
		assertThat(this.jdbc.queryForObject("select count(*) from message_feedback where message_id = ?", Long.class,
				assistantMessageId))
			.isZero();
	}

	@Test
	void aStreamWithoutASessionStartsOneTitledAfterTheQuestion() {
		TestUser user = TestUsers.register(api());
		ApiClient.Response stream = api().postJson("/api/chat/stream",
				Map.of("content", "How do I reset my password please?"), user.bearerHeaders());
		assertThat(stream.status()).isEqualTo(200);
		String done = stream.body()
			.lines()
			.filter((line) -> line.contains("\"type\":\"done\""))
			.findFirst()
			.orElseThrow();
		JsonNode event = ApiClient.JSON.readTree(done.substring("data: ".length()));
		assertThat(event.get("title").asString()).isEqualTo("Chat: How do I reset my pa...");
		JsonNode session = api().get("/api/chat/sessions/" + event.get("session_id").asLong(), user.bearerHeaders())
			.json();
		assertThat(session.get("title").asString()).isEqualTo("Chat: How do I reset my pa...");
		assertThat(session.get("messages").get(1).get("id").asLong())
			.isEqualTo(event.get("assistant_message_id").asLong());
	}

	@Test
	void anotherUserGets403OnEveryRouteAndMissingIdsAre404() {
		ApiClient api = api();
		TestUser alice = TestUsers.register(api);
		TestUser bob = TestUsers.register(api);
		JsonNode turn = api.postJson("/api/chat/chat", Map.of("content", "private question"), alice.bearerHeaders())
			.json();
		long session = turn.get("session_id").asLong();
		long message = turn.get("assistant_message").get("id").asLong();
		long question = turn.get("user_message").get("id").asLong();

		Map<String, ApiClient.Response> forbidden = new java.util.LinkedHashMap<>();
		forbidden.put("GET session", api.get("/api/chat/sessions/" + session, bob.cookieHeaders()));
		forbidden.put("PATCH session",
				api.patchJson("/api/chat/sessions/" + session, Map.of("title", "mine"), bob.cookieHeaders()));
		forbidden.put("DELETE session", api.delete("/api/chat/sessions/" + session, bob.cookieHeaders()));
		forbidden.put("POST session messages", api.postJson("/api/chat/sessions/" + session + "/messages",
				Map.of("content", "hi"), bob.cookieHeaders()));
		forbidden.put("POST chat",
				api.postJson("/api/chat/chat", Map.of("content", "hi", "session_id", session), bob.cookieHeaders()));
		forbidden.put("POST stream", api.postJson("/api/chat/stream", Map.of("content", "hi", "session_id", session),
				TestUser.with(bob.cookieHeaders(), "Accept", "text/event-stream")));
		forbidden.put("POST feedback", api.postJson("/api/chat/feedback",
				Map.of("message_id", message, "feedback_type", "thumbs_down"), bob.cookieHeaders()));
		forbidden.put("POST feedback on the question", api.postJson("/api/chat/feedback",
				Map.of("message_id", question, "feedback_type", "thumbs_down"), bob.bearerHeaders()));
		forbidden.put("GET sources", api.get("/api/chat/messages/" + message + "/sources", bob.cookieHeaders()));
		forbidden.forEach((route, response) -> {
			assertThat(response.status()).as(route + ": " + response).isEqualTo(403);
			assertThat(response.contentType()).as(route).isEqualTo("application/problem+json");
		});
		assertThat(forbidden.get("DELETE session").json().get("detail").asString())
			.isEqualTo("Not authorized to delete this chat session");
		assertThat(forbidden.get("GET session").json().get("detail").asString())
			.isEqualTo("Not authorized to access this chat session");

		Map<String, ApiClient.Response> missing = new java.util.LinkedHashMap<>();
		missing.put("GET session", api.get("/api/chat/sessions/" + MISSING, bob.cookieHeaders()));
		missing.put("PATCH session",
				api.patchJson("/api/chat/sessions/" + MISSING, Map.of("title", "x"), bob.cookieHeaders()));
		missing.put("DELETE session", api.delete("/api/chat/sessions/" + MISSING, bob.cookieHeaders()));
		missing.put("POST session messages", api.postJson("/api/chat/sessions/" + MISSING + "/messages",
				Map.of("content", "hi"), bob.cookieHeaders()));
		missing.put("POST chat", api.postJson("/api/chat/chat",
				Map.of("content", "hi", "session_id", Long.parseLong(MISSING)), bob.cookieHeaders()));
		missing.put("POST stream", api.postJson("/api/chat/stream",
				Map.of("content", "hi", "session_id", Long.parseLong(MISSING)), bob.cookieHeaders()));
		missing.put("POST feedback", api.postJson("/api/chat/feedback",
				Map.of("message_id", Long.parseLong(MISSING), "feedback_type", "thumbs_up"), bob.cookieHeaders()));
		missing.put("GET sources", api.get("/api/chat/messages/" + MISSING + "/sources", bob.cookieHeaders()));
		missing.forEach((route, response) -> {
			assertThat(response.status()).as(route + ": " + response).isEqualTo(404);
			assertThat(response.contentType()).as(route).isEqualTo("application/problem+json");
		});
		assertThat(missing.get("GET session").json().get("detail").asString()).isEqualTo("Chat session not found");
		assertThat(missing.get("GET sources").json().get("detail").asString()).isEqualTo("Message not found");

		// Nothing of Alice's changed, and Bob has nothing.
		JsonNode alicesSession = api.get("/api/chat/sessions/" + session, alice.bearerHeaders()).json();
		assertThat(alicesSession.get("title").asString()).isEqualTo("private question");
		assertThat(alicesSession.get("messages")).hasSize(2);
		assertThat(this.jdbc.queryForObject("select count(*) from message_feedback where user_id = ?", Long.class,
				bob.id()))
			.isZero();
		assertThat(api.get("/api/chat/sessions", bob.bearerHeaders()).json()).isEmpty();
	}

	@Test
	void invalidRequestsAre4xxProblemsAndStoreNothing() {
		ApiClient api = api();
		TestUser user = TestUsers.register(api);
		long session = api.postJson("/api/chat/sessions", Map.of("title", "kept"), user.bearerHeaders())
			.json()
			.get("id")
			.asLong();
		List<String> bodies = List.of("{\"content\":\"\"}", "{\"content\":\" \\n\\t \"}",
				"{\"content\":\"" + "z".repeat(8001) + "\"}", "{\"content\":\"hi\",\"research_mode\":\"deep\"}",
				"{\"content\":\"hi\",\"session_id\":\"abc\"}", "{\"content\":\"hi\",", "not json at all");
		for (String path : List.of("/api/chat/chat", "/api/chat/stream",
				"/api/chat/sessions/" + session + "/messages")) {
			for (String body : bodies) {
				ApiClient.Response response = api.postJson(path, body, user.cookieHeaders());
				assertThat(response.status()).as(path + " " + body).isEqualTo(422);
				assertThat(response.contentType()).isEqualTo("application/problem+json");
				assertThat(response.json().get("detail").asString()).isNotBlank();
			}
		}
		assertThat(
				api.postJson("/api/chat/stream", "{\"content\":\"hi\",\"research_mode\":\"web\"}", user.cookieHeaders())
					.status())
			.isEqualTo(400);
		for (ApiClient.Response response : List.of(
				api.postJson("/api/chat/sessions/abc/messages", Map.of("content", "hi"), user.cookieHeaders()),
				api.get("/api/chat/sessions/abc", user.cookieHeaders()),
				api.delete("/api/chat/sessions/1e3", user.cookieHeaders()),
				api.get("/api/chat/messages/abc/sources", user.cookieHeaders()), api.postJson("/api/chat/feedback",
						"{\"message_id\":\"abc\",\"feedback_type\":\"thumbs_up\"}", user.cookieHeaders()))) {
			assertThat(response.status()).as(response.toString()).isEqualTo(422);
			assertThat(response.contentType()).isEqualTo("application/problem+json");
		}
		assertThat(
				this.jdbc.queryForObject("select count(*) from chat_sessions where user_id = ?", Long.class, user.id()))
			.isEqualTo(1);
		assertThat(this.jdbc.queryForObject(
				"select count(*) from chat_messages m join chat_sessions s on s.id = m.session_id where s.user_id = ?",
				Long.class, user.id()))
			.isZero();
	}

	@Test
	void chatRoutesNeedASignedInUserAndTheCsrfHeaderWithCookies() {
		ApiClient api = api();
		ApiClient.Response anonymous = api.postJson("/api/chat/stream", Map.of("content", "hi"));
		assertThat(anonymous.status()).isEqualTo(401);
		assertThat(anonymous.contentType()).startsWith("application/problem+json");
		TestUser user = TestUsers.register(api);
		assertThat(api.postJson("/api/chat/stream", Map.of("content", "hi"), user.cookieHeadersWithoutCsrf()).status())
			.isEqualTo(403);
		assertThat(
				this.jdbc.queryForObject("select count(*) from chat_sessions where user_id = ?", Long.class, user.id()))
			.isZero();
	}

}
