package com.ragchat.observability;

import java.util.Map;

import com.ragchat.support.ApiClient;
import com.ragchat.support.TestUsers;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole application as users and operators meet it: accounts, chat with the mock
 * model, rate limits on (the register limit low, so a 429 is easy to provoke from a
 * client address of the test's own, given through a trusted proxy header).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "APP_ENV=test", "RATE_LIMIT_ENABLED=true", "RATE_LIMIT_REGISTER_PER_MINUTE=3",
				"RATE_LIMIT_LOGIN_PER_MINUTE=1000", "RATE_LIMIT_CHAT_PER_MINUTE=1000", "TRUSTED_PROXIES=127.0.0.1" })
abstract class FullApplicationTestSupport {

	/**
	 * This test's own client address (sent through the trusted proxy header on every
	 * rate-limited request), so its requests neither drain nor meet other tests' buckets.
	 */
	final String clientAddress = randomAddress();

	@LocalServerPort
	int port;

	static String randomAddress() {
		java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
		return "100." + random.nextInt(64, 128) + "." + random.nextInt(256) + "." + random.nextInt(1, 255);
	}

	/** {@code headers} plus the client address header. */
	String[] fromClient(String... headers) {
		return TestUsers.TestUser.with(headers, "X-Forwarded-For", this.clientAddress);
	}

	/** A new signed-in user, registered from this test's client address. */
	TestUsers.TestUser registerUser() {
		return TestUsers.registerWithHeaders(api(), "X-Forwarded-For", this.clientAddress);
	}

	ApiClient api() {
		return new ApiClient(this.port);
	}

	PrometheusText scrape() {
		ApiClient.Response response = api().get("/api/metrics");
		assertThat(response.status()).isEqualTo(200);
		return PrometheusText.parse(response.body());
	}

	/** Creates a session by cookie (with the CSRF header) and returns its id. */
	long createSession(TestUsers.TestUser user, String title) {
		ApiClient.Response created = api().postJson("/api/chat/sessions", Map.of("title", title), user.cookieHeaders());
		assertThat(created.status()).as(created.toString()).isEqualTo(200);
		return created.json().get("id").asLong();
	}

	/** Streams an answer and returns the raw event stream. */
	String stream(TestUsers.TestUser user, long sessionId, String content, String... extraHeaders) {
		ApiClient.Response response = api().postJson("/api/chat/stream",
				Map.of("content", content, "session_id", sessionId),
				fromClient(TestUsers.TestUser.with(user.cookieHeaders(), extraHeaders)));
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(response.body()).contains("\"type\":\"done\"");
		return response.body();
	}

}
