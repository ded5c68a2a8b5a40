package com.ragchat.auth;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.ragchat.support.ApiClient;
import com.ragchat.support.TestUsers;
import com.ragchat.support.TestUsers.TestUser;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /api/auth/password}: the current password is required, and a change signs
 * every other device out while this one gets fresh cookies.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PasswordChangeTests {

	@LocalServerPort
	int port;

	@Autowired
	UserAccountRepository users;

	@Autowired
	AccessTokens tokens;

	ApiClient api() {
		return new ApiClient(this.port);
	}

	@Test
	void aChangeRevokesEveryEarlierTokenAndKeepsThisClientSignedIn() {
		TestUser user = TestUsers.register(api());
		TestUser otherDevice = TestUsers.signIn(api(), user.username(), user.password(), user.email());

		ApiClient.Response changed = api().postJson("/api/auth/password",
				Map.of("current_password", user.password(), "new_password", "a-brand-new-secret"),
				user.cookieHeaders());

		assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
		assertThat(changed.json().get("status").asString()).isEqualTo("success");
		String newCookie = changed.setCookies().get("access_token");
		String newCsrf = changed.json().get("csrf_token").asString();
		assertThat(changed.setCookies().get("csrf_token")).startsWith("csrf_token=" + newCsrf + ";");
		// Every token issued before the change, on any device and by any route, is dead.
		for (String[] headers : new String[][] { user.cookieHeadersWithoutCsrf(), user.bearerHeaders(),
				otherDevice.cookieHeadersWithoutCsrf(), otherDevice.bearerHeaders() }) {
			assertThat(api().get("/api/auth/me", headers).status()).isEqualTo(401);
		}
		// The new cookie works, also for unsafe requests with its CSRF value.
		String cookie = newCookie.substring(0, newCookie.indexOf(';'));
		assertThat(api().get("/api/auth/me", "Cookie", cookie).status()).isEqualTo(200);
		assertThat(api()
			.postJson("/api/chat/sessions", Map.of("title", "after the change"), "Cookie", cookie, "X-CSRF-Token",
					newCsrf)
			.status()).isEqualTo(200);
		// Only the new password signs in.
		assertThat(login(user.username(), user.password()).status()).isEqualTo(401);
		assertThat(login(user.username(), "a-brand-new-secret").status()).isEqualTo(200);
	}

	@Test
	void aWrongCurrentPasswordChangesNothing() {
		TestUser user = TestUsers.register(api());
		ApiClient.Response refused = api().postJson("/api/auth/password",
				Map.of("current_password", "not-my-password", "new_password", "a-brand-new-secret"),
				user.bearerHeaders());
		assertThat(refused.status()).isEqualTo(400);
		assertThat(refused.json().get("detail").asString()).isEqualTo(AccountService.WRONG_CURRENT_PASSWORD);
		assertThat(api().get("/api/auth/me", user.bearerHeaders()).status()).isEqualTo(200);
		assertThat(login(user.username(), user.password()).status()).isEqualTo(200);
	}

	@Test
	void theRequestIsValidatedAndCsrfChecked() {
		TestUser user = TestUsers.register(api());
		ApiClient.Response tooShort = api().postJson("/api/auth/password",
				Map.of("current_password", user.password(), "new_password", "short"), user.bearerHeaders());
		assertThat(tooShort.status()).isEqualTo(422);
		assertThat(tooShort.json().get("errors").get(0).get("field").asString()).isEqualTo("new_password");
		ApiClient.Response noCsrf = api().postJson("/api/auth/password",
				Map.of("current_password", user.password(), "new_password", "a-brand-new-secret"),
				user.cookieHeadersWithoutCsrf());
		assertThat(noCsrf.status()).isEqualTo(403);
		assertThat(api()
			.postJson("/api/auth/password",
					Map.of("current_password", user.password(), "new_password", "a-brand-new-secret"))
			.status()).isEqualTo(401);
		assertThat(login(user.username(), user.password()).status()).isEqualTo(200);
	}

	@Test
	void anOAuthOnlyAccountHasNoPasswordToChange() {
		UserAccount account = this.users
			.saveAndFlush(new UserAccount("octo-" + System.nanoTime(), "octo" + System.nanoTime() + "@example.com",
					null, "user", "github", "gh-" + System.nanoTime(), Instant.now()));
		// Signed in the way an OAuth handoff signs it in: a token for the account.
		String token = this.tokens.issue(AccountService.id(account), account.getUsername(), account.getTokenVersion())
			.value();
		ApiClient.Response refused = api().postJson("/api/auth/password",
				Map.of("current_password", "anything-at-all", "new_password", "a-brand-new-secret"), "Authorization",
				"Bearer " + token);
		assertThat(refused.status()).isEqualTo(400);
		assertThat(refused.json().get("detail").asString()).contains("github");
	}

	private ApiClient.Response login(String username, String password) {
		return api().postJson("/api/auth/login-json", Map.of("username", username, "password", password));
	}

}
