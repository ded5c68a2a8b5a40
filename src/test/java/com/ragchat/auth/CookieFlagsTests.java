package com.ragchat.auth;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import com.ragchat.support.ApiClient;
import com.ragchat.support.TestUsers;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The auth cookies' {@code Secure} flag follows the environment unless configured: on in
 * production, off for a developer's plain-http machine, and an explicit setting wins.
 */
class CookieFlagsTests {

	static String accessCookie(int port) {
		ApiClient api = new ApiClient(port);
		TestUsers.TestUser user = TestUsers.register(api);
		ApiClient.Response login = api.postJson("/api/auth/login-json",
				java.util.Map.of("username", user.username(), "password", user.password()));
		assertThat(login.status()).isEqualTo(200);
		return login.setCookies().get("access_token");
	}

	@Nested
	@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = { "APP_ENV=production", "AUTH_COOKIE_SECURE=", "METRICS_PUBLIC=true", "ADMIN_USERNAMES=",
					"SECRET_KEY=" + SigningSecretTests.RANDOM_KEY })
	class ProductionByDefault {

		@LocalServerPort
		int port;

		@Test
		void cookiesAreSecure() {
			assertThat(accessCookie(this.port)).contains("; Secure").contains("HttpOnly");
		}

	}

	@Nested
	@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = { "APP_ENV=development", "AUTH_COOKIE_SECURE=" })
	class DevelopmentByDefault {

		@LocalServerPort
		int port;

		@Test
		void cookiesWorkOverPlainHttp() {
			assertThat(accessCookie(this.port)).doesNotContain("Secure");
		}

	}

	@Nested
	@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = { "APP_ENV=development", "AUTH_COOKIE_SECURE=true" })
	class ExplicitSetting {

		@LocalServerPort
		int port;

		@Test
		void theSettingWins() {
			assertThat(accessCookie(this.port)).contains("; Secure");
		}

	}

}
