package com.ragchat.platform;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

import com.ragchat.platform.BadInputSupport.Case;
import com.ragchat.platform.BadInputSupport.Raw;
import com.ragchat.platform.BadInputSupport.Reply;
import com.ragchat.support.ApiClient;
import com.ragchat.support.TestUsers;
import com.ragchat.support.TestUsers.TestUser;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static com.ragchat.platform.BadInputSupport.INVALID_UTF8;
import static com.ragchat.platform.BadInputSupport.bytes;
import static com.ragchat.platform.BadInputSupport.concat;
import static com.ragchat.platform.BadInputSupport.json;
import static com.ragchat.platform.BadInputSupport.with;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application every bad-input suite runs against, one context for all of them: the
 * mock model (its answer repeats the question, so a question's round trip through the
 * pipeline is visible), the built-in knowledge base as retriever (so its admin routes
 * exist) starting empty, a 1 MB upload limit (so "too large" is cheap to send), and
 * GitHub sign-in configured with dummy credentials (so its routes are reachable; nothing
 * calls GitHub). It has a database of its own, so that comparing whole tables before and
 * after a request is exact. Users are created once per class.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "ragchat.test.own-datasource=true", "LLM_PROVIDER=mock", "RETRIEVER_PROVIDER=local",
				"KNOWLEDGE_IMPORT_DIR=none", "KNOWLEDGE_MAX_UPLOAD_MB=1", "OAUTH_GITHUB_CLIENT_ID=bad-input-client",
				"OAUTH_GITHUB_CLIENT_SECRET=bad-input-secret" })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BadInputTestBase {

	private static final TestDatabase.Info DATABASE = TestDatabase.createEmptyDatabase();

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		registry.add("spring.datasource.url", DATABASE::url);
		registry.add("spring.datasource.username", DATABASE::username);
		registry.add("spring.datasource.password", DATABASE::password);
	}

	@LocalServerPort
	int port;

	@Autowired
	JdbcTemplate jdbc;

	ApiClient api;

	/** Someone whose rows no case may touch. */
	TestUser bystander;

	BadInputSupport.Runner runner;

	@BeforeAll
	void startClientAndBystander() {
		this.api = new ApiClient(this.port);
		this.bystander = TestUsers.register(this.api);
		Reply chat = post("/api/chat/chat", json(BadInputSupport.fields("content", "The bystander's question")),
				this.bystander.bearerHeaders());
		assertThat(chat.status()).as(chat.toString()).isEqualTo(200);
		long answer = chat.json().get("assistant_message").get("id").asLong();
		Reply feedback = post("/api/chat/feedback",
				json(BadInputSupport.fields("message_id", answer, "feedback_type", "thumbs_up", "comment", "fine")),
				this.bystander.bearerHeaders());
		assertThat(feedback.status()).as(feedback.toString()).isEqualTo(200);
		this.runner = new BadInputSupport.Runner(this.jdbc, this::bystanderRows);
	}

	@AfterAll
	void report() {
		System.out.println(BadInputSupport.report(getClass().getSimpleName(), this.runner.counts()));
	}

	String bystanderRows() {
		long id = this.bystander.id();
		return this.jdbc.queryForObject("select count(*) || ':' || md5(coalesce(string_agg(r, '|' order by r), '')) "
				+ "from (select u::text r from users u where u.id = ? "
				+ "union all select s::text from chat_sessions s where s.user_id = ? "
				+ "union all select m::text from chat_messages m join chat_sessions s on s.id = m.session_id "
				+ "where s.user_id = ? union all select f::text from message_feedback f where f.user_id = ?) rows",
				String.class, id, id, id, id);
	}

	// --- Requests ---

	Reply get(String path, String... headers) {
		return Reply.of(this.api.get(path, headers));
	}

	Reply delete(String path, String... headers) {
		return Reply.of(this.api.delete(path, headers));
	}

	Reply post(String path, String json, String... headers) {
		return send("POST", path, json.getBytes(StandardCharsets.UTF_8), "application/json", headers);
	}

	/** {@code body} as is, with {@code contentType} (none when null). */
	Reply send(String method, String path, byte[] body, String contentType, String... headers) {
		String[] all = (contentType != null) ? TestUser.with(headers, "Content-Type", contentType) : headers;
		return Reply.of(this.api.send(method, path, HttpRequest.BodyPublishers.ofByteArray(body), all));
	}

	/** {@code body} without a length, in chunks. */
	Reply sendChunked(String method, String path, byte[] body, String contentType, String... headers) {
		return Reply.of(this.api.send(method, path, BadInputSupport.chunked(body),
				TestUser.with(headers, "Content-Type", contentType)));
	}

	Reply postForm(String path, String encodedForm, String... headers) {
		return send("POST", path, encodedForm.getBytes(StandardCharsets.ISO_8859_1),
				"application/x-www-form-urlencoded", headers);
	}

	/**
	 * A GET whose target is sent as is (for percent-encoding that {@code java.net.URI}
	 * refuses to build).
	 */
	Reply rawGet(String target, String... headers) {
		StringBuilder head = new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
		for (int i = 0; i + 1 < headers.length; i += 2) {
			head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
		}
		return raw(head.append("Connection: close\r\n\r\n").toString(), new byte[0]);
	}

	Reply raw(String head, byte[] body) {
		return BadInputSupport.raw(this.port, BadInputSupport.rawRequest(head, body));
	}

	// --- A JSON route and the battery every JSON route gets ---

	/** A route that takes a JSON body, with the headers of the caller. */
	final class JsonRoute {

		final String group;

		final String method;

		final String path;

		final Supplier<String[]> headers;

		/** What GET on the route's path answers (0: GET is a route of its own there). */
		int getStatus = 405;

		JsonRoute(String group, String method, String path, Supplier<String[]> headers) {
			this.group = group;
			this.method = method;
			this.path = path;
			this.headers = headers;
		}

		JsonRoute getAnswers(int status) {
			this.getStatus = status;
			return this;
		}

		Reply send(String body) {
			return BadInputTestBase.this.send(this.method, this.path, body.getBytes(StandardCharsets.UTF_8),
					"application/json", this.headers.get());
		}

		Reply send(Map<String, Object> body) {
			return send(json(body));
		}

		Reply sendBytes(byte[] body, String contentType) {
			return BadInputTestBase.this.send(this.method, this.path, body, contentType, this.headers.get());
		}

		/** A case: {@code field} set to {@code value} in an otherwise valid body. */
		Case field(Supplier<Map<String, Object>> valid, String field, Object value, int status) {
			String name = field + " = " + BadInputSupport.describe(value);
			Case c = Case.refused(this.group, name, () -> send(with(valid.get(), field, value)), status);
			return (status == 422 && !(value instanceof Raw)) ? c.field(field) : c;
		}

	}

	/**
	 * What every JSON route must refuse whatever it expects: bodies that are not JSON,
	 * not an object, nested too deeply, not UTF-8, too large, of another media type, or
	 * sent with the wrong method. {@code textField} is a string field of the valid body
	 * that the invalid bytes are put into.
	 */
	List<Case> jsonBattery(JsonRoute route, Supplier<Map<String, Object>> valid, String textField,
			String[] wrongMethodHeaders) {
		String g = route.group;
		List<Case> cases = new ArrayList<>();
		String notJson = "The request body is not valid JSON.";
		String notObject = "The request body does not have the expected shape (a JSON object).";
		String missing = "The request body is missing or cannot be read.";
		cases.add(Case.refused(g, "body: truncated JSON", () -> route.send("{\"" + textField + "\": \"x"), 422)
			.detail(notJson));
		cases.add(Case.refused(g, "body: single-quoted keys", () -> route.send("{'" + textField + "': 'x'}"), 422)
			.detail(notJson));
		cases.add(Case.refused(g, "body: NaN", () -> route.send("{\"" + textField + "\": NaN}"), 422).detail(notJson));
		cases.add(Case.refused(g, "body: trailing garbage", () -> route.send(json(valid.get()) + "xyz"), 422)
			.detail(notJson));
		cases.add(Case.refused(g, "body: a JSON array", () -> route.send("[]"), 422).detail(notObject));
		cases.add(Case.refused(g, "body: a JSON string", () -> route.send("\"text\""), 422).detail(notObject));
		cases.add(Case.refused(g, "body: a JSON number", () -> route.send("42"), 422).detail(notObject));
		cases.add(Case.refused(g, "body: JSON null", () -> route.send("null"), 422).detail(missing));
		cases.add(Case.refused(g, "body: empty", () -> route.send(""), 422).detail(missing));
		cases.add(Case.refused(g, "body: whitespace only", () -> route.send(" \n\t "), 422));
		cases.add(Case.refused(g, "body: empty object", () -> route.send("{}"), 422));
		cases.add(Case
			.refused(g, "body: nested 200 deep", () -> route.send(BadInputSupport.deeplyNested("extra", 200)), 422)
			.detail("The request body is too large or too deeply nested."));
		for (Map.Entry<String, byte[]> bad : INVALID_UTF8.entrySet()) {
			cases.add(Case.refused(g, "invalid UTF-8 in " + textField + ": " + bad.getKey(),
					() -> route.sendBytes(withBytes(valid.get(), textField, bad.getValue()), "application/json"), 422)
				.detail("The request body is not valid UTF-8."));
		}
		cases.add(Case.refused(g, "content type text/plain",
				() -> route.sendBytes(bytes(json(valid.get())), "text/plain"), 415));
		cases.add(Case.refused(g, "content type form-urlencoded",
				() -> route.sendBytes(bytes(textField + "=x"), "application/x-www-form-urlencoded"), 415));
		cases.add(Case.refused(g, "no content type", () -> route.sendBytes(bytes(json(valid.get())), null), 415));
		cases.add(Case.refused(g, "unknown charset",
				() -> route.sendBytes(bytes(json(valid.get())), "application/json; charset=no-such-charset"), 415));
		cases.add(Case.refused(g, "content type XML",
				() -> route.sendBytes(bytes("<" + textField + ">x</" + textField + ">"), "application/xml"), 415));
		cases.add(Case
			.refused(g, "body over 1 MB with a length",
					() -> route.send(with(valid.get(), textField, "a".repeat(1_100_000))), 413)
			.detail("The request body is too large (at most 1048576 bytes)."));
		cases.add(Case.refused(g, "body over 2 MB in chunks",
				() -> sendChunked(route.method, route.path,
						bytes(json(with(valid.get(), textField, "a".repeat(2_500_000)))), "application/json",
						route.headers.get()),
				413, 422));
		String other = route.method.equals("PATCH") ? "PUT" : "PATCH";
		cases.add(Case.refused(g, "method " + other,
				() -> send(other, route.path, bytes(json(valid.get())), "application/json", wrongMethodHeaders), 405));
		if (route.getStatus != 0) {
			cases.add(Case.refused(g, "method GET", () -> get(route.path, wrongMethodHeaders), route.getStatus));
		}
		return cases;
	}

	/**
	 * The JSON of {@code valid} with {@code bad} bytes inside the string value of
	 * {@code field}.
	 */
	static byte[] withBytes(Map<String, Object> valid, String field, byte[] bad) {
		String marker = "BAD_BYTES_HERE";
		String text = json(with(valid, field, new Raw("\"x" + marker + "y\"")));
		int at = text.indexOf(marker);
		return concat(bytes(text.substring(0, at)), bad, bytes(text.substring(at + marker.length())));
	}

	/**
	 * Every number-shaped thing that is not a valid id, and what each must get: values a
	 * long cannot hold are a 422, ids nobody has are a 404.
	 */
	static List<Object[]> idValuesInPaths() {
		return Arrays.asList(new Object[] { "-1", 404 }, new Object[] { "0", 404 },
				new Object[] { "9223372036854775807", 404 }, new Object[] { "-9223372036854775808", 404 },
				new Object[] { "9223372036854775808", 422 }, new Object[] { "-9223372036854775809", 422 },
				new Object[] { "1e3", 422 }, new Object[] { "1.0", 422 }, new Object[] { "abc", 422 },
				new Object[] { "0x10", 422 }, new Object[] { "%2310", 422 }, new Object[] { "%2B1", 422 },
				new Object[] { "%201", 422 }, new Object[] { "1%20", 422 }, new Object[] { "%D9%A3", 422 },
				new Object[] { "NaN", 422 }, new Object[] { "Infinity", 422 }, new Object[] { "true", 422 },
				new Object[] { "'%20OR%201=1", 422 },
				// The firewall refuses a ';' in a path before any controller.
				new Object[] { "1;DROP%20TABLE%20users", 400 }, new Object[] { "9".repeat(20), 422 },
				new Object[] { "1".repeat(300), 422 }, new Object[] { "7".repeat(5000), 422 });
	}

	/** Ids in JSON bodies that no row has or that are not ids at all. */
	static List<Object[]> idValuesInJson() {
		return Arrays.asList(new Object[] { new Raw("-1"), 404 }, new Object[] { new Raw("9223372036854775807"), 404 },
				new Object[] { new Raw("-9223372036854775808"), 404 },
				new Object[] { new Raw("9223372036854775808"), 422 },
				new Object[] { new Raw("-9223372036854775809"), 422 }, new Object[] { new Raw("1e3"), 422 },
				new Object[] { new Raw("1.5"), 422 }, new Object[] { new Raw("1.0"), 422 },
				new Object[] { new Raw("1e400"), 422 }, new Object[] { new Raw("9".repeat(101)), 422 },
				new Object[] { new Raw("true"), 422 }, new Object[] { new Raw("[1]"), 422 },
				new Object[] { new Raw("{\"id\": 1}"), 422 }, new Object[] { "abc", 422 }, new Object[] { "", 422 },
				new Object[] { "0x10", 422 }, new Object[] { "1; DROP TABLE users", 422 });
	}

}
