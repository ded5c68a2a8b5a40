package com.ragchat.auth;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import com.ragchat.Application;
import com.ragchat.platform.TestDatabase;
import com.ragchat.support.ApiClient;
import com.ragchat.support.TestUsers;
import com.ragchat.support.TestUsers.TestUser;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Personal API keys over real HTTP, on two instances sharing one database: a key is shown
 * once and kept only as a hash, signs its owner in on /api and /v1 without CSRF, belongs
 * to its owner alone, has a rate budget of its own, and a deletion on one instance stops
 * it on the other at once.
 */
class ApiKeyTests {

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
	void aKeyIsShownOnceAndKeptOnlyAsAHash() {
		TestUser user = TestUsers.register(client(first));
		ApiClient.Response created = client(first).postJson("/api/auth/api-keys",
				Map.of("name", "Open WebUI", "expires_in_days", 30), user.bearerHeaders());
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		JsonNode body = created.json();
		String key = body.get("key").asString();
		assertThat(key).startsWith("rck_").hasSize(4 + 43);
		assertThat(key).startsWith(body.get("prefix").asString());
		assertThat(body.get("expires_at").isNull()).isFalse();

		// Listings never carry the key.
		ApiClient.Response listed = client(first).get("/api/auth/api-keys", user.bearerHeaders());
		assertThat(listed.body()).doesNotContain(key.substring(body.get("prefix").asString().length()));
		assertThat(listed.json()).singleElement()
			.satisfies((entry) -> assertThat(entry.get("name").asString()).isEqualTo("Open WebUI"));
		// At rest: the SHA-256 of the key, nothing else of it beyond the prefix.
		JdbcTemplate jdbc = first.getBean(JdbcTemplate.class);
		List<Map<String, Object>> rows = jdbc.queryForList("select * from api_keys where user_id = ?", user.id());
		assertThat(rows).singleElement().satisfies((row) -> {
			assertThat(row.get("key_hash")).isEqualTo(ApiKeys.digest(key));
			assertThat(row.values().toString()).doesNotContain(key);
		});

		// The key signs its owner in, with no CSRF token even for writes, and is marked
		// used.
		ApiClient.Response me = client(first).get("/api/auth/me", "Authorization", "Bearer " + key);
		assertThat(me.status()).isEqualTo(200);
		assertThat(me.json().get("id").asLong()).isEqualTo(user.id());
		assertThat(client(first)
			.postJson("/api/chat/sessions", Map.of("title", "from a script"), "Authorization", "Bearer " + key)
			.status()).isEqualTo(200);
		assertThat(client(first).get("/api/auth/api-keys", user.bearerHeaders())
			.json()
			.get(0)
			.get("last_used_at")
			.isNull()).isFalse();
		// A key cannot manage keys.
		assertThat(client(first).get("/api/auth/api-keys", "Authorization", "Bearer " + key).status()).isEqualTo(403);
	}

	@Test
	void aKeyDeletedOnOneInstanceStopsWorkingOnTheOtherAtOnce() {
		TestUser user = TestUsers.register(client(first));
		JsonNode created = client(first).postJson("/api/auth/api-keys", Map.of("name", "script"), user.bearerHeaders())
			.json();
		String key = created.get("key").asString();
		assertThat(client(second).get("/v1/models", "Authorization", "Bearer " + key).status()).isEqualTo(200);

		assertThat(
				client(first).delete("/api/auth/api-keys/" + created.get("id").asLong(), user.bearerHeaders()).status())
			.isEqualTo(204);
		assertThat(client(second).get("/v1/models", "Authorization", "Bearer " + key).status()).isEqualTo(401);
		assertThat(client(second).get("/api/auth/me", "Authorization", "Bearer " + key).status()).isEqualTo(401);
	}

	@Test
	void aPasswordChangeKeepsKeysAndDeletingTheAccountDeletesThem() {
		TestUser user = TestUsers.register(client(first));
		String key = client(first).postJson("/api/auth/api-keys", Map.of("name", "k"), user.bearerHeaders())
			.json()
			.get("key")
			.asString();
		ApiClient.Response changed = client(first).postJson("/api/auth/password",
				Map.of("current_password", user.password(), "new_password", "another-password-2"),
				user.bearerHeaders());
		assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
		assertThat(client(second).get("/api/auth/me", "Authorization", "Bearer " + key).status()).isEqualTo(200);

		first.getBean(JdbcTemplate.class).update("delete from users where id = ?", user.id());
		assertThat(client(second).get("/api/auth/me", "Authorization", "Bearer " + key).status()).isEqualTo(401);
	}

	@Test
	void keysBelongToTheirOwnerAlone() {
		TestUser owner = TestUsers.register(client(first));
		TestUser other = TestUsers.register(client(first));
		long id = client(first).postJson("/api/auth/api-keys", Map.of("name", "mine"), owner.bearerHeaders())
			.json()
			.get("id")
			.asLong();
		assertThat(client(first).get("/api/auth/api-keys", other.bearerHeaders()).json().size()).isZero();
		ApiClient.Response deleted = client(first).delete("/api/auth/api-keys/" + id, other.bearerHeaders());
		assertThat(deleted.status()).isEqualTo(404);
		assertThat(client(first).get("/api/auth/api-keys", owner.bearerHeaders()).json().size()).isEqualTo(1);
		assertThat(client(first).get("/api/auth/api-keys").status()).isEqualTo(401);
	}

	@Test
	void badInputIsRefusedWithAProblem() {
		TestUser user = TestUsers.register(client(first));
		for (Map<String, Object> body : List.<Map<String, Object>>of(Map.of(), Map.of("name", ""),
				Map.of("name", "x".repeat(101)), Map.of("name", "tab\tname"), Map.of("name", "k", "expires_in_days", 0),
				Map.of("name", "k", "expires_in_days", 3651), Map.of("name", "k", "expires_in_days", "soon"))) {
			ApiClient.Response response = client(first).postJson("/api/auth/api-keys", body, user.bearerHeaders());
			assertThat(response.status()).as("%s -> %s", body, response).isBetween(400, 422);
			assertThat(response.contentType()).startsWith("application/problem+json");
		}
		assertThat(client(first).get("/api/auth/api-keys", user.bearerHeaders()).json().size()).isZero();
		assertThat(client(first).delete("/api/auth/api-keys/not-a-number", user.bearerHeaders()).status())
			.isBetween(400, 422);
		assertThat(client(first).get("/api/auth/me", "Authorization", "Bearer rck_" + "\u00e9".repeat(10)).status())
			.isEqualTo(401);
	}

	private static ConfigurableApplicationContext start(TestDatabase.Info database) {
		return new SpringApplicationBuilder(Application.class).properties("ragchat.test.own-datasource=true")
			.run("--spring.datasource.url=" + database.url(), "--spring.datasource.username=" + database.username(),
					"--spring.datasource.password=" + database.password(), "--server.port=0");
	}

	private static ApiClient client(ConfigurableApplicationContext context) {
		return new ApiClient(((WebServerApplicationContext) context).getWebServer().getPort());
	}

}
