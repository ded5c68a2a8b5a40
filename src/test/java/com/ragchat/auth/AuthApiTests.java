package com.ragchat.auth;

import java.util.Map;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import com.ragchat.support.ApiClient;
import com.ragchat.support.TestUsers;
import com.ragchat.support.TestUsers.TestUser;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code /api/auth} route over real HTTP on PostgreSQL: success and error shapes,
 * cookies, bearer tokens, CSRF, revocation.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(AuthApiTests.ProbeController.class)
class AuthApiTests {

	@LocalServerPort
	int port;

	ApiClient api() {
		return new ApiClient(this.port);
	}

	static String uniqueName() {
		return "n_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
	}

	ApiClient.Response register(String username, String email, String password) {
		return api().postJson("/api/auth/register", Map.of("username", username, "email", email, "password", password));
	}

	// --- register
	// ---------------------------------------------------------------------------

	@Test
	void registerCreatesAUser() {
		String name = uniqueName();
		ApiClient.Response response = register(name, name + "@example.com", "correct horse");
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(response.json().get("message").asString()).isEqualTo("User registered successfully");
		assertThat(response.json().get("id").isIntegralNumber()).isTrue();
		assertThat(response.setCookies()).isEmpty();
	}

	@Test
	void registerRefusesATakenUsernameWhateverItsCaseAndChecksItBeforeTheEmail() {
		String name = uniqueName();
		assertThat(register(name, name + "@example.com", "password-1").status()).isEqualTo(200);
		ApiClient.Response sameName = register(name.toUpperCase(), "other-" + name + "@example.com", "password-2");
		assertProblem(sameName, 400, "Username already registered");
		ApiClient.Response both = register(name, name + "@example.com", "password-2");
		assertProblem(both, 400, "Username already registered");
	}

	@Test
	void registerRefusesATakenEmailWhateverItsCase() {
		String name = uniqueName();
		assertThat(register(name, name + "@example.com", "password-1").status()).isEqualTo(200);
		ApiClient.Response response = register(uniqueName(), name.toUpperCase() + "@EXAMPLE.com", "password-2");
		assertProblem(response, 400, "Email already registered");
	}

	@Test
	void registerValidatesItsFields() {
		String name = uniqueName();
		assertValidation(register(name, "not-an-email", "password-1"), "email");
		assertValidation(register(name, "someone@localhost", "password-1"), "email");
		assertValidation(register("ab", name + "@example.com", "password-1"), "username");
		assertValidation(register("bad name!", name + "@example.com", "password-1"), "username");
		assertValidation(register("x".repeat(65), name + "@example.com", "password-1"), "username");
		assertValidation(register(name, name + "@example.com", "short"), "password");
		assertValidation(register(name, name + "@example.com", "p".repeat(129)), "password");
		assertValidation(api().postJson("/api/auth/register", Map.of("username", name)), "email");
	}

	@Test
	void longPasswordsKeepEveryCharacterSignificant() {
		String name = uniqueName();
		String password = "p".repeat(98) + "Ä-ending-0123456789-abcdefghij";
		assertThat(password).hasSize(128);
		assertThat(register(name, name + "@example.com", password).status()).isEqualTo(200);
		assertThat(loginJson(name, password).status()).isEqualTo(200);
		// Differs only after the 72nd byte, where plain BCrypt would stop reading.
		String almost = password.substring(0, 127) + "X";
		assertProblem(loginJson(name, almost), 401, AuthController.INCORRECT_CREDENTIALS);
	}

	// --- login-json, login, token
	// -----------------------------------------------------------

	@Test
	void loginJsonSetsBothCookiesAndReturnsTheCsrfValue() {
		TestUser user = TestUsers.register(api());
		ApiClient.Response response = loginJson(user.username(), user.password());
		assertThat(response.status()).isEqualTo(200);
		JsonNode body = response.json();
		assertThat(body.get("user_id").asLong()).isEqualTo(user.id());
		assertThat(body.get("username").asString()).isEqualTo(user.username());
		assertThat(body.get("status").asString()).isEqualTo("success");
		String csrf = body.get("csrf_token").asString();
		assertThat(csrf).isNotBlank();

		String access = response.setCookies().get("access_token");
		assertThat(access).contains("Path=/", "Max-Age=14400", "HttpOnly", "SameSite=Lax")
			.doesNotContainIgnoringCase("Domain")
			.doesNotContain("Secure");
		String csrfCookie = response.setCookies().get("csrf_token");
		assertThat(csrfCookie).contains("Path=/", "Max-Age=14400", "SameSite=Lax")
			.doesNotContain("HttpOnly")
			.doesNotContainIgnoringCase("Domain");
		assertThat(TestUsers.cookieValue(response, "csrf_token")).isEqualTo(csrf);
		assertThat(TestUsers.cookieValue(response, "access_token").split("\\.")).hasSize(3);
	}

	@Test
	void loginAcceptsTheEmailAndAnyCaseOfTheUsername() {
		TestUser user = TestUsers.register(api());
		assertThat(loginJson(user.email().toUpperCase(), user.password()).json().get("user_id").asLong())
			.isEqualTo(user.id());
		assertThat(loginJson(user.username().toUpperCase(), user.password()).json().get("user_id").asLong())
			.isEqualTo(user.id());
	}

	@Test
	void wrongPasswordAndUnknownUserGetTheSameAnswer() {
		TestUser user = TestUsers.register(api());
		ApiClient.Response wrong = loginJson(user.username(), "wrong password");
		ApiClient.Response unknown = loginJson(uniqueName(), "wrong password");
		for (ApiClient.Response response : new ApiClient.Response[] { wrong, unknown }) {
			assertProblem(response, 401, AuthController.INCORRECT_CREDENTIALS);
			assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer");
			assertThat(response.setCookies()).isEmpty();
		}
	}

	@Test
	void loginJsonValidatesItsBody() {
		assertValidation(api().postJson("/api/auth/login-json", Map.of("username", "someone")), "password");
		assertValidation(api().postJson("/api/auth/login-json", Map.of("password", "x")), "username");
		ApiClient.Response malformed = api().postJson("/api/auth/login-json", "{\"username\": ");
		assertThat(malformed.status()).isEqualTo(422);
	}

	@Test
	void formLoginBehavesLikeLoginJson() {
		TestUser user = TestUsers.register(api());
		ApiClient.Response response = api().postForm("/api/auth/login",
				Map.of("username", user.username(), "password", user.password()));
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(response.json().get("user_id").asLong()).isEqualTo(user.id());
		assertThat(response.json().get("csrf_token").asString())
			.isEqualTo(TestUsers.cookieValue(response, "csrf_token"));
		assertThat(response.setCookies()).containsKeys("access_token", "csrf_token");
		assertProblem(api().postForm("/api/auth/login", Map.of("username", user.username(), "password", "nope")), 401,
				AuthController.INCORRECT_CREDENTIALS);
		assertValidation(api().postForm("/api/auth/login", Map.of("username", user.username())), "password");
	}

	@Test
	void tokenReturnsABearerTokenAndSetsNoCookie() {
		TestUser user = TestUsers.register(api());
		ApiClient.Response response = api().postForm("/api/auth/token",
				Map.of("grant_type", "password", "username", user.username(), "password", user.password()));
		assertThat(response.status()).isEqualTo(200);
		JsonNode body = response.json();
		assertThat(body.get("token_type").asString()).isEqualTo("bearer");
		assertThat(body.get("user_id").asLong()).isEqualTo(user.id());
		assertThat(body.get("username").asString()).isEqualTo(user.username());
		assertThat(body.get("expires_in").asLong()).isEqualTo(240 * 60);
		assertThat(response.headers("Set-Cookie")).isEmpty();
		String token = body.get("access_token").asString();
		assertThat(api().get("/api/auth/me", "Authorization", "Bearer " + token).json().get("id").asLong())
			.isEqualTo(user.id());

		ApiClient.Response refused = api().postForm("/api/auth/token",
				Map.of("username", user.username(), "password", "wrong"));
		assertProblem(refused, 401, AuthController.INCORRECT_CREDENTIALS);
		assertThat(refused.header("WWW-Authenticate")).isEqualTo("Bearer");
		assertValidation(api().postForm("/api/auth/token", Map.of("password", "x")), "username");
	}

	// --- me
	// ---------------------------------------------------------------------------------

	@Test
	void meShowsTheSignedInUserByCookieOrBearer() {
		TestUser user = TestUsers.register(api());
		for (String[] headers : new String[][] { user.cookieHeadersWithoutCsrf(), user.bearerHeaders() }) {
			ApiClient.Response response = api().get("/api/auth/me", headers);
			assertThat(response.status()).isEqualTo(200);
			JsonNode body = response.json();
			assertThat(body.get("id").asLong()).isEqualTo(user.id());
			assertThat(body.get("username").asString()).isEqualTo(user.username());
			assertThat(body.get("email").asString()).isEqualTo(user.email());
			assertThat(body.get("auth_provider").asString()).isEqualTo("local");
			assertThat(body.get("role").asString()).isEqualTo("user");
			assertThat(body.has("password_hash")).isFalse();
		}
	}

	@Test
	void meWithoutATokenIs401WithBearerChallenge() {
		ApiClient.Response response = api().get("/api/auth/me");
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer");
		assertThat(response.contentType()).startsWith("application/problem+json");
	}

	@Test
	void adminsAreTheUsernamesOfAdminUsernames() {
		TestUser admin = TestUsers.admin(api());
		assertThat(api().get("/api/auth/me", admin.bearerHeaders()).json().get("role").asString()).isEqualTo("admin");
		JsonNode probe = api().get("/api/test-probe/whoami", admin.bearerHeaders()).json();
		assertThat(probe.get("admin").asBoolean()).isTrue();
		assertThat(probe.get("authorities").asString()).contains("ROLE_ADMIN", "ROLE_USER");
		TestUser user = TestUsers.register(api());
		JsonNode plain = api().get("/api/test-probe/whoami", user.bearerHeaders()).json();
		assertThat(plain.get("admin").asBoolean()).isFalse();
		assertThat(plain.get("authorities").asString()).contains("ROLE_USER").doesNotContain("ROLE_ADMIN");
	}

	// --- bearer versus cookie
	// ---------------------------------------------------------------

	@Test
	void aBadBearerHeaderIs401EvenWithAGoodCookie() {
		TestUser user = TestUsers.register(api());
		ApiClient.Response response = api().get("/api/auth/me",
				TestUser.with(user.cookieHeadersWithoutCsrf(), "Authorization", "Bearer not-a-token"));
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer");
		ApiClient.Response empty = api().get("/api/auth/me",
				TestUser.with(user.cookieHeadersWithoutCsrf(), "Authorization", "Bearer"));
		assertThat(empty.status()).isEqualTo(401);
	}

	@Test
	void theBearerHeaderWinsOverTheCookie() {
		TestUser first = TestUsers.register(api());
		TestUser second = TestUsers.register(api());
		ApiClient.Response response = api().get("/api/auth/me",
				TestUser.with(first.cookieHeadersWithoutCsrf(), "Authorization", "Bearer " + second.bearerToken()));
		assertThat(response.json().get("id").asLong()).isEqualTo(second.id());
	}

	// --- CSRF
	// -------------------------------------------------------------------------------

	@Test
	void cookieRequestsThatChangeStateNeedTheCsrfHeader() {
		TestUser user = TestUsers.register(api());
		Map<String, String> body = Map.of("text", "hello");
		assertProblem(api().postJson("/api/test-probe/echo", body, user.cookieHeadersWithoutCsrf()), 403,
				CsrfProtectionFilter.DETAIL);
		assertProblem(
				api().postJson("/api/test-probe/echo", body,
						TestUser.with(user.cookieHeadersWithoutCsrf(), "X-CSRF-Token", "forged")),
				403, CsrfProtectionFilter.DETAIL);
		for (String method : new String[] { "PUT", "PATCH", "DELETE" }) {
			ApiClient.Response response = api().send(method, "/api/test-probe/echo", "",
					user.cookieHeadersWithoutCsrf());
			assertThat(response.status()).as(method).isEqualTo(403);
		}
		ApiClient.Response accepted = api().postJson("/api/test-probe/echo", body, user.cookieHeaders());
		assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);
		assertThat(accepted.json().get("user_id").asLong()).isEqualTo(user.id());
	}

	@Test
	void theCsrfValueIsBoundToItsOwnToken() {
		TestUser user = TestUsers.register(api());
		TestUser other = TestUsers.register(api());
		ApiClient.Response response = api().postJson("/api/test-probe/echo", Map.of("text", "x"),
				TestUser.with(user.cookieHeadersWithoutCsrf(), "X-CSRF-Token", other.csrfToken()));
		assertThat(response.status()).isEqualTo(403);
		// A second sign-in of the same user has a new token and so a new CSRF value.
		TestUser again = TestUsers.signIn(api(), user.username(), user.password(), user.email());
		assertThat(again.csrfToken()).isNotEqualTo(user.csrfToken());
		assertThat(api()
			.postJson("/api/test-probe/echo", Map.of("text", "x"),
					TestUser.with(user.cookieHeadersWithoutCsrf(), "X-CSRF-Token", again.csrfToken()))
			.status()).isEqualTo(403);
	}

	@Test
	void bearerRequestsAndSafeMethodsAreExempt() {
		TestUser user = TestUsers.register(api());
		ApiClient.Response bearer = api().postJson("/api/test-probe/echo", Map.of("text", "x"), user.bearerHeaders());
		assertThat(bearer.status()).isEqualTo(200);
		ApiClient.Response get = api().get("/api/test-probe/whoami", user.cookieHeadersWithoutCsrf());
		assertThat(get.status()).isEqualTo(200);
	}

	@Test
	void signInRoutesAndLogoutAreExemptEvenWithACookie() {
		TestUser user = TestUsers.register(api());
		String[] cookie = user.cookieHeadersWithoutCsrf();
		assertThat(api()
			.postJson("/api/auth/login-json", Map.of("username", user.username(), "password", user.password()), cookie)
			.status()).isEqualTo(200);
		assertThat(api()
			.postForm("/api/auth/login", Map.of("username", user.username(), "password", user.password()), cookie)
			.status()).isEqualTo(200);
		assertThat(api()
			.postForm("/api/auth/token", Map.of("username", user.username(), "password", user.password()), cookie)
			.status()).isEqualTo(200);
		String name = uniqueName();
		assertThat(api()
			.postJson("/api/auth/register",
					Map.of("username", name, "email", name + "@example.com", "password", "password-1"), cookie)
			.status()).isEqualTo(200);
		assertThat(api().postJson("/api/auth/oauth/handoff", Map.of("code", "x".repeat(43)), cookie).status())
			.isEqualTo(400);
		assertThat(api().postJson("/api/auth/logout", "", cookie).status()).isEqualTo(200);
	}

	@Test
	void checksComeInTheContractsOrder() {
		TestUser user = TestUsers.register(api());
		// No authentication and no CSRF header: authentication is reported first.
		assertThat(api().postJson("/api/test-probe/echo", Map.of("text", "x")).status()).isEqualTo(401);
		// Authenticated by cookie, no CSRF header, invalid body: CSRF before validation.
		assertThat(api().postJson("/api/test-probe/echo", Map.of("text", ""), user.cookieHeadersWithoutCsrf()).status())
			.isEqualTo(403);
		// With the header, validation speaks.
		assertThat(api().postJson("/api/test-probe/echo", Map.of("text", ""), user.cookieHeaders()).status())
			.isEqualTo(422);
	}

	// --- logout and revocation
	// --------------------------------------------------------------

	@Test
	void logoutClearsBothCookiesAndRevokesTheCookieToken() {
		TestUser user = TestUsers.register(api());
		ApiClient.Response response = api().postJson("/api/auth/logout", "", user.cookieHeadersWithoutCsrf());
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.json().get("status").asString()).isEqualTo("success");
		assertThat(response.setCookies().get("access_token")).startsWith("access_token=;")
			.contains("Max-Age=0", "Path=/", "HttpOnly", "SameSite=Lax")
			.doesNotContainIgnoringCase("Domain");
		assertThat(response.setCookies().get("csrf_token")).startsWith("csrf_token=;")
			.contains("Max-Age=0", "Path=/", "SameSite=Lax")
			.doesNotContain("HttpOnly");

		ApiClient.Response after = api().get("/api/auth/me", user.cookieHeadersWithoutCsrf());
		assertThat(after.status()).isEqualTo(401);
		// The user's other token (from /token) is untouched.
		assertThat(api().get("/api/auth/me", user.bearerHeaders()).status()).isEqualTo(200);
	}

	@Test
	void logoutRevokesABearerToken() {
		TestUser user = TestUsers.register(api());
		assertThat(api().postJson("/api/auth/logout", "", user.bearerHeaders()).status()).isEqualTo(200);
		assertThat(api().get("/api/auth/me", user.bearerHeaders()).status()).isEqualTo(401);
		assertThat(api().get("/api/auth/me", user.cookieHeadersWithoutCsrf()).status()).isEqualTo(200);
	}

	@Test
	void logoutWithoutATokenStillClearsTheCookies() {
		ApiClient.Response response = api().postJson("/api/auth/logout", "");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.setCookies()).containsKeys("access_token", "csrf_token");
		ApiClient.Response garbage = api().postJson("/api/auth/logout", "", "Cookie", "access_token=garbage");
		assertThat(garbage.status()).isEqualTo(200);
	}

	@Test
	void oneUsersLogoutDoesNotTouchAnotherUsersTokens() {
		TestUser first = TestUsers.register(api());
		TestUser second = TestUsers.register(api());
		api().postJson("/api/auth/logout", "", first.cookieHeadersWithoutCsrf());
		assertThat(api().get("/api/auth/me", second.cookieHeadersWithoutCsrf()).status()).isEqualTo(200);
		assertThat(api().get("/api/auth/me", second.bearerHeaders()).status()).isEqualTo(200);
	}

	// --- helpers
	// ----------------------------------------------------------------------------

	@Test
	void anOAuthProviderWithoutSettingsIs503NamingThem() {
		ApiClient.Response response = api().get("/api/auth/oauth/github");
		assertThat(response.status()).isEqualTo(503);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(response.json().get("detail").asString()).startsWith("OAuth provider \"github\" is not configured")
			.contains("OAUTH_GITHUB_CLIENT_ID", "OAUTH_GITHUB_CLIENT_SECRET");
		assertThat(api().get("/api/auth/oauth/google/callback?code=x&state=y").status()).isEqualTo(503);
		assertThat(api().get("/api/auth/oauth/myspace").status()).isEqualTo(404);
	}

	@Test
	void theWebClientsOriginMayCallWithCredentials() {
		ApiClient.Response preflight = api().send("OPTIONS", "/api/auth/login-json", "", "Origin",
				"http://localhost:5173", "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers",
				"content-type,x-csrf-token");
		assertThat(preflight.status()).isEqualTo(200);
		assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo("http://localhost:5173");
		assertThat(preflight.header("Access-Control-Allow-Credentials")).isEqualTo("true");
		assertThat(preflight.header("Access-Control-Allow-Headers")).containsIgnoringCase("x-csrf-token");

		ApiClient.Response actual = api().get("/api/health", "Origin", "http://localhost:5173");
		assertThat(actual.header("Access-Control-Allow-Origin")).isEqualTo("http://localhost:5173");
		assertThat(actual.header("Access-Control-Expose-Headers")).contains("X-Request-ID");
	}

	@Test
	void otherOriginsAreNotAllowed() {
		ApiClient.Response preflight = api().send("OPTIONS", "/api/auth/login-json", "", "Origin", "http://evil.test",
				"Access-Control-Request-Method", "POST");
		assertThat(preflight.status()).isEqualTo(403);
		assertThat(preflight.header("Access-Control-Allow-Origin")).isNull();
		ApiClient.Response actual = api().get("/api/health", "Origin", "http://evil.test");
		assertThat(actual.header("Access-Control-Allow-Origin")).isNull();
		ApiClient.Response header = api().send("OPTIONS", "/api/auth/login-json", "", "Origin", "http://localhost:5173",
				"Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "x-something-else");
		assertThat(header.header("Access-Control-Allow-Origin")).isNull();
	}

	@Test
	void rateLimitsAreOffWhenDisabled() {
		// The suite runs with RATE_LIMIT_ENABLED=false: no headers, no 429, however many
		// attempts come from one address.
		for (int i = 0; i < 12; i++) {
			ApiClient.Response response = loginJson("nobody", "wrong password");
			assertThat(response.status()).isEqualTo(401);
			assertThat(response.header("RateLimit-Limit")).isNull();
		}
	}

	@Test
	void noAuthRouteLetsOneUserReachAnotherUsersAccount() {
		TestUser alice = TestUsers.register(api());
		TestUser bob = TestUsers.register(api());
		// Reading: /me answers for the token's owner only, whatever the request says.
		for (String path : new String[] { "/api/auth/me", "/api/auth/me?id=" + bob.id(),
				"/api/auth/me?user_id=" + bob.id() }) {
			assertThat(api().get(path, alice.bearerHeaders()).json().get("id").asLong()).isEqualTo(alice.id());
		}
		assertThat(api().get("/api/auth/me/" + bob.id(), alice.bearerHeaders()).status()).isEqualTo(404);
		// Changing: registering Bob's name or email again is refused and changes nothing.
		assertThat(register(bob.username().toUpperCase(), "alice2-" + bob.email(), "new-password-1").status())
			.isEqualTo(400);
		assertThat(register(uniqueName(), bob.email(), "new-password-1").status()).isEqualTo(400);
		assertThat(loginJson(bob.username(), "new-password-1").status()).isEqualTo(401);
		assertThat(loginJson(bob.username(), alice.password()).status()).isEqualTo(401);
		assertThat(loginJson(bob.username(), bob.password()).json().get("user_id").asLong()).isEqualTo(bob.id());
		// Deleting a session: Alice signing out with Bob's CSRF value or cookie name
		// games revokes only what she presents.
		api().postJson("/api/auth/logout", "", TestUser.with(alice.bearerHeaders(), "X-CSRF-Token", bob.csrfToken()));
		assertThat(api().get("/api/auth/me", bob.bearerHeaders()).status()).isEqualTo(200);
		assertThat(api().get("/api/auth/me", bob.cookieHeadersWithoutCsrf()).status()).isEqualTo(200);
		// Alice's cookie with Bob's CSRF value is no write access to anything.
		assertThat(api()
			.postJson("/api/test-probe/echo", Map.of("text", "x"),
					TestUser.with(alice.cookieHeadersWithoutCsrf(), "X-CSRF-Token", bob.csrfToken()))
			.status()).isEqualTo(403);
	}

	@Test
	void asyncAndStreamedResponsesKeepTheSignedInUser() {
		// Streaming answers complete on an async dispatch, which passes the security
		// chain again; it must still see the user.
		TestUser user = TestUsers.register(api());
		ApiClient.Response callable = api().get("/api/test-probe/async", user.cookieHeadersWithoutCsrf());
		assertThat(callable.status()).as(callable.toString()).isEqualTo(200);
		assertThat(callable.json().get("user_id").asLong()).isEqualTo(user.id());
		ApiClient.Response streamed = api().postJson("/api/test-probe/stream", "{}", user.cookieHeaders());
		assertThat(streamed.status()).as(streamed.toString()).isEqualTo(200);
		assertThat(streamed.body()).isEqualTo("data: " + user.id() + "\n\ndata: done\n\n");
		assertThat(api().get("/api/test-probe/async").status()).isEqualTo(401);
	}

	ApiClient.Response loginJson(String username, String password) {
		return api().postJson("/api/auth/login-json", Map.of("username", username, "password", password));
	}

	static void assertProblem(ApiClient.Response response, int status, String detail) {
		assertThat(response.status()).as(response.toString()).isEqualTo(status);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(response.json().get("detail").asString()).isEqualTo(detail);
		assertThat(response.json().get("status").asInt()).isEqualTo(status);
	}

	static void assertValidation(ApiClient.Response response, String field) {
		assertThat(response.status()).as(response.toString()).isEqualTo(422);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(response.json().get("detail").isString()).isTrue();
		assertThat(response.json().get("errors").findValuesAsString("field")).contains(field);
	}

	/**
	 * Routes that exist only in this test: something to send state-changing requests to.
	 */
	@RestController
	static class ProbeController {

		record Echo(@NotBlank String text) {
		}

		@PostMapping("/api/test-probe/echo")
		Map<String, Object> echo(@AuthenticationPrincipal AuthenticatedUser user, @Valid @RequestBody Echo echo) {
			return Map.of("user_id", user.id(), "text", echo.text());
		}

		@org.springframework.web.bind.annotation.RequestMapping(path = "/api/test-probe/echo",
				method = { org.springframework.web.bind.annotation.RequestMethod.PUT,
						org.springframework.web.bind.annotation.RequestMethod.PATCH,
						org.springframework.web.bind.annotation.RequestMethod.DELETE })
		Map<String, Object> change(@AuthenticationPrincipal AuthenticatedUser user) {
			return Map.of("user_id", user.id());
		}

		@GetMapping("/api/test-probe/async")
		java.util.concurrent.Callable<Map<String, Object>> async(@AuthenticationPrincipal AuthenticatedUser user) {
			return () -> Map.of("user_id", user.id());
		}

		@PostMapping(path = "/api/test-probe/stream", produces = "text/event-stream")
		org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter stream(
				@AuthenticationPrincipal AuthenticatedUser user) {
			var emitter = new org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter();
			Thread.ofVirtual().start(() -> {
				try {
					emitter.send("data: " + user.id() + "\n\n");
					Thread.sleep(50);
					emitter.send("data: done\n\n");
					emitter.complete();
				}
				catch (Exception ex) {
					emitter.completeWithError(ex);
				}
			});
			return emitter;
		}

		@GetMapping("/api/test-probe/whoami")
		Map<String, Object> whoami(@AuthenticationPrincipal AuthenticatedUser user) {
			return Map.of("user_id", user.id(), "admin", user.admin(), "authorities",
					SecurityContextHolder.getContext().getAuthentication().getAuthorities().toString());
		}

	}

}
