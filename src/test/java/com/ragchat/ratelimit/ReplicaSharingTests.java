package com.ragchat.ratelimit;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.ragchat.Application;
import com.ragchat.platform.TestDatabase;
import com.ragchat.support.ApiClient;
import com.ragchat.support.TestUsers;
import com.ragchat.support.TestUsers.TestUser;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances of the application sharing one database behave as one: a client that
 * alternates between them is limited after the configured count in total, not per
 * instance, and a token signed out on one, or issued before a password change made on
 * one, is refused by the other. The test client is a trusted proxy, so each test uses its
 * own client address.
 */
class ReplicaSharingTests {

	static ConfigurableApplicationContext first;

	static ConfigurableApplicationContext second;

	@BeforeAll
	static void startTwoInstances() {
		TestDatabase.Info database = TestDatabase.createEmptyDatabase();
		first = start(database);
		second = start(database);
	}

	@AfterAll
	static void stopInstances() {
		second.close();
		first.close();
	}

	@Test
	void twoInstancesShareOneRateLimitBudget() {
		ApiClient[] instances = { client(first), client(second) };
		assertThat(instances[0].baseUrl()).isNotEqualTo(instances[1].baseUrl());
		Map<String, String> credentials = Map.of("username", "nobody", "password", "wrong-password");
		String ip = "203.0.113.10";
		for (int i = 0; i < 4; i++) {
			ApiClient.Response response = instances[i % 2].postJson("/api/auth/login-json", credentials,
					"X-Forwarded-For", ip);
			assertThat(response.status()).as("attempt %d", i + 1).isEqualTo(401);
			assertThat(response.header("RateLimit-Remaining")).isEqualTo(Integer.toString(3 - i));
		}
		for (ApiClient instance : instances) {
			ApiClient.Response limited = instance.postJson("/api/auth/login-json", credentials, "X-Forwarded-For", ip);
			assertThat(limited.status()).isEqualTo(429);
			assertThat(limited.header("Retry-After")).isNotBlank();
		}
	}

	@Test
	void aTokenSignedOutOnOneInstanceIsRefusedByTheOther() {
		TestUser user = TestUsers.registerWithHeaders(client(first), "X-Forwarded-For", "203.0.113.20");
		assertThat(client(second).get("/api/auth/me", user.cookieHeadersWithoutCsrf()).status()).isEqualTo(200);
		assertThat(client(first).postJson("/api/auth/logout", "", user.cookieHeadersWithoutCsrf()).status())
			.isEqualTo(200);
		assertThat(client(second).get("/api/auth/me", user.cookieHeadersWithoutCsrf()).status()).isEqualTo(401);
		assertThat(client(second).get("/api/auth/me", user.bearerHeaders()).status()).isEqualTo(200);
	}

	@Test
	void tokensIssuedBeforeAPasswordChangeOnOneInstanceAreRefusedByTheOther() {
		TestUser user = TestUsers.registerWithHeaders(client(first), "X-Forwarded-For", "203.0.113.30");
		assertThat(client(second).get("/api/auth/me", user.bearerHeaders()).status()).isEqualTo(200);
		ApiClient.Response changed = client(first).postJson("/api/auth/password",
				Map.of("current_password", user.password(), "new_password", "changed-on-the-first"),
				TestUsers.TestUser.with(user.bearerHeaders(), "X-Forwarded-For", "203.0.113.30"));
		assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
		assertThat(client(second).get("/api/auth/me", user.bearerHeaders()).status()).isEqualTo(401);
		assertThat(client(second).get("/api/auth/me", user.cookieHeadersWithoutCsrf()).status()).isEqualTo(401);
		String cookie = changed.setCookies().get("access_token");
		assertThat(client(second).get("/api/auth/me", "Cookie", cookie.substring(0, cookie.indexOf(';'))).status())
			.isEqualTo(200);
	}

	private static ConfigurableApplicationContext start(TestDatabase.Info database) {
		return new SpringApplicationBuilder(Application.class)
			.properties("ragchat.test.own-datasource=true", "server.port=0")
			.run("--spring.datasource.url=" + database.url(), "--spring.datasource.username=" + database.username(),
					"--spring.datasource.password=" + database.password(), "--RATE_LIMIT_ENABLED=true",
					"--RATE_LIMIT_LOGIN_PER_MINUTE=4", "--TRUSTED_PROXIES=127.0.0.1,::1", "--server.port=0");
	}

	private static ApiClient client(ConfigurableApplicationContext context) {
		return new ApiClient(((WebServerApplicationContext) context).getWebServer().getPort());
	}

}
