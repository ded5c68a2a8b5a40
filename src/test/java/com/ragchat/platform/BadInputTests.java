package com.ragchat.platform;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import com.ragchat.platform.BadInputSupport.Case;
import com.ragchat.platform.BadInputSupport.Raw;
import com.ragchat.platform.BadInputSupport.Reply;
import com.ragchat.support.TestUsers;
import com.ragchat.support.TestUsers.TestUser;

import static com.ragchat.platform.BadInputSupport.ABSENT;
import static com.ragchat.platform.BadInputSupport.LONE_SURROGATE;
import static com.ragchat.platform.BadInputSupport.MARKUP;
import static com.ragchat.platform.BadInputSupport.NUL;
import static com.ragchat.platform.BadInputSupport.SQL;
import static com.ragchat.platform.BadInputSupport.bytes;
import static com.ragchat.platform.BadInputSupport.fields;
import static com.ragchat.platform.BadInputSupport.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input against the account routes (register, the three sign-ins, logout, me,
 * password change, OAuth start, callback and handoff), the service routes (health,
 * readiness, metrics, the pool snapshot, the root) and the HTTP layer itself (request
 * lines and headers no client library would send), over real HTTP. Every case gets a 4xx
 * problem, or a correct 2xx (or the contract's redirect), and a refusal leaves every
 * table as it was. The chat routes are in {@link BadInputChatTests}, the knowledge base's
 * in {@link BadInputKnowledgeTests}.
 */
class BadInputTests extends BadInputTestBase {

	private static final String INCORRECT = "Incorrect username or password";

	private static final String NOT_AUTHENTICATED = "Not authenticated. Please sign in.";

	TestUser alice;

	@BeforeAll
	void users() {
		this.alice = TestUsers.register(this.api);
	}

	@TestFactory
	java.util.stream.Stream<DynamicNode> badInput() {
		List<Case> cases = new ArrayList<>();
		cases.addAll(register());
		cases.addAll(loginJson());
		cases.addAll(formSignIn("auth: login (form)", "/api/auth/login"));
		cases.addAll(formSignIn("auth: token (form)", "/api/auth/token"));
		cases.addAll(logout());
		cases.addAll(me());
		cases.addAll(passwordChange());
		cases.addAll(oauthStart());
		cases.addAll(oauthCallback());
		cases.addAll(handoff());
		cases.addAll(apiKeys());
		cases.addAll(service());
		cases.addAll(httpLayer());
		cases.addAll(corsHeaders());
		cases.addAll(contentTypeHeaders());
		cases.addAll(duplicates());
		return this.runner.tests(cases);
	}

	// --- personal API keys ---

	List<Case> apiKeys() {
		JsonRoute route = new JsonRoute("auth: create API key", "POST", "/api/auth/api-keys", this.alice::bearerHeaders)
			.getAnswers(0);
		Supplier<Map<String, Object>> valid = () -> fields("name", fresh("key "), "expires_in_days", 30);
		List<Case> cases = new ArrayList<>(jsonBattery(route, valid, "name", this.alice.bearerHeaders()));
		List<Object> badNames = new ArrayList<>(
				List.of("", "   ", "x".repeat(101), "tab\tname", "line\nbreak", NUL, List.of("x"), Map.of("x", 1)));
		cases.add(route.field(valid, "name", ABSENT, 422));
		cases.add(route.field(valid, "name", null, 422));
		for (Object name : badNames) {
			cases.add(route.field(valid, "name", name, 422));
		}
		for (Object days : List.of(0, -1, 3651, "soon", 1.5, true, List.of(1), new Raw("1e400"))) {
			cases.add(route.field(valid, "expires_in_days", days, 422));
		}
		for (Object[] id : idValuesInPaths()) {
			cases.add(Case.refused("auth: delete API key", "id " + id[0],
					() -> send("DELETE", "/api/auth/api-keys/" + id[0], new byte[0], null, this.alice.bearerHeaders()),
					(int) id[1]));
		}
		return cases;
	}

	// --- register ---

	static String fresh(String prefix) {
		return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
	}

	List<Case> register() {
		JsonRoute route = new JsonRoute("auth: register", "POST", "/api/auth/register", () -> new String[0]);
		Supplier<Map<String, Object>> valid = () -> {
			String name = fresh("r_");
			return fields("username", name, "email", name + "@example.com", "password", "long-enough-password");
		};
		List<Case> cases = new ArrayList<>(jsonBattery(route, valid, "username", this.alice.bearerHeaders()));
		for (String field : List.of("username", "email", "password")) {
			cases.add(route.field(valid, field, ABSENT, 422));
			cases.add(route.field(valid, field, null, 422));
			cases.add(route.field(valid, field, List.of("x"), 422));
			cases.add(route.field(valid, field, Map.of("x", 1), 422));
		}
		List<Object> badNames = new ArrayList<>(List.of("", "ab", "a".repeat(65), "has space", "tab\tname", NUL,
				"ünïcödé", "שלום123", "emoji😀name", LONE_SURROGATE, "../../etc/passwd", "a/b", "name\n"));
		badNames.addAll(SQL);
		badNames.addAll(MARKUP);
		for (Object name : badNames) {
			cases.add(route.field(valid, "username", name, 422));
		}
		for (Object email : List.of("", "   ", "plain", "a@b", "@example.com", "a@@example.com", "a b@example.com",
				"a@example.com\n", "a\u0000b@example.com", new Raw("\"x\\uD800@example.com\""),
				"a".repeat(309) + "@example.com", "<script>alert(1)</script>@example.com",
				"'; DROP TABLE users; --@example.com")) {
			cases.add(route.field(valid, "email", email, 422));
		}
		for (String password : List.of("", "short12", "p".repeat(129))) {
			cases.add(route.field(valid, "password", password, 422));
		}
		// Legitimate registrations at the edges: stored, and the account signs in with
		// exactly what was sent.
		cases.add(registers(route, "username of 3 characters", fresh("").substring(0, 3), null, null));
		cases.add(registers(route, "username of 64 characters", fresh("u64_") + "x".repeat(48), null, null));
		cases.add(registers(route, "username with every allowed symbol", fresh("a.b_c-"), null, null));
		cases.add(registers(route, "email with a quote and a plus", null, fresh("o'hara+") + "@example.com", null));
		cases.add(registers(route, "email that looks like SQL", null, fresh("x'or'1'='1") + "@example.com", null));
		cases.add(registers(route, "password of 8 characters", null, null, "12345678"));
		cases.add(registers(route, "password of 128 characters", null, null, "p".repeat(128)));
		cases.add(registers(route, "password with NUL", null, null, "pass\u0000word-1"));
		cases.add(registers(route, "password of emoji", null, null, "🔑🔑🔑🔑🔑🔑🔑🔑"));
		cases.add(registers(route, "password that looks like SQL", null, null, "' OR '1'='1'; --"));
		return cases;
	}

	private Case registers(JsonRoute route, String name, String username, String email, String password) {
		String user = (username != null) ? username : fresh("r_");
		String mail = (email != null) ? email : user + "@example.com";
		String pass = (password != null) ? password : "long-enough-password";
		return Case
			.accepted(route.group, name, () -> route.send(fields("username", user, "email", mail, "password", pass)),
					200)
			.then((reply) -> {
				assertThat(reply.json().get("message").asString()).isEqualTo("User registered successfully");
				Reply login = post("/api/auth/login-json", json(fields("username", mail, "password", pass)));
				assertThat(login.status()).as("signs in with exactly what was sent: %s", login).isEqualTo(200);
				Reply me = get("/api/auth/me", "Authorization", "Bearer " + bearerFor(user, pass));
				assertThat(me.json().get("username").asString()).isEqualTo(user);
				assertThat(me.json().get("email").asString()).isEqualTo(mail);
			});
	}

	private String bearerFor(String username, String password) {
		Reply token = postForm("/api/auth/token", "username=" + encode(username) + "&password=" + encode(password));
		assertThat(token.status()).as(token.toString()).isEqualTo(200);
		return token.json().get("access_token").asString();
	}

	static String encode(String value) {
		return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	// --- login-json ---

	List<Case> loginJson() {
		JsonRoute route = new JsonRoute("auth: login-json", "POST", "/api/auth/login-json", () -> new String[0]);
		Supplier<Map<String, Object>> valid = () -> fields("username", this.alice.username(), "password",
				this.alice.password());
		List<Case> cases = new ArrayList<>(jsonBattery(route, valid, "username", this.alice.bearerHeaders()));
		for (String field : List.of("username", "password")) {
			cases.add(route.field(valid, field, ABSENT, 422));
			cases.add(route.field(valid, field, null, 422));
			cases.add(route.field(valid, field, List.of("x"), 422));
			cases.add(route.field(valid, field, "", 422));
		}
		cases.add(route.field(valid, "username", "   ", 422));
		cases.add(route.field(valid, "username", "u".repeat(321), 422));
		cases.add(route.field(valid, "password", "p".repeat(1025), 422));
		cases.add(route.field(valid, "username", NUL, 422));
		cases.add(route.field(valid, "username", "a\u0000b@example.com", 422));
		List<Object> strangers = new ArrayList<>(SQL);
		strangers.addAll(MARKUP);
		strangers.addAll(List.of("' OR 1=1 --@example.com", "admin'--", LONE_SURROGATE, "nobody-at-all"));
		for (Object stranger : strangers) {
			cases.add(route.field(valid, "username", stranger, 401).detail(INCORRECT));
		}
		for (Object password : List.of("' OR '1'='1", "wrong-password", NUL, LONE_SURROGATE)) {
			cases.add(route.field(valid, "password", password, 401).detail(INCORRECT));
		}
		cases
			.add(Case
				.accepted(route.group, "username in capitals",
						() -> route.send(with(valid, "username", this.alice.username().toUpperCase())), 200)
				.readOnly());
		cases.add(Case.accepted(route.group, "username with surrounding spaces",
				() -> route.send(with(valid, "username", "  " + this.alice.username() + " ")), 200)
			.readOnly());
		cases.add(Case.accepted(route.group, "email instead of username",
				() -> route.send(with(valid, "username", this.alice.email())), 200)
			.readOnly());
		return cases;
	}

	private static Map<String, Object> with(Supplier<Map<String, Object>> valid, String field, Object value) {
		return BadInputSupport.with(valid.get(), field, value);
	}

	// --- login and token (forms) ---

	List<Case> formSignIn(String g, String path) {
		String user = encode(this.alice.username());
		String pass = encode(this.alice.password());
		List<Case> cases = new ArrayList<>();
		cases.add(Case.refused(g, "empty form", () -> postForm(path, ""), 422));
		cases.add(Case.refused(g, "no username", () -> postForm(path, "password=" + pass), 422).field("username"));
		cases.add(Case.refused(g, "no password", () -> postForm(path, "username=" + user), 422).field("password"));
		cases.add(Case.refused(g, "empty username", () -> postForm(path, "username=&password=" + pass), 422)
			.field("username"));
		cases.add(Case.refused(g, "NUL in username", () -> postForm(path, "username=a%00b&password=" + pass), 422)
			.field("username"));
		cases.add(Case.refused(g, "NUL in an email", () -> postForm(path, "username=a%00@x.io&password=" + pass), 422)
			.field("username"));
		cases.add(Case.refused(g, "username of 321 characters",
				() -> postForm(path, "username=" + "u".repeat(321) + "&password=" + pass), 422));
		cases.add(Case.refused(g, "invalid percent-encoding", () -> postForm(path, "username=a%ZZ&password=x"), 400));
		cases.add(Case.refused(g, "a lone percent sign", () -> postForm(path, "username=100%&password=x"), 400));
		cases.add(Case.refused(g, "percent-encoded bytes that are not UTF-8",
				() -> postForm(path, "username=%FF%FE&password=x"), 400));
		cases.add(Case.refused(g, "raw bytes that are not UTF-8",
				() -> send("POST", path,
						BadInputSupport.concat(bytes("username="), new byte[] { (byte) 0xFF }, bytes("&password=x")),
						"application/x-www-form-urlencoded"),
				400));
		cases.add(Case.refused(g, "form over 1 MB with a length",
				() -> postForm(path, "username=" + "a".repeat(1_100_000) + "&password=x"), 413));
		cases.add(Case.refused(g, "form over 2 MB in chunks", () -> sendChunked("POST", path,
				bytes("username=" + "a".repeat(2_100_000) + "&password=x"), "application/x-www-form-urlencoded"), 413));
		cases.add(Case.refused(g, "JSON instead of a form",
				() -> post(path, json(fields("username", this.alice.username(), "password", this.alice.password()))),
				422));
		cases.add(Case.refused(g, "text/plain instead of a form",
				() -> send("POST", path, bytes("username=" + user + "&password=" + pass), "text/plain"), 422));
		for (String sql : SQL) {
			cases.add(Case
				.refused(g, "SQL username " + BadInputSupport.describe(sql),
						() -> postForm(path, "username=" + encode(sql) + "&password=" + encode(sql)), 401)
				.detail(INCORRECT));
		}
		cases.add(Case.refused(g, "wrong password", () -> postForm(path, "username=" + user + "&password=nope"), 401)
			.detail(INCORRECT));
		cases.add(Case.refused(g, "method GET", () -> get(path, this.alice.bearerHeaders()), 405));
		cases.add(Case.accepted(g, "correct form", () -> postForm(path, "username=" + user + "&password=" + pass), 200)
			.readOnly()
			.then((reply) -> assertThat(reply.json().get("username").asString()).isEqualTo(this.alice.username())));
		return cases;
	}

	// --- logout ---

	List<Case> logout() {
		String g = "auth: logout";
		String path = "/api/auth/logout";
		List<Case> cases = new ArrayList<>();
		Map<String, String[]> callers = new java.util.LinkedHashMap<>();
		callers.put("no token at all", new String[0]);
		callers.put("a garbage bearer token", new String[] { "Authorization", "Bearer garbage" });
		callers.put("an empty bearer token", new String[] { "Authorization", "Bearer " });
		callers.put("a bearer token of 7000 characters",
				new String[] { "Authorization", "Bearer " + "x".repeat(7000) });
		callers.put("a garbage cookie", new String[] { "Cookie", "access_token=%00%ff; csrf_token=<script>" });
		callers.put("a forged token", new String[] { "Authorization", "Bearer " + forged("HS256") });
		callers.put("an unsigned token", new String[] { "Authorization", "Bearer " + forged("none") });
		for (Map.Entry<String, String[]> caller : callers.entrySet()) {
			cases.add(Case
				.accepted(g, "with " + caller.getKey(), () -> send("POST", path, new byte[0], null, caller.getValue()),
						200)
				.readOnly()
				.then((reply) -> assertThat(reply.json().get("status").asString()).isEqualTo("success")));
		}
		cases.add(Case.accepted(g, "with a JSON body that is not JSON",
				() -> send("POST", path, bytes("{\"x\": "), "application/json"), 200)
			.readOnly());
		cases.add(Case.refused(g, "method GET", () -> get(path, this.alice.bearerHeaders()), 405));
		return cases;
	}

	/**
	 * A token for alice with a valid shape: signed with a key that is not the server's,
	 * or not signed at all.
	 */
	String forged(String algorithm) {
		Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
		long now = System.currentTimeMillis() / 1000;
		String header = base64.encodeToString(bytes("{\"alg\":\"" + algorithm + "\",\"typ\":\"JWT\"}"));
		String claims = base64.encodeToString(bytes(
				"{\"sub\":\"" + this.alice.id() + "\",\"name\":\"" + this.alice.username() + "\",\"ver\":0,\"iat\":"
						+ now + ",\"exp\":" + (now + 3600) + ",\"jti\":\"" + UUID.randomUUID() + "\"}"));
		if (algorithm.equals("none")) {
			return header + "." + claims + ".";
		}
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(bytes("not-the-server-key-but-long-enough-0123456789"), "HmacSHA256"));
			return header + "." + claims + "." + base64.encodeToString(mac.doFinal(bytes(header + "." + claims)));
		}
		catch (java.security.GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	// --- me ---

	List<Case> me() {
		String g = "auth: me";
		String path = "/api/auth/me";
		List<Case> cases = new ArrayList<>();
		String token = this.alice.bearerToken();
		Map<String, String[]> callers = new java.util.LinkedHashMap<>();
		callers.put("no credentials", new String[0]);
		callers.put("'Bearer' alone", new String[] { "Authorization", "Bearer" });
		callers.put("a garbage bearer token", new String[] { "Authorization", "Bearer a.b.c" });
		callers.put("Basic credentials", new String[] { "Authorization", "Basic YWxpY2U6cGFzc3dvcmQ=" });
		callers.put("a tampered signature", new String[] { "Authorization",
				"Bearer " + token.substring(0, token.length() - 2) + (token.endsWith("AA") ? "BB" : "AA") });
		callers.put("a tampered payload", new String[] { "Authorization", "Bearer " + tamperPayload(token) });
		callers.put("a token signed with another key", new String[] { "Authorization", "Bearer " + forged("HS256") });
		callers.put("an unsigned token (alg none)", new String[] { "Authorization", "Bearer " + forged("none") });
		callers.put("a token of 7000 characters", new String[] { "Authorization", "Bearer " + "x".repeat(7000) });
		callers.put("the token twice", new String[] { "Authorization", "Bearer " + token + " " + token });
		callers.put("a garbage cookie", new String[] { "Cookie", "access_token=garbage" });
		callers.put("a cookie with SQL", new String[] { "Cookie", "access_token=' OR 1=1 --" });
		callers.put("a bad bearer token beside a good cookie",
				TestUser.with(this.alice.cookieHeadersWithoutCsrf(), "Authorization", "Bearer garbage"));
		for (Map.Entry<String, String[]> caller : callers.entrySet()) {
			cases.add(Case.refused(g, "with " + caller.getKey(), () -> get(path, caller.getValue()), 401)
				.detail(NOT_AUTHENTICATED)
				.then((reply) -> assertThat(reply.header("WWW-Authenticate")).isEqualTo("Bearer")));
		}
		cases.add(Case.refused(g, "method POST", () -> post(path, "{}", this.alice.bearerHeaders()), 405));
		cases.add(Case.refused(g, "method DELETE", () -> delete(path, this.alice.bearerHeaders()), 405));
		cases.add(Case
			.accepted(g, "with junk in the query",
					() -> rawGet(path + "?id=1%20OR%201=1&x=%ZZ", this.alice.bearerHeaders()), 200)
			.readOnly()
			.then((reply) -> assertThat(reply.json().get("id").asLong()).isEqualTo(this.alice.id())));
		return cases;
	}

	private static String tamperPayload(String token) {
		String[] parts = token.split("\\.");
		String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
		String changed = claims.replaceFirst("\"sub\":\"\\d+\"", "\"sub\":\"1\"");
		return parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(changed)) + "." + parts[2];
	}

	// --- password change ---

	List<Case> passwordChange() {
		JsonRoute route = new JsonRoute("auth: password", "POST", "/api/auth/password", this.alice::bearerHeaders);
		Supplier<Map<String, Object>> valid = () -> fields("current_password", this.alice.password(), "new_password",
				"a-new-password-1");
		List<Case> cases = new ArrayList<>(jsonBattery(route, valid, "new_password", this.alice.bearerHeaders()));
		for (String field : List.of("current_password", "new_password")) {
			cases.add(route.field(valid, field, ABSENT, 422));
			cases.add(route.field(valid, field, null, 422));
			cases.add(route.field(valid, field, List.of("x"), 422));
		}
		cases.add(route.field(valid, "current_password", "", 422));
		cases.add(route.field(valid, "current_password", "p".repeat(129), 422));
		cases.add(route.field(valid, "new_password", "short12", 422));
		cases.add(route.field(valid, "new_password", "p".repeat(129), 422));
		for (Object wrong : List.of("not-the-password", NUL, "' OR '1'='1", LONE_SURROGATE)) {
			cases.add(route.field(valid, "current_password", wrong, 400).detail("Current password is incorrect"));
		}
		String invalid = json(fields("current_password", "", "new_password", "x"));
		cases.add(Case.refused(route.group, "invalid body without a token", () -> post(route.path, invalid), 401));
		cases.add(Case.refused(route.group, "invalid body by cookie without X-CSRF-Token",
				() -> post(route.path, invalid, this.alice.cookieHeadersWithoutCsrf()), 403));
		cases.add(
				Case.refused(route.group, "invalid body by cookie with a wrong X-CSRF-Token",
						() -> post(route.path, invalid,
								TestUser.with(this.alice.cookieHeadersWithoutCsrf(), "X-CSRF-Token", "' OR 1=1 --")),
						403));
		return cases;
	}

	// --- OAuth ---

	List<Case> oauthStart() {
		String g = "auth: oauth start";
		List<Case> cases = new ArrayList<>();
		cases.add(Case.refused(g, "provider with an encoded dot", () -> get("/api/auth/oauth/git%2Ehub"), 400));
		for (String provider : List.of("foo", "GITHUB", "github%20", "%D0%B3ithub", "x".repeat(5000), "'%20OR%201=1--",
				"%3Cscript%3E")) {
			cases.add(Case.refused(g, "provider " + BadInputSupport.describe(provider),
					() -> get("/api/auth/oauth/" + provider), 404)
				.detail("Unknown OAuth provider."));
		}
		cases.add(Case.refused(g, "provider with an encoded NUL", () -> get("/api/auth/oauth/git%00hub"), 400));
		cases.add(Case.refused(g, "provider with an encoded slash", () -> get("/api/auth/oauth/..%2Fgithub"), 400));
		cases.add(Case
			.accepted(g, "github with a foreign redirect_uri in the query",
					() -> get("/api/auth/oauth/github?redirect_uri=https://evil.example/&state=mine"), 302)
			.then((reply) -> {
				String location = reply.header("Location");
				assertThat(location).startsWith("https://github.com/login/oauth/authorize?")
					.doesNotContain("evil.example")
					.doesNotContain("state=mine&");
			}));
		return cases;
	}

	List<Case> oauthCallback() {
		String g = "auth: oauth callback";
		String callback = "/api/auth/oauth/github/callback";
		List<Case> cases = new ArrayList<>();
		Map<String, String> queries = new java.util.LinkedHashMap<>();
		queries.put("no parameters", "");
		queries.put("an unknown state", "?state=unknown-state&code=abc");
		queries.put("a NUL in the state", "?state=a%00b&code=abc");
		queries.put("a state of 5000 characters", "?state=" + "s".repeat(5000) + "&code=abc");
		queries.put("SQL in the state", "?state=" + encode("' OR 1=1; DELETE FROM users; --") + "&code=x");
		queries.put("markup in the state", "?state=" + encode("<script>alert(1)</script>"));
		queries.put("a code without a state", "?code=abc");
		queries.put("the provider's error", "?error=access_denied&state=x");
		queries.put("the state twice", "?state=a&state=b&code=c");
		for (Map.Entry<String, String> query : queries.entrySet()) {
			cases.add(Case.accepted(g, "with " + query.getKey(), () -> get(callback + query.getValue()), 302)
				.readOnly()
				.then((reply) -> assertThat(reply.header("Location"))
					.isEqualTo("http://localhost:5173/login?oauth_error=state_mismatch")));
		}
		cases.add(Case.refused(g, "with invalid percent-encoding", () -> rawGet(callback + "?state=%ZZ&code=x"), 400));
		cases.add(Case.refused(g, "with bytes that are not UTF-8", () -> get(callback + "?state=%C0%AF&code=x"), 400));
		cases.add(Case.refused(g, "of an unknown provider", () -> get("/api/auth/oauth/nope/callback?state=x"), 404));
		return cases;
	}

	List<Case> handoff() {
		// GET of this path is the OAuth start of a provider called "handoff".
		JsonRoute route = new JsonRoute("auth: oauth handoff", "POST", "/api/auth/oauth/handoff", () -> new String[0])
			.getAnswers(404);
		Supplier<Map<String, Object>> valid = () -> fields("code", fresh("code-") + fresh("-"));
		List<Case> cases = new ArrayList<>(jsonBattery(route, valid, "code", this.alice.bearerHeaders()));
		cases.add(route.field(valid, "code", ABSENT, 422));
		cases.add(route.field(valid, "code", null, 422));
		cases.add(route.field(valid, "code", List.of("x"), 422));
		cases.add(route.field(valid, "code", "", 422));
		cases.add(route.field(valid, "code", "c".repeat(15), 422));
		cases.add(route.field(valid, "code", "c".repeat(257), 422));
		String invalidCode = "Invalid or expired handoff code";
		List<Object> unknown = new ArrayList<>(List.of("c".repeat(16), "c".repeat(256), "code-with-" + NUL,
				"🔑".repeat(10), new Raw("\"code-\\uDFFF-and-some-more\""), new Raw("1234567890123456789")));
		for (String sql : SQL) {
			unknown.add((sql + "                ").substring(0, Math.max(16, sql.length())));
		}
		for (Object code : unknown) {
			cases.add(route.field(valid, "code", code, 400).detail(invalidCode));
		}
		return cases;
	}

	// --- service routes ---

	List<Case> service() {
		String g = "service";
		List<Case> cases = new ArrayList<>();
		String junk = "?x=%ZZ&y=%FF%FE&z=" + "q".repeat(5000) + "&%00=1";
		cases.add(Case.accepted(g, "health with junk in the query", () -> rawGet("/api/health" + junk), 200)
			.readOnly()
			.then((reply) -> assertThat(reply.json().get("status").asString()).isEqualTo("ok")));
		cases.add(Case.accepted(g, "readiness with junk in the query", () -> rawGet("/api/health/ready" + junk), 200)
			.readOnly());
		cases.add(Case.accepted(g, "root with junk in the query", () -> rawGet("/" + junk), 200).readOnly());
		cases.add(Case.accepted(g, "db-pool with junk in the query", () -> get("/api/metrics/db-pool?x=1"), 200)
			.readOnly());
		cases.add(Case.accepted(g, "metrics with SQL in includedNames",
				() -> get("/api/metrics?includedNames=" + encode("x' OR 1=1 --")), 200)
			.readOnly());
		cases.add(Case.refused(g, "metrics with invalid percent-encoding", () -> rawGet("/api/metrics?x=%ZZ"), 400));
		cases.add(Case.refused(g, "metrics with bytes that are not UTF-8", () -> get("/api/metrics?x=%FF"), 400));
		cases.add(Case.accepted(g, "db-pool with parameters it never reads",
				() -> rawGet("/api/metrics/db-pool?x=%FF&y=%ZZ"), 200)
			.readOnly());
		cases.add(Case.refused(g, "health as POST", () -> post("/api/health", "{}", this.alice.bearerHeaders()), 405));
		cases.add(Case.refused(g, "health as DELETE", () -> delete("/api/health"), 405));
		cases.add(Case.refused(g, "readiness as PUT",
				() -> send("PUT", "/api/health/ready", bytes("{}"), "application/json"), 405));
		cases.add(Case.refused(g, "metrics as DELETE", () -> delete("/api/metrics", this.alice.bearerHeaders()), 405));
		cases.add(Case.refused(g, "db-pool as POST",
				() -> post("/api/metrics/db-pool", "{}", this.alice.bearerHeaders()), 405));
		cases
			.add(Case.refused(g, "health accepting only images", () -> get("/api/health", "Accept", "image/png"), 406));
		cases.add(Case.refused(g, "an unknown path", () -> get("/no/such/path"), 404).detail("No such endpoint."));
		cases.add(Case.accepted(g, "the OpenAPI description with parameters it never reads",
				() -> rawGet("/api/openapi.json?x=%ZZ"), 200)
			.readOnly());
		cases.add(Case.refused(g, "an unknown API path", () -> get("/api/nothing-here", this.alice.bearerHeaders()),
				404));
		cases.add(Case.refused(g, "a path of 7000 characters",
				() -> get("/api/" + "p".repeat(7000), this.alice.bearerHeaders()), 404));
		return cases;
	}

	// --- the HTTP layer ---

	List<Case> httpLayer() {
		String g = "http";
		List<Case> cases = new ArrayList<>();
		Map<String, byte[]> requests = new java.util.LinkedHashMap<>();
		requests.put("an encoded NUL in the path", bytes(head("GET /api/chat/sessions/1%00 HTTP/1.1")));
		requests.put("a raw byte 0xFF in the path", BadInputSupport.concat(bytes("GET /api/health/"),
				new byte[] { (byte) 0xFF }, bytes(" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")));
		requests.put("invalid percent-encoding in the path", bytes(head("GET /api/health/%ZZ HTTP/1.1")));
		requests.put("a '|' in the path", bytes(head("GET /api/chat/sessions/a|b HTTP/1.1")));
		requests.put("an encoded slash in the path", bytes(head("GET /api/chat/sessions/1%2F2 HTTP/1.1")));
		requests.put("an encoded backslash in the path", bytes(head("GET /api/chat/sessions/1%5C2 HTTP/1.1")));
		requests.put("a path escaping upwards", bytes(head("GET /api/..%2F..%2Fetc/passwd HTTP/1.1")));
		requests.put("an invalid method token", bytes(head("G(T /api/health HTTP/1.1")));
		requests.put("a request line with extra parts", bytes(head("GET /api/health HTTP/1.1 extra")));
		requests.put("a header of 10 KB",
				bytes("GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(10_000) + "\r\n\r\n"));
		requests.put("a NUL in a header", bytes("GET /api/health HTTP/1.1\r\nHost: x\r\nX-Bad: a\u0000b\r\n\r\n"));
		requests.put("a header without a colon", bytes("GET /api/health HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n"));
		requests.put("a Content-Length that is not a number",
				bytes("POST /api/auth/register HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"));
		requests.put("a negative Content-Length",
				bytes("POST /api/auth/register HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n"));
		requests.put("two different Content-Lengths", bytes("POST /api/auth/register HTTP/1.1\r\nHost: x\r\n"
				+ "Content-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 5\r\n\r\n{}"));
		requests.put("an invalid chunk size", bytes("POST /api/auth/register HTTP/1.1\r\nHost: x\r\n"
				+ "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"));
		requests.put("no Host header", bytes("GET /api/health HTTP/1.1\r\nConnection: close\r\n\r\n"));
		requests.put("two Host headers", bytes("GET /api/health HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"));
		requests.put("a malformed Host header", bytes("GET /api/health HTTP/1.1\r\nHost: a b:c:d\r\n\r\n"));
		for (Map.Entry<String, byte[]> request : requests.entrySet()) {
			cases.add(Case.refused(g, request.getKey(), () -> BadInputSupport.raw(this.port, request.getValue()), 400));
		}
		cases
			.add(Case
				.accepted(g, "an X-Request-ID that is not one",
						() -> raw("GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Request-ID: ",
								BadInputSupport.concat(new byte[] { (byte) 0xFF, '<', 's', '>', '\'' },
										bytes("\r\n\r\n"))),
						200)
				.readOnly()
				.then((reply) -> assertThat(reply.header("X-Request-ID")).matches("[0-9a-f-]{36}")));
		return cases;
	}

	// --- hostile Origin, Access-Control-Request-* and Content-Type headers ---

	/** The web client's origin in this suite (the default FRONTEND_URL). */
	static final String CLIENT_ORIGIN = "http://localhost:5173";

	static final String CORS_REFUSED = "This cross-origin request is not allowed: its origin, method or headers are "
			+ "not accepted by the API.";

	List<Case> corsHeaders() {
		String g = "headers: Origin and Access-Control-Request-*";
		List<Case> cases = new ArrayList<>();
		// Origins that are well-formed but not allowed: refused as a problem, never
		// echoed.
		for (String origin : List.of("null", "http://evil.test", "http://localhost:5173@evil.test",
				"https://localhost:5173", "http://localhost:5174", "http://127.0.0.2:5173", "javascript:alert(1)",
				"file://", "*", "", "http://" + "a".repeat(6000), "http://localhost:5173/path?x=<script>",
				"http://xn--80ak6aa92e.com")) {
			cases.add(Case
				.refused(g, "Origin " + BadInputSupport.describe(origin) + " on health",
						() -> get("/api/health", "Origin", origin), 403)
				.detail(CORS_REFUSED)
				.then(BadInputTests::noCorsGrant));
		}
		// Origins Spring's parser cannot read: a 400 problem (or the refusal), never a
		// 500.
		for (String origin : List.of("http://[::1", "http://localhost:99999999999", "http://localhost:abc",
				"http://localhost:5173.evil.test", "http://local host:5173", "http://%zz", "://",
				"http://[zz::1]:5173")) {
			cases.add(Case.refused(g, "malformed Origin " + BadInputSupport.describe(origin),
					() -> get("/api/health", "Origin", origin), 400, 403)
				.then(BadInputTests::noCorsGrant));
		}
		cases.add(Case.refused(g, "Origin with bytes that are not ASCII",
				() -> raw("GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\nOrigin: http://", BadInputSupport
					.concat(new byte[] { (byte) 0xFF, (byte) 0xFE, '.', 't', 'e', 's', 't' }, bytes("\r\n\r\n"))),
				400, 403));
		cases.add(Case
			.refused(g, "two Origin headers, the first not allowed",
					() -> raw("GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\nOrigin: http://evil.test\r\n"
							+ "Origin: " + CLIENT_ORIGIN + "\r\n\r\n", new byte[0]),
					400, 403)
			.then(BadInputTests::noCorsGrant));
		cases.add(Case
			.refused(g, "a sign-in from a foreign origin",
					() -> post("/api/auth/login-json",
							json(fields("username", this.alice.username(), "password", this.alice.password())),
							"Origin", "http://evil.test"),
					403)
			.detail(CORS_REFUSED)
			.then((reply) -> assertThat(reply.headers()).as("no cookie for a refused origin")
				.doesNotContainKey("set-cookie")));
		cases.add(Case.accepted(g, "the web client's origin", () -> get("/api/health", "Origin", CLIENT_ORIGIN), 200)
			.readOnly()
			.then((reply) -> assertThat(reply.header("Access-Control-Allow-Origin")).isEqualTo(CLIENT_ORIGIN)));
		cases.add(Case.accepted(g, "the web client's origin in capitals",
				() -> get("/api/health", "Origin", "HTTP://LOCALHOST:5173"), 200)
			.readOnly());
		cases.add(Case
			.accepted(g, "the web client's origin under another loopback name",
					() -> get("/api/health", "Origin", "http://127.0.0.1:5173"), 200)
			.readOnly()
			.then((reply) -> assertThat(reply.header("Access-Control-Allow-Origin"))
				.isEqualTo("http://127.0.0.1:5173")));
		// Preflights.
		for (String method : List.of("TRACE", "CONNECT", "G(T", "", "POST, DELETE", "x".repeat(5000), "post ")) {
			cases.add(Case
				.refused(g, "preflight asking for method " + BadInputSupport.describe(method),
						() -> preflight(CLIENT_ORIGIN, method, null), 403)
				.detail(CORS_REFUSED)
				.then(BadInputTests::noCorsGrant));
		}
		for (String headers : List.of("x-evil", "cookie", "content-type\tx-csrf-token", "h".repeat(6000),
				String.join(",", java.util.Collections.nCopies(500, "x-a")))) {
			cases.add(Case
				.refused(g, "preflight asking for headers " + BadInputSupport.describe(headers),
						() -> preflight(CLIENT_ORIGIN, "POST", headers), 403)
				.detail(CORS_REFUSED)
				.then(BadInputTests::noCorsGrant));
		}
		cases
			.add(Case
				.refused(g, "preflight from a foreign origin",
						() -> preflight("http://evil.test", "POST", "content-type"), 403)
				.detail(CORS_REFUSED)
				.then(BadInputTests::noCorsGrant));
		cases.add(Case.refused(g, "preflight from a malformed origin",
				() -> preflight("http://[::1", "POST", "content-type"), 400, 403));
		cases.add(Case.refused(g, "preflight with a method header that is not ASCII",
				() -> raw(
						"OPTIONS /api/auth/login-json HTTP/1.1\r\nHost: x\r\nConnection: close\r\nOrigin: "
								+ CLIENT_ORIGIN + "\r\nAccess-Control-Request-Method: ",
						BadInputSupport.concat(new byte[] { 'P', (byte) 0xD6, 'S', 'T' }, bytes("\r\n\r\n"))),
				400, 403));
		cases.add(Case.accepted(g, "preflight with separators only in the headers list",
				() -> preflight(CLIENT_ORIGIN, "POST", " , ,, "), 200)
			.readOnly());
		cases.add(Case
			.accepted(g, "preflight asking for private network access",
					() -> Reply.of(this.api.send("OPTIONS", "/api/auth/login-json", "", "Origin", CLIENT_ORIGIN,
							"Access-Control-Request-Method", "POST", "Access-Control-Request-Private-Network", "true")),
					200)
			.readOnly()
			.then((reply) -> assertThat(reply.header("Access-Control-Allow-Private-Network")).isNull()));
		cases.add(Case
			.accepted(g, "the web client's own preflight",
					() -> preflight(CLIENT_ORIGIN, "POST", "content-type,x-csrf-token,x-request-id"), 200)
			.readOnly()
			.then((reply) -> assertThat(reply.header("Access-Control-Allow-Origin")).isEqualTo(CLIENT_ORIGIN)));
		return cases;
	}

	private Reply preflight(String origin, String method, String headers) {
		String[] all = (headers != null)
				? new String[] { "Origin", origin, "Access-Control-Request-Method", method,
						"Access-Control-Request-Headers", headers }
				: new String[] { "Origin", origin, "Access-Control-Request-Method", method };
		return Reply.of(this.api.send("OPTIONS", "/api/auth/login-json", "", all));
	}

	private static void noCorsGrant(Reply reply) {
		assertThat(reply.header("Access-Control-Allow-Origin")).as("nothing granted: %s", reply).isNull();
		assertThat(reply.header("Access-Control-Allow-Credentials")).as("nothing granted: %s", reply).isNull();
	}

	List<Case> contentTypeHeaders() {
		String g = "headers: Content-Type";
		List<Case> cases = new ArrayList<>();
		String signIn = json(fields("username", this.alice.username(), "password", this.alice.password()));
		for (String type : List.of(";;;", "application/json; charset=\"", "application/json; charset=", "application/",
				"/json", "*/*", "application/*", "*/json", "a".repeat(5000), "application/json; q=x",
				"text/html; charset=utf-8", "application/xml")) {
			cases.add(Case.refused(g, "sign-in with Content-Type " + BadInputSupport.describe(type),
					() -> send("POST", "/api/auth/login-json", bytes(signIn), type), 415));
		}
		// A multipart type is parsed as multipart before any route is chosen.
		for (String type : List.of("multipart/form-data", "multipart/form-data; boundary=")) {
			cases.add(Case
				.refused(g, "sign-in with Content-Type " + BadInputSupport.describe(type),
						() -> send("POST", "/api/auth/login-json", bytes(signIn), type), 400)
				.detail("The multipart request body is malformed."));
		}
		// JSON under a type Spring's JSON reader takes (any +json, lenient separators,
		// parameters it does not know): read as the UTF-8 JSON it is.
		for (String type : List.of("application/json;;;", "application/json; " + "p=v; ".repeat(1000),
				"application/json; charset=utf-8; charset=latin1", "application/problem+json",
				"application/json-patch+json", "Application/JSON; Charset=UTF-8")) {
			cases.add(Case.accepted(g, "sign-in with Content-Type " + BadInputSupport.describe(type),
					() -> send("POST", "/api/auth/login-json", bytes(signIn), type), 200));
		}
		cases.add(Case.refused(g, "a Content-Type with a control character",
				() -> raw(
						"POST /api/auth/login-json HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: "
								+ bytes(signIn).length + "\r\nContent-Type: application/json\u000b\r\n\r\n",
						bytes(signIn)),
				400, 415));
		cases.add(Case.refused(g, "two different Content-Type headers",
				() -> raw("POST /api/auth/login-json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
						+ "Content-Type: text/plain\r\nContent-Type: application/xml\r\nContent-Length: "
						+ bytes(signIn).length + "\r\n\r\n", bytes(signIn)),
				400, 415));
		cases.add(Case.refused(g, "a Content-Type with bytes that are not ASCII",
				() -> raw(
						"POST /api/auth/login-json HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: "
								+ bytes(signIn).length + "\r\nContent-Type: application/",
						BadInputSupport.concat(new byte[] { 'j', (byte) 0xFF, 's', 'o', 'n' }, bytes("\r\n\r\n"),
								bytes(signIn))),
				400, 415));
		for (String type : List.of("application/x-www-form-urlencoded; charset=no-such-charset",
				"application/x-www-form-urlencoded; charset=utf-16", "application/x-www-form-urlencoded; charset=\"",
				"multipart/form-data; boundary=zz")) {
			cases.add(Case.refused(g, "form sign-in with Content-Type " + BadInputSupport.describe(type),
					() -> send("POST", "/api/auth/token", bytes("username=someone&password=x"), type), 400, 401, 415,
					422));
		}
		return cases;
	}

	private static String head(String requestLine) {
		return requestLine + "\r\nHost: x\r\nConnection: close\r\n\r\n";
	}

	// --- duplicate submissions ---

	List<Case> duplicates() {
		String g = "duplicates (auth)";
		List<Case> cases = new ArrayList<>();
		cases.add(Case.scenario(g, "register twice: username checked first, then email, case-insensitively", () -> {
			String name = fresh("dup_");
			String email = name + "@example.com";
			String first = json(fields("username", name, "email", email, "password", "long-enough-password"));
			assertThat(post("/api/auth/register", first).status()).isEqualTo(200);
			Map<String, String> before = this.runner.fingerprint();
			assertRefused(post("/api/auth/register", first), 400, "Username already registered");
			assertRefused(post("/api/auth/register", json(fields("username", name.toUpperCase(), "email",
					"other-" + email, "password", "long-enough-password"))), 400, "Username already registered");
			assertRefused(post("/api/auth/register", json(
					fields("username", fresh("dup_"), "email", email.toUpperCase(), "password", "long-enough-pw"))),
					400, "Email already registered");
			assertThat(this.runner.fingerprint()).isEqualTo(before);
		}));
		cases.add(Case.scenario(g, "log out twice: the token is revoked once, the second call still succeeds", () -> {
			TestUser user = TestUsers.register(this.api);
			assertThat(get("/api/auth/me", user.cookieHeadersWithoutCsrf()).status()).isEqualTo(200);
			Reply first = send("POST", "/api/auth/logout", new byte[0], null, user.cookieHeadersWithoutCsrf());
			assertThat(first.status()).isEqualTo(200);
			assertThat(first.headers().get("Set-Cookie")).anyMatch((c) -> c.startsWith("access_token=;"));
			assertThat(get("/api/auth/me", user.cookieHeadersWithoutCsrf()).status()).isEqualTo(401);
			Map<String, String> before = this.runner.fingerprint();
			Reply second = send("POST", "/api/auth/logout", new byte[0], null, user.cookieHeadersWithoutCsrf());
			assertThat(second.status()).isEqualTo(200);
			assertThat(second.json().get("status").asString()).isEqualTo("success");
			assertThat(this.runner.fingerprint()).isEqualTo(before);
			assertThat(get("/api/auth/me", user.bearerHeaders()).status()).as("the other token still works")
				.isEqualTo(200);
		}));
		cases.add(Case.scenario(g, "change the password twice with the same request", () -> {
			TestUser user = TestUsers.register(this.api);
			String change = json(fields("current_password", user.password(), "new_password", "the-new-password"));
			Reply first = post("/api/auth/password", change, user.bearerHeaders());
			assertThat(first.status()).as(first.toString()).isEqualTo(200);
			Map<String, String> before = this.runner.fingerprint();
			assertRefused(post("/api/auth/password", change, user.bearerHeaders()), 401, NOT_AUTHENTICATED);
			String cookie = first.headers()
				.get("Set-Cookie")
				.stream()
				.filter((c) -> c.startsWith("access_token="))
				.findFirst()
				.orElseThrow();
			Reply again = post("/api/auth/password", change, "Cookie", cookie.substring(0, cookie.indexOf(';')),
					"X-CSRF-Token", first.json().get("csrf_token").asString());
			assertRefused(again, 400, "Current password is incorrect");
			assertThat(this.runner.fingerprint()).isEqualTo(before);
		}));
		return cases;
	}

	static void assertRefused(Reply reply, int status, String detail) {
		assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
		assertThat(reply.contentType()).startsWith("application/problem+json");
		assertThat(reply.json().get("detail").asString()).isEqualTo(detail);
	}

}
