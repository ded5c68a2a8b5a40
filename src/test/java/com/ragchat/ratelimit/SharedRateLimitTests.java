package com.ragchat.ratelimit;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.ragchat.Application;
import com.ragchat.platform.TestDatabase;
import com.ragchat.support.ApiClient;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances of the application sharing one database behave as one: a client that
 * alternates between them is limited after the configured count in total, not per
 * instance.
 */
class SharedRateLimitTests {

	@Test
	void twoInstancesShareOneBudget() {
		TestDatabase.Info database = TestDatabase.createEmptyDatabase();
		try (ConfigurableApplicationContext first = start(database);
				ConfigurableApplicationContext second = start(database)) {
			ApiClient[] instances = { client(first), client(second) };
			assertThat(instances[0].baseUrl()).isNotEqualTo(instances[1].baseUrl());
			Map<String, String> credentials = Map.of("username", "nobody", "password", "wrong-password");
			for (int i = 0; i < 4; i++) {
				ApiClient.Response response = instances[i % 2].postJson("/api/auth/login-json", credentials);
				assertThat(response.status()).as("attempt %d", i + 1).isEqualTo(401);
				assertThat(response.header("RateLimit-Remaining")).isEqualTo(Integer.toString(3 - i));
			}
			for (ApiClient instance : instances) {
				ApiClient.Response limited = instance.postJson("/api/auth/login-json", credentials);
				assertThat(limited.status()).isEqualTo(429);
				assertThat(limited.header("Retry-After")).isNotBlank();
			}
		}
	}

	private static ConfigurableApplicationContext start(TestDatabase.Info database) {
		return new SpringApplicationBuilder(Application.class)
			.properties("ragchat.test.own-datasource=true", "server.port=0")
			.run("--spring.datasource.url=" + database.url(), "--spring.datasource.username=" + database.username(),
					"--spring.datasource.password=" + database.password(), "--RATE_LIMIT_ENABLED=true",
					"--RATE_LIMIT_LOGIN_PER_MINUTE=4", "--server.port=0");
	}

	private static ApiClient client(ConfigurableApplicationContext context) {
		return new ApiClient(((WebServerApplicationContext) context).getWebServer().getPort());
	}

}
