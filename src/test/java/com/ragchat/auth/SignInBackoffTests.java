package com.ragchat.auth;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.ragchat.support.ApiClient;
import com.ragchat.support.TestUsers;
import com.ragchat.support.TestUsers.TestUser;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Finding 7 of the second security pass: sign-in was throttled per address only, so many
 * addresses could guess one account's password at full speed. Now each name (or email)
 * backs off after a few failures, across addresses and sign-in routes, without telling
 * known names from unknown ones. Per-address limits are off here, so only the backoff
 * acts.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "RATE_LIMIT_ENABLED=false", "SIGN_IN_BACKOFF_ENABLED=true", "SIGN_IN_FREE_FAILURES=3",
				"SIGN_IN_BACKOFF_FIRST=30s", "SIGN_IN_BACKOFF_MAX=2m" })
@Import(MutableClock.Configuration.class)
class SignInBackoffTests {

	@LocalServerPort
	int port;

	@Autowired
	MutableClock clock;

	@AfterEach
	void resetClock() {
		this.clock.reset();
	}

	ApiClient api() {
		return new ApiClient(this.port);
	}

	@Test
	void anAccountBacksOffAfterItsFreeFailuresWhateverTheAddressOrRoute() {
		TestUser user = TestUsers.register(api());
		Map<String, String> wrong = Map.of("username", user.username(), "password", "wrong-password");
		Map<String, String> right = Map.of("username", user.username(), "password", user.password());
		// Three free failures and the fourth that starts the wait, each from another
		// (spoofable, here untrusted) address and on all three sign-in routes.
		assertThat(api().postJson("/api/auth/login-json", wrong, "X-Forwarded-For", "203.0.113.1").status())
			.isEqualTo(401);
		assertThat(api().postForm("/api/auth/login", wrong, "X-Forwarded-For", "203.0.113.2").status()).isEqualTo(401);
		assertThat(api().postForm("/api/auth/token", wrong).status()).isEqualTo(401);
		assertThat(api().postJson("/api/auth/login-json", wrong).status()).isEqualTo(401);

		// Now even the right password waits: no comparison is made while it waits.
		ApiClient.Response waiting = api().postJson("/api/auth/login-json", right);
		assertThat(waiting.status()).isEqualTo(429);
		assertThat(waiting.contentType()).startsWith("application/problem+json");
		assertThat(waiting.json().get("detail").asString()).startsWith("Too many failed sign-ins for this account");
		assertThat(Long.parseLong(waiting.header("Retry-After"))).isBetween(1L, 30L);
		assertThat(api().postForm("/api/auth/token", right).status()).isEqualTo(429);
		// The email names the same account only when typed: it is its own identifier.
		assertThat(api().postJson("/api/auth/login-json", Map.of("username", user.email(), "password", user.password()))
			.status()).isEqualTo(200);
		// Another account is not affected.
		TestUser other = TestUsers.register(api());
		assertThat(api()
			.postJson("/api/auth/login-json", Map.of("username", other.username(), "password", other.password()))
			.status()).isEqualTo(200);

		// After the wait the owner signs in, and that forgets the failures.
		this.clock.advance(Duration.ofSeconds(31));
		assertThat(api().postJson("/api/auth/login-json", right).status()).isEqualTo(200);
		for (int i = 0; i < 3; i++) {
			assertThat(api().postJson("/api/auth/login-json", wrong).status()).as("free failure %d", i + 1)
				.isEqualTo(401);
		}
	}

	@Test
	void theWaitDoublesWithEachFurtherFailureUpToTheCap() {
		TestUser user = TestUsers.register(api());
		Map<String, String> wrong = Map.of("username", user.username(), "password", "wrong-password");
		for (int i = 0; i < 4; i++) {
			api().postJson("/api/auth/login-json", wrong);
		}
		List<Long> waits = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			ApiClient.Response waiting = api().postJson("/api/auth/login-json", wrong);
			assertThat(waiting.status()).isEqualTo(429);
			long wait = Long.parseLong(waiting.header("Retry-After"));
			waits.add(wait);
			// The attempt during the wait did not count: the wait is as before.
			this.clock.advance(Duration.ofSeconds(wait));
			assertThat(api().postJson("/api/auth/login-json", wrong).status()).isEqualTo(401);
		}
		assertThat(waits).containsExactly(30L, 60L, 120L, 120L);
	}

	@Test
	void unknownNamesBackOffExactlyLikeKnownOnes() {
		TestUser user = TestUsers.register(api());
		List<Integer> known = attempts(user.username());
		List<Integer> unknown = attempts("nobody-" + user.username());
		assertThat(known).containsExactly(401, 401, 401, 401, 429, 429);
		assertThat(unknown).isEqualTo(known);
	}

	private List<Integer> attempts(String username) {
		List<Integer> statuses = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			statuses.add(api().postJson("/api/auth/login-json", Map.of("username", username, "password", "wrong-pw-1"))
				.status());
		}
		return statuses;
	}

}
