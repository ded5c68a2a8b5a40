package com.ragchat.platform;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;

import com.ragchat.platform.BadInputSupport.Case;
import com.ragchat.platform.BadInputSupport.Raw;
import com.ragchat.platform.BadInputSupport.Reply;
import com.ragchat.support.ApiClient;
import com.ragchat.support.TestUsers;
import com.ragchat.support.TestUsers.TestUser;

import static com.ragchat.platform.BadInputSupport.ABSENT;
import static com.ragchat.platform.BadInputSupport.LONE_SURROGATE;
import static com.ragchat.platform.BadInputSupport.MARKUP;
import static com.ragchat.platform.BadInputSupport.NUL;
import static com.ragchat.platform.BadInputSupport.SQL;
import static com.ragchat.platform.BadInputSupport.UNICODE;
import static com.ragchat.platform.BadInputSupport.bytes;
import static com.ragchat.platform.BadInputSupport.describe;
import static com.ragchat.platform.BadInputSupport.fields;
import static com.ragchat.platform.BadInputSupport.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input against the chat routes (sessions, chat, stream, a session's messages,
 * feedback, sources) over real HTTP, on the same application as {@link BadInputTests}.
 * Text that is legitimate however odd (emoji, right-to-left, SQL, markup) is stored and
 * comes back exactly, as JSON, never interpreted; anything else is a 4xx problem and
 * leaves no session, message or feedback behind (not even a bumped {@code updated_at}).
 */
class BadInputChatTests extends BadInputTestBase {

	private static final String SESSION_NOT_FOUND = "Chat session not found";

	private static final String SESSION_FORBIDDEN = "Not authorized to access this chat session";

	TestUser alice;

	TestUser mallory;

	/** Alice's session, its first user message and the answer to it. */
	long session;

	long question;

	long answer;

	/** Mallory's session and answer: alice may not touch them. */
	long foreignSession;

	long foreignAnswer;

	@BeforeAll
	void users() {
		this.alice = TestUsers.register(this.api);
		this.mallory = TestUsers.register(this.api);
		JsonNode chat = post("/api/chat/chat", json(fields("content", "Alice's first question")),
				this.alice.bearerHeaders())
			.json();
		this.session = chat.get("session_id").asLong();
		this.question = chat.get("user_message").get("id").asLong();
		this.answer = chat.get("assistant_message").get("id").asLong();
		JsonNode foreign = post("/api/chat/chat", json(fields("content", "Mallory's question")),
				this.mallory.bearerHeaders())
			.json();
		this.foreignSession = foreign.get("session_id").asLong();
		this.foreignAnswer = foreign.get("assistant_message").get("id").asLong();
	}

	@TestFactory
	Stream<DynamicNode> badInput() {
		List<Case> cases = new ArrayList<>();
		cases.addAll(createSession());
		cases.addAll(listSessions());
		cases.addAll(sessionById());
		cases.addAll(renameSession());
		cases.addAll(chat("chat: chat", "/api/chat/chat"));
		cases.addAll(chat("chat: stream", "/api/chat/stream"));
		cases.addAll(sessionMessages());
		cases.addAll(feedback());
		cases.addAll(sources());
		cases.addAll(duplicates());
		return this.runner.tests(cases);
	}

	/** Legitimate text of every kind, by name: stored and returned exactly. */
	static Map<String, String> legitimateTexts() {
		Map<String, String> texts = new java.util.LinkedHashMap<>(UNICODE);
		for (String sql : SQL) {
			texts.put("SQL " + describe(sql), sql);
		}
		for (String markup : MARKUP) {
			texts.put("markup " + describe(markup), markup);
		}
		return texts;
	}

	// --- sessions ---

	List<Case> createSession() {
		JsonRoute route = new JsonRoute("chat: create session", "POST", "/api/chat/sessions", this.alice::bearerHeaders)
			.getAnswers(0);
		Supplier<Map<String, Object>> valid = () -> fields("title", "A title");
		List<Case> cases = new ArrayList<>(jsonBattery(route, valid, "title", this.alice.bearerHeaders()));
		for (Object title : List.of(ABSENT, List.of("x"), Map.of("x", 1), "", "   ", "\n\t", "t".repeat(201), NUL,
				LONE_SURROGATE)) {
			cases.add(route.field(valid, "title", title, 422));
		}
		cases.add(
				Case.refused(route.group, "title = null", () -> route.send(fields("title", null)), 422).field("title"));
		for (Object tenant : List.of(List.of("x"), "t".repeat(101), NUL, LONE_SURROGATE)) {
			cases.add(route.field(valid, "tenant_id", tenant, 422));
		}
		String invalid = json(fields("title", ""));
		cases.add(Case.refused(route.group, "invalid body without a token", () -> post(route.path, invalid), 401));
		cases.add(Case.refused(route.group, "invalid body by cookie without X-CSRF-Token",
				() -> post(route.path, invalid, this.alice.cookieHeadersWithoutCsrf()), 403));
		cases.add(
				Case.refused(route.group, "by cookie with a wrong X-CSRF-Token",
						() -> post(route.path, json(valid.get()),
								TestUser.with(this.alice.cookieHeadersWithoutCsrf(), "X-CSRF-Token", "<script>")),
						403));
		Map<String, Object> titles = new java.util.LinkedHashMap<>(legitimateTexts());
		titles.put("title of 200 characters", "t".repeat(200));
		titles.put("title of 100 emoji", "😀".repeat(100));
		for (Map.Entry<String, Object> title : titles.entrySet()) {
			cases.add(Case
				.accepted(route.group, "title: " + title.getKey(),
						() -> route.send(fields("title", title.getValue(), "tenant_id",
								(((String) title.getValue()).length() <= 100) ? title.getValue() : null)),
						200)
				.then((reply) -> assertStoredTitle(reply, (String) title.getValue())));
		}
		cases.add(Case
			.accepted(route.group, "title given as a number is stored as its text",
					() -> route.send(fields("title", new Raw("12345"))), 200)
			.then((reply) -> assertStoredTitle(reply, "12345")));
		return cases;
	}

	/**
	 * Text that JSON need not escape is in the body as its own UTF-8 bytes: not escaped,
	 * not transcoded, not normalised.
	 */
	static void assertVerbatim(Reply reply, String text) {
		if (text.codePoints().noneMatch((c) -> c < 0x20 || c == '"' || c == '\\' || c == 0x7F)) {
			assertThat(reply.body()).contains(text);
		}
	}

	/** The session in {@code reply} has {@code title}, also when read back. */
	void assertStoredTitle(Reply reply, String title) {
		assertThat(reply.contentType()).startsWith("application/json");
		assertThat(reply.header("X-Content-Type-Options")).isEqualTo("nosniff");
		assertThat(reply.json().get("title").asString()).isEqualTo(title);
		assertVerbatim(reply, title);
		long id = reply.json().get("id").asLong();
		Reply read = get("/api/chat/sessions/" + id, this.alice.bearerHeaders());
		assertThat(read.json().get("title").asString()).as("read back").isEqualTo(title);
		assertThat(this.jdbc.queryForObject("select title from chat_sessions where id = ?", String.class, id))
			.as("stored")
			.isEqualTo(title);
	}

	List<Case> listSessions() {
		String g = "chat: list sessions";
		List<Case> cases = new ArrayList<>();
		for (String limit : List.of("0", "-1", "501", "abc", "1e3", "0x10", "1.5", "99999999999", "%00", "")) {
			if (limit.isEmpty()) {
				continue;
			}
			cases.add(Case
				.refused(g, "limit=" + limit,
						() -> get("/api/chat/sessions?limit=" + limit, this.alice.bearerHeaders()), 422)
				.field("limit"));
		}
		for (String before : List.of("garbage", "2026-13-45T00:00:00Z", "1e3", "%00", "2026-01-01", "'%20OR%201=1--")) {
			cases.add(Case
				.refused(g, "before=" + before,
						() -> get("/api/chat/sessions?before=" + before, this.alice.bearerHeaders()), 422)
				.field("before"));
		}
		cases.add(Case
			.accepted(g, "before far in the future lists everything",
					() -> get("/api/chat/sessions?before=%2B1000000-01-01T00:00:00Z", this.alice.bearerHeaders()), 200)
			.readOnly()
			.then((reply) -> assertThat(reply.json().valueStream().map((s) -> s.get("id").asLong()))
				.contains(this.session)));
		for (String before : List.of("-999999999-01-01T00:00:00Z", "0000-01-01T00:00:00Z", "1970-01-01T00:00:00Z")) {
			cases.add(Case
				.accepted(g, "before=" + before + " lists nothing",
						() -> get("/api/chat/sessions?before=" + before, this.alice.bearerHeaders()), 200)
				.readOnly()
				.then((reply) -> assertThat(reply.json().size()).isZero()));
		}
		cases.add(Case.accepted(g, "limit=500 and an empty before",
				() -> get("/api/chat/sessions?limit=500&before=", this.alice.bearerHeaders()), 200)
			.readOnly());
		cases.add(Case.refused(g, "without a token", () -> get("/api/chat/sessions"), 401));
		return cases;
	}

	List<Case> sessionById() {
		String g = "chat: session by id";
		List<Case> cases = new ArrayList<>();
		Map<String, Object> rename = fields("title", "Renamed");
		for (Object[] id : idValuesInPaths()) {
			String path = "/api/chat/sessions/" + id[0];
			int status = (int) id[1];
			String detail = (status == 404) ? SESSION_NOT_FOUND : null;
			cases.add(Case.refused(g, "GET " + describe(id[0]), () -> get(path, this.alice.bearerHeaders()), status)
				.detail(detail));
			cases.add(Case.refused(g, "PATCH " + describe(id[0]),
					() -> send("PATCH", path, bytes(json(rename)), "application/json", this.alice.bearerHeaders()),
					status)
				.detail(detail));
			cases.add(
					Case.refused(g, "DELETE " + describe(id[0]), () -> delete(path, this.alice.bearerHeaders()), status)
						.detail(detail));
		}
		String foreign = "/api/chat/sessions/" + this.foreignSession;
		cases.add(Case.refused(g, "GET another user's session", () -> get(foreign, this.alice.bearerHeaders()), 403)
			.detail(SESSION_FORBIDDEN));
		cases.add(Case.refused(g, "PATCH another user's session",
				() -> send("PATCH", foreign, bytes(json(rename)), "application/json", this.alice.bearerHeaders()), 403)
			.detail(SESSION_FORBIDDEN));
		cases.add(
				Case.refused(g, "DELETE another user's session", () -> delete(foreign, this.alice.bearerHeaders()), 403)
					.detail("Not authorized to delete this chat session"));
		String own = "/api/chat/sessions/" + this.session;
		for (String limit : List.of("0", "-1", "abc", "1e3", "99999999999")) {
			cases.add(Case.refused(g, "GET own session with limit=" + limit,
					() -> get(own + "?limit=" + limit, this.alice.bearerHeaders()), 422)
				.field("limit"));
		}
		cases.add(Case
			.accepted(g, "GET own session with limit=1", () -> get(own + "?limit=1", this.alice.bearerHeaders()), 200)
			.readOnly()
			.then((reply) -> assertThat(reply.json().get("messages").size()).isEqualTo(1)));
		cases.add(Case.refused(g, "POST to a session", () -> post(own, "{}", this.alice.bearerHeaders()), 405));
		return cases;
	}

	List<Case> renameSession() {
		JsonRoute route = new JsonRoute("chat: rename session", "PATCH", "/api/chat/sessions/" + this.session,
				this.alice::bearerHeaders)
			.getAnswers(0);
		Supplier<Map<String, Object>> valid = () -> fields("title", "Renamed");
		List<Case> cases = new ArrayList<>(jsonBattery(route, valid, "title", this.alice.bearerHeaders()));
		for (Object title : List.of(ABSENT, List.of("x"), "", "   ", "t".repeat(201), NUL, LONE_SURROGATE)) {
			cases.add(route.field(valid, "title", title, 422));
		}
		String invalid = json(fields("title", ""));
		cases.add(Case.refused(route.group, "invalid title for another user's session: validation first",
				() -> send("PATCH", "/api/chat/sessions/" + this.foreignSession, bytes(invalid), "application/json",
						this.alice.bearerHeaders()),
				422));
		cases.add(Case.refused(route.group, "invalid title for a missing session: validation first",
				() -> send("PATCH", "/api/chat/sessions/9223372036854775807", bytes(invalid), "application/json",
						this.alice.bearerHeaders()),
				422));
		for (Map.Entry<String, String> title : legitimateTexts().entrySet()) {
			cases
				.add(Case
					.accepted(route.group, "title: " + title.getKey(),
							() -> route.send(fields("title", title.getValue())), 200)
					.then((reply) -> assertStoredTitle(reply, title.getValue())));
		}
		return cases;
	}

	// --- asking ---

	List<Case> chat(String g, String path) {
		boolean stream = path.endsWith("/stream");
		JsonRoute route = new JsonRoute(g, "POST", path, this.alice::bearerHeaders);
		Supplier<Map<String, Object>> valid = () -> fields("content", "hello", "session_id", this.session);
		List<Case> cases = new ArrayList<>(jsonBattery(route, valid, "content", this.alice.bearerHeaders()));
		for (Object content : List.of(ABSENT, List.of("x"), Map.of("x", 1), "", "   ", "\n\r\t", "c".repeat(8001),
				"😀".repeat(4001), NUL, LONE_SURROGATE)) {
			cases.add(route.field(valid, "content", content, 422));
		}
		cases.add(Case.refused(g, "content = null", () -> route.send(fields("content", null)), 422).field("content"));
		for (Object[] id : idValuesInJson()) {
			if ("".equals(id[0])) {
				continue;
			}
			cases.add(route.field(valid, "session_id", id[0], (int) id[1])
				.detail(((int) id[1] == 404) ? SESSION_NOT_FOUND : null));
		}
		cases.add(route.field(valid, "session_id", this.foreignSession, 403).detail(SESSION_FORBIDDEN));
		cases.add(route.field(valid, "research_mode", "web", 400).detail("Web research is not enabled on this server"));
		for (Object mode : List.of("WEB", "", "kb ", "both", new Raw("5"), List.of("kb"))) {
			cases.add(route.field(valid, "research_mode", mode, 422));
		}
		cases.add(Case.refused(g, "invalid body without a token", () -> post(path, "{}"), 401));
		cases.add(Case.refused(g, "invalid body by cookie without X-CSRF-Token",
				() -> post(path, "{}", this.alice.cookieHeadersWithoutCsrf()), 403));
		Map<String, String> contents = new java.util.LinkedHashMap<>(legitimateTexts());
		if (!stream) {
			contents.put("content of 8000 characters", "c".repeat(8000));
			contents.put("content of 4000 emoji", "😀".repeat(4000));
		}
		for (Map.Entry<String, String> content : contents.entrySet()) {
			cases
				.add(Case
					.accepted(g, "content: " + content.getKey(),
							() -> route.send(fields("content", content.getValue())), 200)
					.then((reply) -> assertTurn(reply, stream, content.getValue())));
		}
		cases.add(Case
			.accepted(g, "session_id given as a string",
					() -> route.send(fields("content", "string id", "session_id", Long.toString(this.session))), 200)
			.then((reply) -> assertTurn(reply, stream, "string id")));
		cases.add(Case
			.accepted(g, "session_id \"\" counts as none and starts a session",
					() -> route.send(fields("content", "empty id", "session_id", "")), 200)
			.then((reply) -> assertTurn(reply, stream, "empty id")));
		cases.add(Case
			.accepted(g, "session_id 0 starts a session",
					() -> route.send(fields("content", "zero id", "session_id", 0)), 200)
			.then((reply) -> assertTurn(reply, stream, "zero id")));
		cases.add(Case
			.accepted(g, "research_mode null means kb",
					() -> route.send(fields("content", "null mode", "research_mode", null)), 200)
			.then((reply) -> assertTurn(reply, stream, "null mode")));
		return cases;
	}

	/**
	 * The turn in {@code reply} (a buffered answer or a stream) stored {@code content}
	 * and the mock model's answer to it exactly, and both read back the same.
	 */
	void assertTurn(Reply reply, boolean stream, String content) {
		String expectedAnswer = "Mock response to: " + content;
		long sessionId;
		if (stream) {
			assertThat(reply.contentType()).startsWith("text/event-stream");
			StringBuilder answer = new StringBuilder();
			JsonNode done = null;
			for (String frame : reply.body().split("\n\n")) {
				if (!frame.startsWith("data: ")) {
					continue;
				}
				JsonNode event = ApiClient.JSON.readTree(frame.substring(6));
				if (event.get("type").asString().equals("token")) {
					answer.append(event.get("token").asString());
				}
				else if (event.get("type").asString().equals("done")) {
					done = event;
				}
			}
			assertThat(done).as("a done event in %s", reply.body()).isNotNull();
			assertThat(answer.toString()).isEqualTo(expectedAnswer);
			sessionId = done.get("session_id").asLong();
		}
		else {
			JsonNode body = reply.json();
			assertThat(body.get("user_message").get("content").asString()).isEqualTo(content);
			assertVerbatim(reply, content);
			assertThat(body.get("assistant_message").get("content").asString()).isEqualTo(expectedAnswer);
			sessionId = body.get("session_id").asLong();
		}
		JsonNode messages = get("/api/chat/sessions/" + sessionId, this.alice.bearerHeaders()).json().get("messages");
		JsonNode last = messages.get(messages.size() - 1);
		JsonNode userMessage = messages.get(messages.size() - 2);
		assertThat(userMessage.get("content").asString()).as("question read back").isEqualTo(content);
		assertThat(last.get("content").asString()).as("answer read back").isEqualTo(expectedAnswer);
		assertThat(this.jdbc.queryForObject("select content from chat_messages where id = ?", String.class,
				userMessage.get("id").asLong()))
			.as("stored")
			.isEqualTo(content);
	}

	List<Case> sessionMessages() {
		String g = "chat: session messages";
		String own = "/api/chat/sessions/" + this.session + "/messages";
		JsonRoute route = new JsonRoute(g, "POST", own, this.alice::bearerHeaders);
		Supplier<Map<String, Object>> valid = () -> fields("content", "hello again");
		List<Case> cases = new ArrayList<>(jsonBattery(route, valid, "content", this.alice.bearerHeaders()));
		for (Object content : List.of(ABSENT, "", "   ", "c".repeat(8001), NUL, LONE_SURROGATE)) {
			cases.add(route.field(valid, "content", content, 422));
		}
		for (Object[] id : idValuesInPaths()) {
			cases.add(Case
				.refused(g, "session " + describe(id[0]),
						() -> post("/api/chat/sessions/" + id[0] + "/messages", json(valid.get()),
								this.alice.bearerHeaders()),
						(int) id[1])
				.detail(((int) id[1] == 404) ? SESSION_NOT_FOUND : null));
		}
		cases.add(Case
			.refused(g, "another user's session",
					() -> post("/api/chat/sessions/" + this.foreignSession + "/messages", json(valid.get()),
							this.alice.bearerHeaders()),
					403)
			.detail(SESSION_FORBIDDEN));
		cases.add(Case.refused(g, "invalid body for a missing session: validation first",
				() -> post("/api/chat/sessions/9223372036854775807/messages", json(fields("content", "")),
						this.alice.bearerHeaders()),
				422));
		for (Map.Entry<String, String> content : UNICODE.entrySet()) {
			cases.add(Case.accepted(g, "content: " + content.getKey(),
					() -> route.send(fields("content", content.getValue())), 200)
				.then((reply) -> {
					assertThat(reply.json().get("user_message").get("content").asString())
						.isEqualTo(content.getValue());
					assertThat(reply.json().get("assistant_message").get("content").asString())
						.isEqualTo("Mock response to: " + content.getValue());
				}));
		}
		return cases;
	}

	// --- feedback and sources ---

	List<Case> feedback() {
		JsonRoute route = new JsonRoute("chat: feedback", "POST", "/api/chat/feedback", this.alice::bearerHeaders);
		Supplier<Map<String, Object>> valid = () -> fields("message_id", this.answer, "feedback_type", "thumbs_up");
		List<Case> cases = new ArrayList<>(jsonBattery(route, valid, "feedback_type", this.alice.bearerHeaders()));
		cases.add(route.field(valid, "message_id", ABSENT, 422));
		cases.add(route.field(valid, "message_id", null, 422));
		for (Object[] id : idValuesInJson()) {
			cases.add(route.field(valid, "message_id", id[0], (int) id[1])
				.detail(((int) id[1] == 404) ? "Message not found" : null));
		}
		cases.add(route.field(valid, "message_id", new Raw("0"), 404).detail("Message not found"));
		cases.add(route.field(valid, "message_id", this.foreignAnswer, 403)
			.detail("Not authorized to access this message"));
		for (Object type : List.of(ABSENT, "", "THUMBS_UP", "like", "rating ", new Raw("1"), List.of("thumbs_up"),
				NUL)) {
			cases.add(route.field(valid, "feedback_type", type, 422));
		}
		cases.add(Case
			.refused(route.group, "feedback_type = null",
					() -> route.send(fields("message_id", this.answer, "feedback_type", null)), 422)
			.field("feedback_type"));
		Supplier<Map<String, Object>> rating = () -> fields("message_id", this.answer, "feedback_type", "rating",
				"rating", 3);
		for (Object value : List.of(new Raw("0"), new Raw("6"), new Raw("-1"), new Raw("1.5"), new Raw("2147483648"),
				new Raw("99999999999"), "five", List.of(3), ABSENT)) {
			cases.add(route.field(rating, "rating", value, 422));
		}
		for (Object comment : List.of("c".repeat(2001), NUL, LONE_SURROGATE, List.of("x"), Map.of())) {
			cases.add(route.field(valid, "comment", comment, 422));
		}
		Map<String, String> comments = new java.util.LinkedHashMap<>(legitimateTexts());
		comments.put("comment of 2000 characters", "c".repeat(2000));
		for (Map.Entry<String, String> comment : comments.entrySet()) {
			cases.add(Case
				.accepted(route.group, "comment: " + comment.getKey(), () -> route.send(fields("message_id",
						this.answer, "feedback_type", "thumbs_down", "comment", comment.getValue())), 200)
				.then((reply) -> {
					assertThat(reply.json().get("comment").asString()).isEqualTo(comment.getValue());
					assertThat(this.jdbc.queryForObject("select comment from message_feedback where id = ?",
							String.class, reply.json().get("id").asLong()))
						.as("stored")
						.isEqualTo(comment.getValue());
				}));
		}
		cases.add(Case
			.accepted(route.group, "rating given as a string",
					() -> route.send(fields("message_id", this.answer, "feedback_type", "rating", "rating", "4")), 200)
			.then((reply) -> assertThat(reply.json().get("rating").asInt()).isEqualTo(4)));
		return cases;
	}

	List<Case> sources() {
		String g = "chat: sources";
		List<Case> cases = new ArrayList<>();
		for (Object[] id : idValuesInPaths()) {
			cases.add(Case
				.refused(g, "message " + describe(id[0]),
						() -> get("/api/chat/messages/" + id[0] + "/sources", this.alice.bearerHeaders()), (int) id[1])
				.detail(((int) id[1] == 404) ? "Message not found" : null));
		}
		cases.add(Case.refused(g, "another user's message",
				() -> get("/api/chat/messages/" + this.foreignAnswer + "/sources", this.alice.bearerHeaders()), 403));
		cases.add(Case.refused(g, "without a token", () -> get("/api/chat/messages/" + this.answer + "/sources"), 401));
		cases.add(Case
			.accepted(g, "a question has no sources",
					() -> get("/api/chat/messages/" + this.question + "/sources", this.alice.bearerHeaders()), 200)
			.readOnly()
			.then((reply) -> {
				assertThat(reply.json().get("sources").size()).isZero();
				assertThat(reply.json().get("document_contents").size()).isZero();
			}));
		return cases;
	}

	// --- duplicate submissions ---

	List<Case> duplicates() {
		String g = "duplicates (chat)";
		List<Case> cases = new ArrayList<>();
		cases.add(Case.scenario(g, "feedback twice: the second replaces the first", () -> {
			Reply first = post("/api/chat/feedback",
					json(fields("message_id", this.answer, "feedback_type", "thumbs_up", "comment", "first")),
					this.alice.bearerHeaders());
			assertThat(first.status()).as(first.toString()).isEqualTo(200);
			int rows = this.jdbc.queryForObject("select count(*) from message_feedback", Integer.class);
			Reply second = post("/api/chat/feedback", json(
					fields("message_id", this.answer, "feedback_type", "rating", "rating", 2, "comment", "second")),
					this.alice.bearerHeaders());
			assertThat(second.status()).as(second.toString()).isEqualTo(200);
			assertThat(second.json().get("id").asLong()).isEqualTo(first.json().get("id").asLong());
			assertThat(second.json().get("feedback_type").asString()).isEqualTo("rating");
			assertThat(second.json().get("rating").asInt()).isEqualTo(2);
			assertThat(second.json().get("comment").asString()).isEqualTo("second");
			assertThat(this.jdbc.queryForObject("select count(*) from message_feedback", Integer.class))
				.isEqualTo(rows);
		}));
		cases.add(Case.scenario(g, "delete a session twice: gone with its messages and feedback, then 404", () -> {
			JsonNode chat = post("/api/chat/chat", json(fields("content", "to be deleted")), this.alice.bearerHeaders())
				.json();
			long id = chat.get("session_id").asLong();
			long message = chat.get("assistant_message").get("id").asLong();
			assertThat(post("/api/chat/feedback", json(fields("message_id", message, "feedback_type", "thumbs_up")),
					this.alice.bearerHeaders())
				.status()).isEqualTo(200);
			Reply first = delete("/api/chat/sessions/" + id, this.alice.bearerHeaders());
			assertThat(first.status()).as(first.toString()).isEqualTo(200);
			assertThat(first.json().get("message").asString()).isEqualTo("Chat session deleted successfully");
			assertThat(this.jdbc.queryForObject("select count(*) from chat_messages where session_id = ?",
					Integer.class, id))
				.isZero();
			assertThat(this.jdbc.queryForObject("select count(*) from message_feedback where message_id = ?",
					Integer.class, message))
				.isZero();
			Map<String, String> before = this.runner.fingerprint();
			Reply second = delete("/api/chat/sessions/" + id, this.alice.bearerHeaders());
			BadInputTests.assertRefused(second, 404, SESSION_NOT_FOUND);
			assertThat(this.runner.fingerprint()).isEqualTo(before);
		}));
		cases.add(Case.scenario(g, "the same question twice: two turns, nothing merged or lost", () -> {
			String body = json(fields("content", "asked twice", "session_id", this.session));
			int before = this.jdbc.queryForObject("select count(*) from chat_messages where session_id = ?",
					Integer.class, this.session);
			assertThat(post("/api/chat/chat", body, this.alice.bearerHeaders()).status()).isEqualTo(200);
			assertThat(post("/api/chat/chat", body, this.alice.bearerHeaders()).status()).isEqualTo(200);
			assertThat(this.jdbc.queryForObject("select count(*) from chat_messages where session_id = ?",
					Integer.class, this.session))
				.isEqualTo(before + 4);
		}));
		return cases;
	}

}
