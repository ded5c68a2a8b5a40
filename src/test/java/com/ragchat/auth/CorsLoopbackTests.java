package com.ragchat.auth;

import java.util.Map;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import com.ragchat.support.ApiClient;
import com.ragchat.support.TestUsers;
import com.ragchat.support.TestUsers.TestUser;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A web client served from a loopback address signs in whichever loopback name its page
 * was opened with, outside production; production allows exactly the configured origins,
 * and refuses the rest with a problem the client can show.
 */
class CorsLoopbackTests {

	/**
	 * The browser's sign-in from {@code origin}: the preflight, then the request with
	 * credentials. Returns the sign-in's response.
	 */
	static ApiClient.Response signInFrom(int port, String origin) {
		ApiClient api = new ApiClient(port);
		TestUser user = TestUsers.register(api);
		ApiClient.Response preflight = api.send("OPTIONS", "/api/auth/login-json", "", "Origin", origin,
				"Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type");
		if (preflight.status() != 200) {
			return preflight;
		}
		assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo(origin);
		return api.postJson("/api/auth/login-json", Map.of("username", user.username(), "password", user.password()),
				"Origin", origin);
	}

	static void assertSignedIn(ApiClient.Response response, String origin) {
		assertThat(response.status()).as("%s: %s", origin, response).isEqualTo(200);
		assertThat(response.header("Access-Control-Allow-Origin")).isEqualTo(origin);
		assertThat(response.header("Access-Control-Allow-Credentials")).isEqualTo("true");
		assertThat(response.setCookies()).containsKey("access_token");
	}

	static void assertRefused(ApiClient.Response response) {
		assertThat(response.status()).as(response.toString()).isEqualTo(403);
		assertThat(response.header("Access-Control-Allow-Origin")).isNull();
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(response.json().get("status").asInt()).isEqualTo(403);
		assertThat(response.json().get("detail").asString()).isEqualTo(ProblemCorsFilter.REFUSED);
		assertThat(response.json().get("request_id").asString()).isNotBlank()
			.isEqualTo(response.header("X-Request-ID"));
	}

	@Nested
	@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = { "APP_ENV=development", "FRONTEND_URL=http://localhost:5173" })
	class DevelopmentWithLocalhost {

		@LocalServerPort
		int port;

		@Test
		void everyLoopbackNameOfTheFrontendsPortSignsIn() {
			for (String origin : new String[] { "http://localhost:5173", "http://127.0.0.1:5173",
					"http://[::1]:5173" }) {
				assertSignedIn(signInFrom(this.port, origin), origin);
			}
		}

		@Test
		void anotherPortOrSchemeOrHostIsStillRefused() {
			for (String origin : new String[] { "http://127.0.0.1:5174", "https://127.0.0.1:5173",
					"http://127.0.0.2:5173", "http://localhost.evil.test:5173" }) {
				assertRefused(signInFrom(this.port, origin));
			}
		}

	}

	@Nested
	@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = { "APP_ENV=development",
			"FRONTEND_URL=http://127.0.0.1:5173", "CORS_ALLOWED_ORIGINS=http://localhost:3000" })
	class DevelopmentWith127001 {

		@LocalServerPort
		int port;

		@Test
		void everyLoopbackNameOfTheFrontendsPortSignsIn() {
			for (String origin : new String[] { "http://localhost:5173", "http://127.0.0.1:5173",
					"http://[::1]:5173" }) {
				assertSignedIn(signInFrom(this.port, origin), origin);
			}
		}

		@Test
		void anExtraLoopbackOriginAlsoGetsItsAliases() {
			assertSignedIn(signInFrom(this.port, "http://127.0.0.1:3000"), "http://127.0.0.1:3000");
		}

		@Test
		void theCorsRefusalOfAnActualRequestIsAProblem() {
			ApiClient.Response response = new ApiClient(this.port).postJson("/api/auth/login-json",
					Map.of("username", "nobody", "password", "whatever-it-is"), "Origin", "http://evil.test");
			assertRefused(response);
		}

	}

	@Nested
	@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = { "APP_ENV=production", "FRONTEND_URL=http://127.0.0.1:5173", "AUTH_COOKIE_SECURE=",
					"METRICS_PUBLIC=true", "ADMIN_USERNAMES=", "SECRET_KEY=" + SigningSecretTests.RANDOM_KEY })
	class Production {

		@LocalServerPort
		int port;

		@Test
		void theConfiguredOriginSignsIn() {
			assertSignedIn(signInFrom(this.port, "http://127.0.0.1:5173"), "http://127.0.0.1:5173");
		}

		@Test
		void anUnconfiguredLoopbackAliasIsRefusedWithAProblem() {
			assertRefused(signInFrom(this.port, "http://localhost:5173"));
			assertRefused(signInFrom(this.port, "http://[::1]:5173"));
		}

	}

}
