package com.ragchat.ratelimit;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;

import com.ragchat.support.ApiClient;
import com.ragchat.support.TestUsers;
import com.ragchat.support.TestUsers.TestUser;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The limits of API.md §6 over real HTTP, with buckets in PostgreSQL. The test client is
 * a trusted proxy here, so each test sends its own made-up client IP in
 * {@code X-Forwarded-For} and starts from full buckets.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "RATE_LIMIT_ENABLED=true", "RATE_LIMIT_LOGIN_PER_MINUTE=3", "RATE_LIMIT_REGISTER_PER_MINUTE=2",
				"RATE_LIMIT_CHAT_PER_MINUTE=3", "RATE_LIMIT_SESSION_CREATE_PER_MINUTE=3",
				"RATE_LIMIT_SESSION_RENAME_PER_MINUTE=2", "RATE_LIMIT_FEEDBACK_PER_MINUTE=2",
				"RATE_LIMIT_API_KEY_PER_MINUTE=4", "TRUSTED_PROXIES=127.0.0.1,::1" })
class RateLimitTests {

	@LocalServerPort
	int port;

	@org.springframework.beans.factory.annotation.Autowired
	org.springframework.jdbc.core.JdbcTemplate jdbc;

	ApiClient api() {
		return new ApiClient(this.port);
	}

	static String randomIp() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		return "198.51." + random.nextInt(256) + "." + random.nextInt(1, 255);
	}

	@Test
	void loginTripsAtTheConfiguredCountWithRetryAfter() {
		String ip = randomIp();
		Map<String, String> credentials = Map.of("username", "nobody-" + ip, "password", "wrong-password");
		for (int i = 1; i <= 3; i++) {
			ApiClient.Response response = api().postJson("/api/auth/login-json", credentials, "X-Forwarded-For", ip);
			assertThat(response.status()).as("attempt %d", i).isEqualTo(401);
			assertThat(response.header("RateLimit-Limit")).isEqualTo("3");
			assertThat(response.header("RateLimit-Remaining")).isEqualTo(Integer.toString(3 - i));
			assertThat(Long.parseLong(response.header("RateLimit-Reset"))).isBetween(1L, 60L);
		}
		ApiClient.Response limited = api().postJson("/api/auth/login-json", credentials, "X-Forwarded-For", ip);
		assertThat(limited.status()).isEqualTo(429);
		assertThat(limited.contentType()).startsWith("application/problem+json");
		assertThat(limited.json().get("detail").asString())
			.isEqualTo("Rate limit exceeded for auth-login. Please retry shortly.");
		assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 20L);
		assertThat(limited.header("RateLimit-Remaining")).isEqualTo("0");
		assertThat(limited.header("X-Request-ID")).isNotBlank();

		// Every sign-in route draws from the same per-IP budget.
		assertThat(api().postForm("/api/auth/token", credentials, "X-Forwarded-For", ip).status()).isEqualTo(429);
		assertThat(api().postForm("/api/auth/login", credentials, "X-Forwarded-For", ip).status()).isEqualTo(429);
		assertThat(api().postJson("/api/auth/oauth/handoff", Map.of("code", "x".repeat(40)), "X-Forwarded-For", ip)
			.status()).isEqualTo(429);
		assertThat(api().get("/api/auth/oauth/github", "X-Forwarded-For", ip).status()).isEqualTo(429);
		assertThat(api().get("/api/auth/oauth/github/callback?code=c&state=s", "X-Forwarded-For", ip).status())
			.isEqualTo(429);
		// Another client is not affected.
		assertThat(api().postJson("/api/auth/login-json", credentials, "X-Forwarded-For", randomIp()).status())
			.isEqualTo(401);
	}

	@Test
	void registrationHasItsOwnLimit() {
		String ip = randomIp();
		for (int i = 0; i < 2; i++) {
			String name = "rl_" + Long.toHexString(ThreadLocalRandom.current().nextLong());
			ApiClient.Response response = api().postJson("/api/auth/register",
					Map.of("username", name, "email", name + "@example.com", "password", "password-1"),
					"X-Forwarded-For", ip);
			assertThat(response.status()).isEqualTo(200);
		}
		ApiClient.Response limited = api().postJson("/api/auth/register",
				Map.of("username", "rl_blocked", "email", "rl_blocked@example.com", "password", "password-1"),
				"X-Forwarded-For", ip);
		assertThat(limited.status()).isEqualTo(429);
		assertThat(limited.json().get("detail").asString())
			.isEqualTo("Rate limit exceeded for auth-register. Please retry shortly.");
		assertThat(limited.header("Retry-After")).isNotBlank();
		// The login budget of the same IP is separate.
		assertThat(
				api().postJson("/api/auth/login-json", Map.of("username", "x", "password", "y"), "X-Forwarded-For", ip)
					.status())
			.isEqualTo(401);
	}

	@Test
	void chatIsLimitedPerUserAndPerIp() {
		// Users registered from their own addresses, so registration does not spend the
		// budgets under test.
		TestUser first = TestUsers.registerWithHeaders(api(), "X-Forwarded-For", randomIp());
		TestUser second = TestUsers.registerWithHeaders(api(), "X-Forwarded-For", randomIp());
		String ip = randomIp();
		for (int i = 0; i < 3; i++) {
			ApiClient.Response response = chat(first, ip);
			assertThat(response.status()).as(response.toString()).isNotEqualTo(429);
			assertThat(response.header("RateLimit-Limit")).isEqualTo("3");
		}
		ApiClient.Response limited = chat(first, ip);
		assertThat(limited.status()).isEqualTo(429);
		assertThat(limited.json().get("detail").asString())
			.isEqualTo("Rate limit exceeded for chat-send. Please retry shortly.");
		// The same user from another address: the user's own budget is spent.
		assertThat(chat(first, randomIp()).status()).isEqualTo(429);
		// Another user from the first address: the address's budget is spent.
		assertThat(chat(second, ip).status()).isEqualTo(429);
		// Another user from another address goes through.
		assertThat(chat(second, randomIp()).status()).isNotEqualTo(429);
		// Every chat route shares the budget.
		assertThat(api()
			.postJson("/api/chat/stream", Map.of("content", "hi"),
					TestUser.with(first.bearerHeaders(), "X-Forwarded-For", randomIp()))
			.status()).isEqualTo(429);
		assertThat(api()
			.postJson("/api/chat/sessions/1/messages", Map.of("content", "hi"),
					TestUser.with(first.bearerHeaders(), "X-Forwarded-For", randomIp()))
			.status()).isEqualTo(429);
	}

	@Test
	void sessionCreationRenameAndFeedbackAreLimitedPerUser() {
		TestUser user = TestUsers.registerWithHeaders(api(), "X-Forwarded-For", randomIp());
		TestUser other = TestUsers.registerWithHeaders(api(), "X-Forwarded-For", randomIp());
		long sessionId = 0;
		for (int i = 0; i < 3; i++) {
			// Each from a new address: the limit follows the user, not the address.
			ApiClient.Response created = api().postJson("/api/chat/sessions", Map.of("title", "s" + i),
					TestUser.with(user.bearerHeaders(), "X-Forwarded-For", randomIp()));
			assertThat(created.status()).as(created.toString()).isEqualTo(200);
			assertThat(created.header("RateLimit-Limit")).isEqualTo("3");
			sessionId = created.json().get("id").asLong();
		}
		ApiClient.Response limited = api().postJson("/api/chat/sessions", Map.of("title", "one too many"),
				TestUser.with(user.bearerHeaders(), "X-Forwarded-For", randomIp()));
		assertThat(limited.status()).isEqualTo(429);
		assertThat(limited.json().get("detail").asString())
			.isEqualTo("Rate limit exceeded for session-create. Please retry shortly.");
		assertThat(limited.header("Retry-After")).isNotBlank();
		// Nothing was created by the refused request.
		assertThat(api().get("/api/chat/sessions", user.bearerHeaders()).json().size()).isEqualTo(3);
		// Another user is not affected, even from the same address.
		assertThat(api().postJson("/api/chat/sessions", Map.of("title", "mine"), other.bearerHeaders()).status())
			.isEqualTo(200);

		for (int i = 0; i < 2; i++) {
			assertThat(api()
				.patchJson("/api/chat/sessions/" + sessionId, Map.of("title", "renamed " + i), user.bearerHeaders())
				.status()).isEqualTo(200);
		}
		ApiClient.Response renameLimited = api().patchJson("/api/chat/sessions/" + sessionId, Map.of("title", "again"),
				user.bearerHeaders());
		assertThat(renameLimited.status()).isEqualTo(429);
		assertThat(renameLimited.json().get("detail").asString())
			.isEqualTo("Rate limit exceeded for session-rename. Please retry shortly.");
		assertThat(api().get("/api/chat/sessions/" + sessionId, user.bearerHeaders()).json().get("title").asString())
			.isEqualTo("renamed 1");

		Map<String, Object> rating = Map.of("message_id", 999_999_999, "rating", 1);
		for (int i = 0; i < 2; i++) {
			assertThat(api().postJson("/api/chat/feedback", rating, user.bearerHeaders()).status()).isNotEqualTo(429);
		}
		ApiClient.Response feedbackLimited = api().postJson("/api/chat/feedback", rating, user.bearerHeaders());
		assertThat(feedbackLimited.status()).isEqualTo(429);
		assertThat(feedbackLimited.json().get("detail").asString())
			.isEqualTo("Rate limit exceeded for feedback. Please retry shortly.");
	}

	@Test
	void chatCompletionsWithAKeyDrawFromTheOwnersChatBudgetInOpenAisShape() {
		TestUser user = TestUsers.registerWithHeaders(api(), "X-Forwarded-For", randomIp());
		String bearer = "Bearer " + newKey(user, "chatty").get("key").asString();
		Map<String, Object> question = Map.of("model", "ragchat", "messages",
				java.util.List.of(Map.of("role", "user", "content", "hello")));
		for (int i = 0; i < 3; i++) {
			ApiClient.Response response = api().postJson("/v1/chat/completions", question, "Authorization", bearer,
					"X-Forwarded-For", randomIp());
			assertThat(response.status()).as(response.toString()).isNotEqualTo(429);
		}
		ApiClient.Response limited = api().postJson("/v1/chat/completions", question, "Authorization", bearer,
				"X-Forwarded-For", randomIp());
		assertThat(limited.status()).isEqualTo(429);
		assertThat(limited.header("Retry-After")).isNotBlank();
		assertThat(limited.json().get("error").get("code").asString()).isEqualTo("rate_limit_exceeded");
		assertThat(limited.json().get("error").get("message").asString()).contains("chat-send");
	}

	@Test
	void eachApiKeyHasARequestBudgetOfItsOwnOnEveryRoute() {
		TestUser user = TestUsers.registerWithHeaders(api(), "X-Forwarded-For", randomIp());
		tools.jackson.databind.JsonNode first = newKey(user, "script");
		String bearer = "Bearer " + first.get("key").asString();
		// Routes without a limit of their own count against the key: /api and /v1 alike.
		for (int i = 1; i <= 4; i++) {
			String path = (i % 2 == 0) ? "/v1/models" : "/api/chat/sessions";
			ApiClient.Response response = api().get(path, "Authorization", bearer);
			assertThat(response.status()).as("request %d to %s", i, path).isEqualTo(200);
			assertThat(response.header("RateLimit-Remaining")).isEqualTo(Integer.toString(4 - i));
		}
		ApiClient.Response refusedOnApi = api().get("/api/chat/sessions", "Authorization", bearer);
		assertThat(refusedOnApi.status()).isEqualTo(429);
		assertThat(refusedOnApi.contentType()).startsWith("application/problem+json");
		assertThat(refusedOnApi.json().get("detail").asString())
			.isEqualTo("Rate limit exceeded for api-key. Please retry shortly.");
		ApiClient.Response refusedOnV1 = api().get("/v1/models", "Authorization", bearer);
		assertThat(refusedOnV1.status()).isEqualTo(429);
		assertThat(refusedOnV1.header("Retry-After")).isNotBlank();
		assertThat(refusedOnV1.json().get("error").get("code").asString()).isEqualTo("rate_limit_exceeded");
		assertThat(this.jdbc.queryForObject(
				"select count(*) from rate_limit_buckets where scope = 'api-key' and bucket_key = ?", Long.class,
				"key:" + first.get("id").asLong()))
			.isEqualTo(1);

		// The owner's other key and the owner's own sign-in are not affected.
		String second = "Bearer " + newKey(user, "other script").get("key").asString();
		assertThat(api().get("/v1/models", "Authorization", second).status()).isEqualTo(200);
		ApiClient.Response owner = api().get("/api/chat/sessions", user.bearerHeaders());
		assertThat(owner.status()).isEqualTo(200);
		assertThat(owner.header("RateLimit-Limit")).isNull();
	}

	private tools.jackson.databind.JsonNode newKey(TestUser user, String name) {
		ApiClient.Response created = api().postJson("/api/auth/api-keys", Map.of("name", name), user.bearerHeaders());
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		return created.json();
	}

	@Test
	void ipv6ClientsAreCountedByTheirSlash64() {
		String prefix = "2001:db8:" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1, 0xffff)) + ":7:";
		Map<String, String> credentials = Map.of("username", "v6-" + prefix, "password", "wrong-password");
		// Three addresses of one /64 share one budget.
		for (int i = 1; i <= 3; i++) {
			assertThat(api()
				.postJson("/api/auth/login-json", credentials, "X-Forwarded-For", prefix + ":" + Integer.toHexString(i))
				.status()).isEqualTo(401);
		}
		assertThat(api().postJson("/api/auth/login-json", credentials, "X-Forwarded-For", prefix + "a:b:c:d").status())
			.isEqualTo(429);
		// The neighbouring /64 has its own.
		String neighbour = prefix.replace(":7:", ":8:");
		assertThat(api()
			.postJson("/api/auth/login-json", Map.of("username", "v6-other", "password", "wrong-password"),
					"X-Forwarded-For", neighbour + ":1")
			.status()).isEqualTo(401);
	}

	@Test
	void theLimitIsCheckedBeforeAuthentication() {
		String ip = randomIp();
		for (int i = 0; i < 3; i++) {
			assertThat(api().postJson("/api/chat/chat", Map.of("content", "hi"), "X-Forwarded-For", ip).status())
				.isEqualTo(401);
		}
		assertThat(api().postJson("/api/chat/chat", Map.of("content", "hi"), "X-Forwarded-For", ip).status())
			.isEqualTo(429);
	}

	@Test
	void routesWithoutALimitCarryNoRateLimitHeaders() {
		TestUser user = TestUsers.registerWithHeaders(api(), "X-Forwarded-For", randomIp());
		ApiClient.Response response = api().get("/api/auth/me", user.bearerHeaders());
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.header("RateLimit-Limit")).isNull();
		assertThat(api().get("/api/health").header("RateLimit-Limit")).isNull();
	}

	private ApiClient.Response chat(TestUser user, String ip) {
		return api().postJson("/api/chat/chat", Map.of("content", "hello"),
				TestUser.with(user.bearerHeaders(), "X-Forwarded-For", ip));
	}

}
