package com.ragchat.platform;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import tools.jackson.databind.JsonNode;

import com.ragchat.support.ApiClient;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The machinery of the bad-input suites: a case is one request and what must come back (a
 * problem with a 4xx status, or a correct 2xx), and whether the database may change.
 * Every case is also checked for what must never happen: a 5xx, a body that is not a
 * problem, a detail that is not a readable string, internals (exception names, SQL, stack
 * frames) in the body, a changed database after a refusal, or a change to the rows of a
 * bystander who is not part of the request.
 */
final class BadInputSupport {

	/**
	 * Tables whose contents a refused request must leave alone. The rate-limit buckets
	 * are not among them: limits are off in the suites, and taking a token is not a
	 * half-written request.
	 */
	static final List<String> TABLES = List.of("users", "chat_sessions", "chat_messages", "message_feedback",
			"revoked_tokens", "oauth_authorization_requests", "oauth_handoff_codes", "knowledge_documents",
			"knowledge_chunks", "knowledge_state");

	/**
	 * What must never reach a client: exception names, SQL, stack frames, server
	 * internals.
	 */
	static final Pattern INTERNALS = Pattern.compile("(?i)(exception|\\bat (com|org|java|jdk)\\.|org\\.(postgresql|"
			+ "hibernate|springframework|apache)|java\\.|jdbc|psql|sqlstate|syntax error|stack ?trace|caused by|"
			+ "\\bselect\\b.+\\bfrom\\b|insert into|tomcat|catalina|<html|<!doctype)");

	private BadInputSupport() {
	}

	// --- Payloads ---

	/** SQL that would do damage if it ever reached a statement as text. */
	static final List<String> SQL = List.of("'; DROP TABLE users; --", "\" OR \"\"=\"", "' OR '1'='1",
			"1; DELETE FROM chat_messages WHERE 1=1; --", "$$; DROP TABLE chat_sessions; $$",
			"'); UPDATE users SET role='admin'; --", "' UNION SELECT password_hash FROM users --",
			"'; SELECT pg_sleep(10); --", "\\'; TRUNCATE knowledge_documents CASCADE; --");

	/** Markup and script that would run if anything rendered the value as HTML. */
	static final List<String> MARKUP = List.of("<script>alert(document.cookie)</script>",
			"<img src=x onerror=alert(1)>", "\"><svg/onload=alert(1)>", "javascript:alert(1)",
			"<iframe src=\"https://evil.example\"></iframe>", "{{7*7}} ${7*7} #{7*7} <%= 7*7 %>",
			"[click](javascript:alert(1))", "\"}],\"role\":\"admin\",\"x\":[{\"", "%s%n%x%d ../../etc/passwd",
			"line one\r\n[ERROR] forged log line\u2028\u2029");

	/**
	 * Text that is legitimate however unusual: it must be stored and returned exactly,
	 * one code point for another.
	 */
	static final Map<String, String> UNICODE = unicode();

	private static Map<String, String> unicode() {
		Map<String, String> texts = new LinkedHashMap<>();
		texts.put("emoji ZWJ sequence and skin tone", "Family 👩‍👩‍👧‍👦 and 👍🏽 ok");
		texts.put("flags", "🇺🇦 🇯🇵 🏳️‍🌈");
		texts.put("right-to-left Hebrew and Arabic", "שלום עולם — مرحبا بالعالم");
		texts.put("RTL override and isolates", "invoice\u202Egnp.exe \u2066isolated\u2069");
		texts.put("combining marks", "e\u0301 a\u0308 Z\u0351\u0352\u0353a\u0354\u0355lgo");
		texts.put("zero-width and BOM", "a\u200Bb\u200Cc\u200Dd\uFEFFe");
		texts.put("noncharacters and the last code point", "\uFFFE\uFFFF \uDBFF\uDFFF");
		texts.put("astral planes", "𝐁𝐨𝐥𝐝 𝔉𝔯𝔞𝔨𝔱𝔲𝔯 𠜎𠜱 🀄");
		texts.put("CJK, Thai, Devanagari", "漢字かなカナ 한국어 ภาษาไทย हिन्दी");
		texts.put("control characters", "tab\there\u0001\u001F\u007F\u0085 end");
		texts.put("backslashes and quotes", "C:\\Users\\x \\\" \\u0000 '\"`");
		return texts;
	}

	/** A string with U+0000 in the middle: PostgreSQL text cannot hold it. */
	static final String NUL = "before\u0000after";

	/**
	 * An unpaired surrogate as a JSON escape: valid JSON syntax, but not text (UTF-8
	 * cannot encode it). Sent as the escape, since a client library would replace the
	 * character itself before sending.
	 */
	static final Raw LONE_SURROGATE = new Raw("\"broken\\uD800text\"");

	// --- JSON ---

	/** A JSON value written as is, e.g. {@code 1e3} or a number too large for a long. */
	record Raw(String text) {

		@Override
		public String toString() {
			return this.text;
		}

	}

	/** A marker for a field left out of the body. */
	static final Object ABSENT = new Object() {

		@Override
		public String toString() {
			return "(absent)";
		}

	};

	/** Key/value pairs as an ordered map (values may be null, {@link Raw} or absent). */
	static Map<String, Object> fields(Object... pairs) {
		Map<String, Object> map = new LinkedHashMap<>();
		for (int i = 0; i + 1 < pairs.length; i += 2) {
			map.put((String) pairs[i], pairs[i + 1]);
		}
		return map;
	}

	/** {@code base} with {@code field} set to {@code value} (or removed, for ABSENT). */
	static Map<String, Object> with(Map<String, Object> base, String field, Object value) {
		Map<String, Object> copy = new LinkedHashMap<>(base);
		copy.put(field, value);
		return copy;
	}

	/** The JSON text of a map whose values may be {@link Raw}. */
	static String json(Map<String, Object> fields) {
		StringBuilder out = new StringBuilder("{");
		for (Map.Entry<String, Object> entry : fields.entrySet()) {
			if (entry.getValue() == ABSENT) {
				continue;
			}
			if (out.length() > 1) {
				out.append(',');
			}
			out.append(ApiClient.JSON.writeValueAsString(entry.getKey())).append(':');
			out.append((entry.getValue() instanceof Raw raw) ? raw.text()
					: ApiClient.JSON.writeValueAsString(entry.getValue()));
		}
		return out.append('}').toString();
	}

	/** A short description of a value for a case name. */
	static String describe(Object value) {
		if (value == null) {
			return "null";
		}
		String text = (value instanceof String s) ? '"' + s + '"' : String.valueOf(value);
		text = text.replace("\u0000", "\\0").replaceAll("[\\p{Cntrl}\\p{Cf}\\p{Cs}]", "·");
		return (text.length() > 40) ? text.substring(0, 37) + "…(" + text.length() + ")" : text;
	}

	/** A JSON object whose {@code field} holds arrays nested {@code depth} deep. */
	static String deeplyNested(String field, int depth) {
		return "{\"" + field + "\": " + "[".repeat(depth) + "]".repeat(depth) + "}";
	}

	static byte[] bytes(String... parts) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (String part : parts) {
			out.writeBytes(part.getBytes(StandardCharsets.UTF_8));
		}
		return out.toByteArray();
	}

	static byte[] concat(byte[]... parts) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (byte[] part : parts) {
			out.writeBytes(part);
		}
		return out.toByteArray();
	}

	/** Byte sequences that are not UTF-8, with a name each. */
	static final Map<String, byte[]> INVALID_UTF8 = invalidUtf8();

	private static Map<String, byte[]> invalidUtf8() {
		Map<String, byte[]> sequences = new LinkedHashMap<>();
		sequences.put("a lone continuation byte", new byte[] { (byte) 0x80 });
		sequences.put("bytes 0xFF 0xFE", new byte[] { (byte) 0xFF, (byte) 0xFE });
		sequences.put("an overlong '/'", new byte[] { (byte) 0xC0, (byte) 0xAF });
		sequences.put("a truncated euro sign", new byte[] { (byte) 0xE2, (byte) 0x82 });
		sequences.put("a UTF-8-encoded surrogate (CESU-8)", new byte[] { (byte) 0xED, (byte) 0xA0, (byte) 0x80 });
		sequences.put("a code point above U+10FFFF", new byte[] { (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80 });
		sequences.put("Latin-1 'café'", new byte[] { 'c', 'a', 'f', (byte) 0xE9 });
		return sequences;
	}

	// --- Replies ---

	/** A response, from {@link ApiClient} or from a raw socket. */
	record Reply(int status, Map<String, List<String>> headers, String body) {

		static Reply of(ApiClient.Response response) {
			return new Reply(response.status(), response.raw().headers().map(), response.body());
		}

		String header(String name) {
			for (Map.Entry<String, List<String>> entry : this.headers.entrySet()) {
				if (entry.getKey().equalsIgnoreCase(name) && !entry.getValue().isEmpty()) {
					return entry.getValue().get(0);
				}
			}
			return null;
		}

		String contentType() {
			String type = header("Content-Type");
			return (type != null) ? type : "";
		}

		JsonNode json() {
			return ApiClient.JSON.readTree(this.body);
		}

		@Override
		public String toString() {
			String shown = (this.body.length() > 600) ? this.body.substring(0, 600) + "…" : this.body;
			return this.status + " " + contentType() + " " + shown;
		}

	}

	/**
	 * Sends bytes on a plain socket, for requests a well-behaved client cannot make (an
	 * invalid request line, a NUL in a header, a conflicting length) and reads the
	 * response to its end.
	 */
	static Reply raw(int port, byte[] request) {
		try (Socket socket = new Socket("127.0.0.1", port)) {
			socket.setSoTimeout(15_000);
			OutputStream out = socket.getOutputStream();
			out.write(request);
			out.flush();
			InputStream in = socket.getInputStream();
			ByteArrayOutputStream received = new ByteArrayOutputStream();
			byte[] buffer = new byte[8192];
			int read;
			while ((read = in.read(buffer)) >= 0) {
				received.write(buffer, 0, read);
				if (complete(received.toByteArray())) {
					break;
				}
			}
			return parse(received.toByteArray());
		}
		catch (IOException ex) {
			throw new IllegalStateException("raw request failed: " + ex, ex);
		}
	}

	/** The request line and headers (CRLF each) followed by {@code body}. */
	static byte[] rawRequest(String head, byte[] body) {
		return concat(head.getBytes(StandardCharsets.ISO_8859_1), body);
	}

	private static boolean complete(byte[] received) {
		int end = indexOf(received, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
		if (end < 0) {
			return false;
		}
		String head = new String(received, 0, end, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
		byte[] body = Arrays.copyOfRange(received, end + 4, received.length);
		if (head.contains("transfer-encoding: chunked")) {
			return new String(body, StandardCharsets.ISO_8859_1).endsWith("0\r\n\r\n");
		}
		java.util.regex.Matcher length = Pattern.compile("content-length: (\\d+)").matcher(head);
		return length.find() && body.length >= Integer.parseInt(length.group(1));
	}

	private static Reply parse(byte[] received) {
		int end = indexOf(received, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
		assertThat(end).as("a complete HTTP response head in: %s", new String(received, StandardCharsets.ISO_8859_1))
			.isPositive();
		String[] lines = new String(received, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
		int status = Integer.parseInt(lines[0].split(" ")[1]);
		Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		for (int i = 1; i < lines.length; i++) {
			int colon = lines[i].indexOf(':');
			headers.computeIfAbsent(lines[i].substring(0, colon).strip(), (k) -> new ArrayList<>())
				.add(lines[i].substring(colon + 1).strip());
		}
		byte[] body = Arrays.copyOfRange(received, end + 4, received.length);
		List<String> encoding = headers.getOrDefault("Transfer-Encoding", List.of());
		if (encoding.stream().anyMatch((value) -> value.equalsIgnoreCase("chunked"))) {
			body = dechunk(body);
		}
		return new Reply(status, headers, new String(body, StandardCharsets.UTF_8));
	}

	private static byte[] dechunk(byte[] body) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		int position = 0;
		while (position < body.length) {
			int lineEnd = indexOf(Arrays.copyOfRange(body, position, body.length),
					"\r\n".getBytes(StandardCharsets.US_ASCII));
			if (lineEnd < 0) {
				break;
			}
			String sizeLine = new String(body, position, lineEnd, StandardCharsets.ISO_8859_1);
			int size = Integer.parseInt(sizeLine.split(";")[0].strip(), 16);
			position += lineEnd + 2;
			if (size == 0) {
				break;
			}
			out.write(body, position, Math.min(size, body.length - position));
			position += size + 2;
		}
		return out.toByteArray();
	}

	private static int indexOf(byte[] data, byte[] pattern) {
		outer: for (int i = 0; i + pattern.length <= data.length; i++) {
			for (int j = 0; j < pattern.length; j++) {
				if (data[i + j] != pattern[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

	/**
	 * A publisher for bytes of no declared length, so that the client sends them chunked.
	 */
	static HttpRequest.BodyPublisher chunked(byte[] body) {
		return HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body));
	}

	// --- Cases ---

	/** One request of the table and what must come back. */
	static final class Case {

		final String group;

		final String name;

		final Supplier<Reply> request;

		final Set<Integer> statuses = new LinkedHashSet<>();

		final boolean problem;

		boolean unchanged;

		String detail;

		String detailPrefix;

		String field;

		final List<Consumer<Reply>> checks = new ArrayList<>();

		Runnable scenario;

		private Case(String group, String name, Supplier<Reply> request, boolean problem, int... statuses) {
			this.group = group;
			this.name = name;
			this.request = request;
			this.problem = problem;
			this.unchanged = problem;
			for (int status : statuses) {
				this.statuses.add(status);
			}
		}

		/**
		 * A request that must be refused with one of {@code statuses} (4xx) and a problem
		 * body, leaving the database exactly as it was.
		 */
		static Case refused(String group, String name, Supplier<Reply> request, int... statuses) {
			for (int status : statuses) {
				assertThat(status).as("a refusal is a 4xx").isBetween(400, 499);
			}
			return new Case(group, name, request, true, statuses);
		}

		/**
		 * A legitimate request that must succeed with {@code status}; {@code check}
		 * proves the answer is correct (e.g. the text comes back exactly).
		 */
		static Case accepted(String group, String name, Supplier<Reply> request, int status) {
			assertThat(status).as("an acceptance is a 2xx or 3xx").isBetween(200, 399);
			return new Case(group, name, request, false, status);
		}

		/**
		 * A sequence of requests with its own assertions (a duplicate submission and what
		 * the second one gets).
		 */
		static Case scenario(String group, String name, Runnable steps) {
			Case c = new Case(group, name, null, false);
			c.scenario = steps;
			return c;
		}

		/** The problem's detail must be exactly this text. */
		Case detail(String detail) {
			this.detail = detail;
			return this;
		}

		/** The problem's detail must start with this text. */
		Case detailStartingWith(String prefix) {
			this.detailPrefix = prefix;
			return this;
		}

		/** The problem must name this field in {@code errors}. */
		Case field(String field) {
			this.field = field;
			return this;
		}

		Case then(Consumer<Reply> check) {
			this.checks.add(check);
			return this;
		}

		/** A successful request that must not change the database (a read). */
		Case readOnly() {
			this.unchanged = true;
			return this;
		}

		String displayName() {
			return (this.scenario != null) ? this.name : this.name + " → " + this.statuses;
		}

	}

	/**
	 * Runs cases and keeps count per group, so that a suite can report how many cases it
	 * ran.
	 */
	static final class Runner {

		private final JdbcTemplate jdbc;

		private final Supplier<String> bystander;

		private final Map<String, Integer> counts = new LinkedHashMap<>();

		/**
		 * @param bystander a fingerprint of rows no case may touch, refused or not
		 */
		Runner(JdbcTemplate jdbc, Supplier<String> bystander) {
			this.jdbc = jdbc;
			this.bystander = bystander;
		}

		/** The cases as dynamic tests, one container per group, in order. */
		Stream<DynamicNode> tests(List<Case> cases) {
			Map<String, List<Case>> groups = new LinkedHashMap<>();
			for (Case c : cases) {
				groups.computeIfAbsent(c.group, (g) -> new ArrayList<>()).add(c);
			}
			Set<String> names = new LinkedHashSet<>();
			for (Case c : cases) {
				assertThat(names.add(c.group + "/" + c.name)).as("case names are unique: %s", c.name).isTrue();
			}
			groups.forEach((group, list) -> this.counts.merge(group, list.size(), Integer::sum));
			return groups.entrySet()
				.stream()
				.map((entry) -> DynamicContainer.dynamicContainer(entry.getKey(),
						entry.getValue().stream().map((c) -> DynamicTest.dynamicTest(c.displayName(), () -> run(c)))));
		}

		Map<String, Integer> counts() {
			return this.counts;
		}

		void run(Case c) {
			// A request that may not change anything is compared against every table
			// (which covers the bystander); one that may is checked for the bystander.
			Map<String, String> before = c.unchanged ? fingerprint() : null;
			String bystanderBefore = c.unchanged ? null : this.bystander.get();
			if (c.scenario != null) {
				c.scenario.run();
			}
			else {
				Reply reply = c.request.get();
				assertThat(reply.status()).as("%s: never a 5xx: %s", c.name, reply).isLessThan(500);
				assertThat(c.statuses).as("%s: status of %s", c.name, reply).contains(reply.status());
				if (c.problem) {
					assertProblem(reply, c);
				}
				else {
					assertThat(reply.contentType()).as("%s: never a problem on success", c.name)
						.doesNotStartWith("application/problem+json");
				}
				assertNoInternals(reply);
				for (Consumer<Reply> check : c.checks) {
					check.accept(reply);
				}
			}
			if (c.unchanged) {
				assertThat(fingerprint()).as("%s: the database is unchanged", c.name).isEqualTo(before);
			}
			else {
				assertThat(this.bystander.get()).as("%s: nobody else's rows changed", c.name)
					.isEqualTo(bystanderBefore);
			}
		}

		/** Row count and a digest of every row, per table. */
		Map<String, String> fingerprint() {
			StringBuilder sql = new StringBuilder();
			for (String table : TABLES) {
				if (!sql.isEmpty()) {
					sql.append(" union all ");
				}
				sql.append("select '")
					.append(table)
					.append("', count(*) || ':' || md5(coalesce(string_agg(x::text, '|' order by x::text), '')) from ")
					.append(table)
					.append(" x");
			}
			Map<String, String> result = new TreeMap<>();
			this.jdbc.query(sql.toString(), (rs) -> {
				result.put(rs.getString(1), rs.getString(2));
			});
			assertThat(result).as("every table still exists").containsOnlyKeys(TABLES);
			return result;
		}

	}

	/** A 4xx problem (RFC 9457) with a readable detail and the expected specifics. */
	static void assertProblem(Reply reply, Case c) {
		assertThat(reply.contentType()).as("%s: a problem body: %s", c.name, reply)
			.startsWith("application/problem+json");
		JsonNode body = reply.json();
		assertThat(body.get("type").isString()).as("type").isTrue();
		assertThat(body.get("title").isString()).as("title").isTrue();
		assertThat(body.get("status").asInt()).as("status in the body").isEqualTo(reply.status());
		JsonNode detail = body.get("detail");
		assertThat(detail != null && detail.isString()).as("%s: detail is a string: %s", c.name, reply).isTrue();
		assertThat(detail.asString()).as("a readable detail").isNotBlank().hasSizeLessThan(400).doesNotContain("{");
		String requestId = reply.header("X-Request-ID");
		assertThat(requestId).as("%s: X-Request-ID on every response", c.name).isNotBlank();
		assertThat(body.get("request_id").asString()).as("request_id").isEqualTo(requestId);
		if (c.detail != null) {
			assertThat(detail.asString()).as(c.name).isEqualTo(c.detail);
		}
		if (c.detailPrefix != null) {
			assertThat(detail.asString()).as(c.name).startsWith(c.detailPrefix);
		}
		if (c.field != null) {
			JsonNode errors = body.get("errors");
			assertThat(errors).as("%s: errors name the field: %s", c.name, reply).isNotNull();
			assertThat(errors.findValuesAsString("field")).as(c.name).contains(c.field);
		}
	}

	/**
	 * Nothing in the body but what the API means to say. {@code instance} is left out: it
	 * repeats the request path, which may be the payload itself.
	 */
	static void assertNoInternals(Reply reply) {
		String text = reply.body();
		if (reply.contentType().startsWith("application/problem+json")) {
			JsonNode body = reply.json();
			StringBuilder shown = new StringBuilder();
			for (Iterator<Map.Entry<String, JsonNode>> it = body.properties().iterator(); it.hasNext();) {
				Map.Entry<String, JsonNode> property = it.next();
				if (!property.getKey().equals("instance")) {
					shown.append(property.getKey()).append('=').append(property.getValue()).append('\n');
				}
			}
			text = shown.toString();
			assertThat(text).as("no internals in %s", reply).doesNotContainPattern(INTERNALS);
		}
		else if (reply.status() >= 400) {
			assertThat(text).as("no internals in %s", reply).doesNotContainPattern(INTERNALS);
		}
	}

	/** A report line per group and the total, for the suite's output. */
	static String report(String suite, Map<String, Integer> counts) {
		StringBuilder out = new StringBuilder(suite).append(" cases:");
		int total = 0;
		for (Map.Entry<String, Integer> entry : counts.entrySet()) {
			out.append("\n  ").append(entry.getKey()).append(": ").append(entry.getValue());
			total += entry.getValue();
		}
		return out.append("\n  total: ").append(total).toString();
	}

}
