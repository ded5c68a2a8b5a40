package com.ragchat.chat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import com.ragchat.auth.AuthenticatedUser;
import com.ragchat.observability.ChatbotMetrics;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static com.ragchat.chat.ChatTestSupport.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * The chat routes with the mock model and retriever, on the real database: storage order,
 * titles, history, the exact stream bytes, and requests refused before anything is
 * stored.
 */
@SpringBootTest(properties = "CHAT_HISTORY_MAX_MESSAGES=3")
@AutoConfigureMockMvc
class ChatControllerTests {

	static final String MOCK_SOURCE = "{\"source\":\"mock-document\",\"kb_url\":\"https://example.com/kb/123\","
			+ "\"kb_number\":\"KB-123\",\"kb_category\":\"Educational Technology\","
			+ "\"short_description\":\"Mock KB article for development\",\"project\":\"Chatbot\","
			+ "\"ingestion_date\":\"2023-07-01\",\"score\":null}";

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	JsonMapper json;

	@Autowired
	MeterRegistry meterRegistry;

	AuthenticatedUser user;

	@BeforeEach
	void createUser() {
		this.user = ChatTestSupport.createUser(this.jdbc);
	}

	@Test
	void streamWritesTheContractsBytesForHello() throws Exception {
		long firstTokensBefore = ChatbotMetrics.firstTokenLatency(this.meterRegistry).count();
		MockHttpServletResponse response = perform(post("/api/chat/stream"), "{\"content\":\"hello\"}");
		assertThat(ChatbotMetrics.firstTokenLatency(this.meterRegistry).count()).isEqualTo(firstTokensBefore + 1);

		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(response.getHeader("Content-Type")).isEqualTo("text/event-stream;charset=UTF-8");
		assertThat(response.getHeader("Cache-Control")).isEqualTo("no-cache");
		assertThat(response.getHeader("X-Accel-Buffering")).isEqualTo("no");
		assertThat(response.getHeader("X-Request-ID")).isNotBlank();
		assertThat(response.getHeader("Content-Encoding")).isNull();

		long sessionId = this.jdbc.queryForObject("select id from chat_sessions where user_id = ?", Long.class,
				this.user.id());
		List<Long> ids = this.jdbc.queryForList("select id from chat_messages where session_id = ? order by id",
				Long.class, sessionId);
		assertThat(ids).hasSize(2);
		String expected = """
				data: {"type":"status","message":"Searching the knowledge base…"}

				data: {"type":"token","token":"Mock response "}

				data: {"type":"token","token":"to: hello"}

				data: {"type":"done","session_id":%d,"sources":[%s],"document_contents":[{"content":"This is mock content for testing purposes.","metadata":%s}],"source_kind":"kb","disclaimer":null,"user_message_id":%d,"assistant_message_id":%d,"title":"hello"}

				"""
			.formatted(sessionId, MOCK_SOURCE, MOCK_SOURCE, ids.get(0), ids.get(1));
		assertThat(response.getContentAsString(StandardCharsets.UTF_8)).isEqualTo(expected);

		Map<String, Object> assistant = this.jdbc.queryForMap(
				"select role, content, metadata::text as metadata from chat_messages where id = ?", ids.get(1));
		assertThat(assistant.get("role")).isEqualTo("assistant");
		assertThat(assistant.get("content")).isEqualTo("Mock response to: hello");
		JsonNode metadata = this.json.readTree((String) assistant.get("metadata"));
		assertThat(metadata.get("sources").get(0).get("kb_number").asString()).isEqualTo("KB-123");
		assertThat(metadata.get("document_contents").get(0).get("content").asString())
			.isEqualTo("This is mock content for testing purposes.");
		assertThat(metadata.get("source_kind").asString()).isEqualTo("kb");
		assertThat(metadata.get("disclaimer").isNull()).isTrue();
		assertThat(metadata.get("provider").asString()).isEqualTo("mock");
		assertThat(metadata.get("model").asString()).isEqualTo("mock");
		assertThat(metadata.get("usage").get("output_tokens").asLong()).isEqualTo(4);
		assertThat(metadata.get("latency_ms").isNumber()).isTrue();
		assertThat(metadata.has("interrupted")).isFalse();
	}

	@Test
	void bufferedChatStoresTheUserMessageThenTheAnswer() throws Exception {
		MockHttpServletResponse response = perform(post("/api/chat/chat"),
				"{\"content\":\"What is the refund policy for annual plans?\"}");
		assertThat(response.getStatus()).isEqualTo(200);
		JsonNode body = this.json.readTree(response.getContentAsString(StandardCharsets.UTF_8));

		long sessionId = body.get("session_id").asLong();
		JsonNode userMessage = body.get("user_message");
		JsonNode assistantMessage = body.get("assistant_message");
		assertThat(userMessage.get("role").asString()).isEqualTo("user");
		assertThat(userMessage.get("content").asString()).isEqualTo("What is the refund policy for annual plans?");
		assertThat(userMessage.get("metadata").isNull()).isTrue();
		assertThat(assistantMessage.get("role").asString()).isEqualTo("assistant");
		assertThat(assistantMessage.get("content").asString())
			.isEqualTo("Mock response to: What is the refund policy for annual plans?");
		assertThat(assistantMessage.get("id").asLong()).isGreaterThan(userMessage.get("id").asLong());
		assertThat(assistantMessage.get("metadata").get("sources").get(0).get("kb_url").asString())
			.isEqualTo("https://example.com/kb/123");
		assertThat(userMessage.get("created_at").asString())
			.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
		assertThat(body.propertyNames()).containsExactly("session_id", "user_message", "assistant_message");
		assertThat(userMessage.propertyNames()).containsExactly("id", "content", "role", "metadata", "created_at");

		String title = this.jdbc.queryForObject("select title from chat_sessions where id = ?", String.class,
				sessionId);
		assertThat(title).isEqualTo("Chat: What is the refund p...");
	}

	@Test
	void sessionMessagesContinueASessionWithALimitedHistoryWindow() throws Exception {
		long sessionId = this.json
			.readTree(perform(post("/api/chat/chat"), "{\"content\":\"first\"}").getContentAsString())
			.get("session_id")
			.asLong();
		perform(post("/api/chat/sessions/" + sessionId + "/messages"), "{\"content\":\"second\"}");
		MockHttpServletResponse response = perform(post("/api/chat/sessions/" + sessionId + "/messages"),
				"{\"content\":\"third\"}");

		assertThat(response.getStatus()).isEqualTo(200);
		JsonNode body = this.json.readTree(response.getContentAsString());
		assertThat(body.propertyNames()).containsExactly("user_message", "assistant_message");
		assertThat(body.get("assistant_message").get("content").asString()).isEqualTo("Mock response to: third");
		List<String> contents = this.jdbc.queryForList(
				"select role || ':' || content from chat_messages where session_id = ? order by id", String.class,
				sessionId);
		assertThat(contents).containsExactly("user:first", "assistant:Mock response to: first", "user:second",
				"assistant:Mock response to: second", "user:third", "assistant:Mock response to: third");
		// The third turn's prompt saw only the last 3 earlier messages
		// (CHAT_HISTORY_MAX_MESSAGES=3).
		long inputTokens = this.json.readTree(this.jdbc.queryForObject(
				"select metadata::text from chat_messages where session_id = ? order by id desc limit 1", String.class,
				sessionId))
			.get("usage")
			.get("input_tokens")
			.asLong();
		long withoutHistory = this.json.readTree(this.jdbc.queryForObject(
				"select metadata::text from chat_messages where session_id = ? order by id limit 1 offset 1",
				String.class, sessionId))
			.get("usage")
			.get("input_tokens")
			.asLong();
		// The answer to "first" saw no history. "third" saw the 3 messages before it: the
		// answer to "first" (4 words), "second" (1) and its answer (4); all 4 would be
		// 10.
		assertThat(inputTokens - withoutHistory).isEqualTo(4 + 1 + 4);
	}

	@Test
	void implicitSessionTitleIsTheContentWhenShort() throws Exception {
		String exactly20 = "abcdefghijklmnopqrst";
		long sessionId = this.json
			.readTree(perform(post("/api/chat/chat"), "{\"content\":\"" + exactly20 + "\",\"session_id\":0}")
				.getContentAsString())
			.get("session_id")
			.asLong();
		assertThat(this.jdbc.queryForObject("select title from chat_sessions where id = ?", String.class, sessionId))
			.isEqualTo(exactly20);
	}

	@Test
	void invalidRequestsAre4xxProblemsAndStoreNothing() throws Exception {
		long sessionId = this.json
			.readTree(perform(post("/api/chat/sessions"), "{\"title\":\"kept\"}").getContentAsString())
			.get("id")
			.asLong();
		String tooLong = "x".repeat(8001);
		List<String> bodies = List.of("{\"content\":\"\"}", "{\"content\":\"   \"}", "{}",
				"{\"content\":\"" + tooLong + "\"}", "{\"content\":\"hi\",\"research_mode\":\"deep\"}",
				"{\"content\":\"hi\",\"session_id\":\"abc\"}", "{\"content\":\"hi\", ", "[1,2]", "",
				"{\"content\":\"nul \\u0000 inside\"}");
		for (String path : List.of("/api/chat/chat", "/api/chat/stream",
				"/api/chat/sessions/" + sessionId + "/messages")) {
			for (String body : bodies) {
				MockHttpServletResponse response = perform(post(path), body);
				assertThat(response.getStatus()).as(path + " " + body).isEqualTo(422);
				assertThat(response.getContentType()).isEqualTo("application/problem+json");
				assertThat(this.json.readTree(response.getContentAsString()).get("detail").asString()).isNotBlank();
			}
		}
		MockHttpServletResponse nonNumeric = perform(post("/api/chat/sessions/abc/messages"), "{\"content\":\"hi\"}");
		assertThat(nonNumeric.getStatus()).isEqualTo(422);
		MockHttpServletResponse webMode = perform(post("/api/chat/stream"),
				"{\"content\":\"hi\",\"research_mode\":\"web\"}");
		assertThat(webMode.getStatus()).isEqualTo(400);
		assertThat(this.json.readTree(webMode.getContentAsString()).get("detail").asString())
			.isEqualTo("Web research is not enabled on this server");
		assertThat(perform(post("/api/chat/chat"), "{\"content\":\"hi\",\"research_mode\":\"web\"}").getStatus())
			.isEqualTo(400);

		assertThat(countSessions()).isEqualTo(1);
		assertThat(this.jdbc.queryForObject("select count(*) from chat_messages m join chat_sessions s"
				+ " on s.id = m.session_id where s.user_id = ?", Long.class, this.user.id()))
			.isZero();
	}

	@Test
	void streamErrorsAreJsonProblemsEvenWhenTheClientAcceptsOnlyEventStreams() throws Exception {
		for (String body : List.of("{\"content\":\"\"}", "{\"content\":\"hi\",\"session_id\":999999999}",
				"{\"content\":\"hi\",\"research_mode\":\"web\"}")) {
			MockHttpServletResponse response = this.mvc
				.perform(post("/api/chat/stream").with(as(this.user))
					.contentType(MediaType.APPLICATION_JSON)
					.accept(MediaType.TEXT_EVENT_STREAM)
					.content(body))
				.andReturn()
				.getResponse();
			assertThat(response.getStatus()).as(body).isIn(400, 404, 422);
			assertThat(response.getContentType()).isEqualTo("application/problem+json");
			assertThat(this.json.readTree(response.getContentAsString()).get("detail").asString()).isNotBlank();
		}
		MockHttpServletResponse ok = ChatTestSupport
			.completed(this.mvc.perform(post("/api/chat/stream").with(as(this.user))
				.contentType(MediaType.APPLICATION_JSON)
				.accept(MediaType.TEXT_EVENT_STREAM)
				.content("{\"content\":\"hello\"}")));
		assertThat(ok.getContentAsString(StandardCharsets.UTF_8)).startsWith("data: {\"type\":\"status\"")
			.contains("\"type\":\"done\"");
	}

	@Test
	void exactly8000CharactersAreAccepted() throws Exception {
		String content = "y".repeat(8000);
		assertThat(perform(post("/api/chat/chat"), "{\"content\":\"" + content + "\"}").getStatus()).isEqualTo(200);
	}

	@Test
	void foreignAndMissingSessionsAreRefusedBeforeAnythingIsStored() throws Exception {
		AuthenticatedUser other = ChatTestSupport.createUser(this.jdbc);
		long foreign = this.json
			.readTree(this.mvc.perform(post("/api/chat/sessions").with(as(other))
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"title\":\"theirs\"}")).andReturn().getResponse().getContentAsString())
			.get("id")
			.asLong();
		for (String path : List.of("/api/chat/chat", "/api/chat/stream")) {
			MockHttpServletResponse forbidden = perform(post(path),
					"{\"content\":\"hi\",\"session_id\":" + foreign + "}");
			assertThat(forbidden.getStatus()).isEqualTo(403);
			assertThat(this.json.readTree(forbidden.getContentAsString()).get("detail").asString())
				.isEqualTo("Not authorized to access this chat session");
			MockHttpServletResponse missing = perform(post(path), "{\"content\":\"hi\",\"session_id\":999999999}");
			assertThat(missing.getStatus()).isEqualTo(404);
			assertThat(this.json.readTree(missing.getContentAsString()).get("detail").asString())
				.isEqualTo("Chat session not found");
		}
		assertThat(perform(post("/api/chat/sessions/" + foreign + "/messages"), "{\"content\":\"hi\"}").getStatus())
			.isEqualTo(403);
		assertThat(perform(post("/api/chat/sessions/999999999/messages"), "{\"content\":\"hi\"}").getStatus())
			.isEqualTo(404);
		assertThat(perform(post("/api/chat/sessions/0/messages"), "{\"content\":\"hi\"}").getStatus()).isEqualTo(404);
		assertThat(this.jdbc.queryForObject("select count(*) from chat_messages where session_id = ?", Long.class,
				foreign))
			.isZero();
		assertThat(countSessions()).isZero();
	}

	private long countSessions() {
		return this.jdbc.queryForObject("select count(*) from chat_sessions where user_id = ?", Long.class,
				this.user.id());
	}

	private MockHttpServletResponse perform(MockHttpServletRequestBuilder request, String body) throws Exception {
		return ChatTestSupport.completed(
				this.mvc.perform(request.with(as(this.user)).contentType(MediaType.APPLICATION_JSON).content(body)));
	}

}
