package com.ragchat.auth;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
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
import static org.awaitility.Awaitility.await;

/**
 * The per-replica token state cache on two instances sharing one database: a current
 * cache answers without asking the database; a logout, a password change or a role change
 * on one instance is refused by the other; while the other's listener connection is cut
 * every request asks the database, and once it listens again nothing it cached before the
 * cut is trusted.
 */
class TokenStateAcrossReplicasTests {

	/** How long the second instance waits before reconnecting its listener. */
	private static final Duration RECONNECT_DELAY = Duration.ofSeconds(4);

	static TestDatabase.Info database;

	static ConfigurableApplicationContext first;

	static ConfigurableApplicationContext second;

	@BeforeAll
	static void startTwoInstances() {
		database = TestDatabase.createEmptyDatabase();
		first = start();
		// A long pause before reconnecting, so that the test can act while the listener
		// is
		// down.
		second = start("--app.auth.token-state.reconnect-delay=" + RECONNECT_DELAY.toMillis() + "ms",
				"--app.auth.token-state.reconnect-backoff-max=" + RECONNECT_DELAY.toMillis() + "ms");
		awaitListening(first);
		awaitListening(second);
	}

	@AfterAll
	static void stopInstances() {
		second.close();
		first.close();
	}

	@Test
	void aCurrentCacheAnswersWithoutAskingTheDatabase() {
		TestUser user = TestUsers.register(client(first));
		TokenStateCache cache = second.getBean(TokenStateCache.class);
		// The first request of a token on an instance asks the database.
		long asked = cache.databaseLookups();
		assertThat(client(second).get("/api/auth/me", user.bearerHeaders()).status()).isEqualTo(200);
		assertThat(cache.databaseLookups()).isEqualTo(asked + 1);

		long answered = cache.cacheLookups();
		long askedBefore = cache.databaseLookups();
		for (int i = 0; i < 10; i++) {
			assertThat(client(second).get("/api/chat/sessions", user.bearerHeaders()).status()).isEqualTo(200);
		}
		// Each request is answered once, nearly always by the cache: a late notification
		// of the registration or a listener round trip older than its limit on a loaded
		// machine may send one or two of them to the database, never most of them.
		long fromCache = cache.cacheLookups() - answered;
		long fromDatabase = cache.databaseLookups() - askedBefore;
		assertThat(fromCache + fromDatabase).isEqualTo(10);
		assertThat(fromCache).isGreaterThanOrEqualTo(8);

		// Operators see the same through the metric.
		String metrics = client(second).get("/api/metrics").body();
		assertThat(metrics).contains("auth_token_state_lookups_total{source=\"cache\"}")
			.contains("auth_token_state_lookups_total{source=\"database\"}")
			.contains("auth_token_state_listener_up 1.0");
	}

	@Test
	void aLogoutOnOneInstanceIsRefusedByTheOtherWhileItsListenerIsCutAndAfterItReconnects() throws Exception {
		TestUser user = TestUsers.register(client(first));
		TestUser bystander = TestUsers.register(client(first));
		TokenStateCache cache = second.getBean(TokenStateCache.class);
		TokenStateListener listener = second.getBean(TokenStateListener.class);
		// Both tokens are in the second instance's cache, as accepted.
		for (int i = 0; i < 2; i++) {
			assertThat(client(second).get("/api/auth/me", user.cookieHeadersWithoutCsrf()).status()).isEqualTo(200);
			assertThat(client(second).get("/api/auth/me", bystander.bearerHeaders()).status()).isEqualTo(200);
		}
		long connects = listener.connects();

		cutListener(listener.backendPid());
		await().atMost(Duration.ofSeconds(5)).until(() -> !cache.trusted());
		// The cut is noticed: signing out on the first instance now sends a notification
		// the second does not receive.
		assertThat(client(first).postJson("/api/auth/logout", "", user.cookieHeadersWithoutCsrf()).status())
			.isEqualTo(200);
		long asked = cache.databaseLookups();
		long answered = cache.cacheLookups();
		assertThat(client(second).get("/api/auth/me", user.cookieHeadersWithoutCsrf()).status()).isEqualTo(401);
		assertThat(client(second).get("/api/auth/me", bystander.bearerHeaders()).status()).isEqualTo(200);
		// Still down after those requests, which the database answered.
		assertThat(listener.connects()).isEqualTo(connects);
		assertThat(cache.trusted()).isFalse();
		assertThat(cache.databaseLookups()).isEqualTo(asked + 2);
		assertThat(cache.cacheLookups()).isEqualTo(answered);

		await().atMost(RECONNECT_DELAY.plusSeconds(10)).until(() -> listener.connects() > connects && cache.trusted());
		// Listening again: what was cached before the cut (the signed-out token as
		// accepted) is gone, so the database is asked once more, and then the cache
		// refuses the token by itself.
		asked = cache.databaseLookups();
		answered = cache.cacheLookups();
		assertThat(client(second).get("/api/auth/me", user.cookieHeadersWithoutCsrf()).status()).isEqualTo(401);
		assertThat(cache.databaseLookups()).isEqualTo(asked + 1);
		assertThat(client(second).get("/api/auth/me", user.cookieHeadersWithoutCsrf()).status()).isEqualTo(401);
		assertThat(cache.cacheLookups()).isEqualTo(answered + 1);
		assertThat(client(second).get("/api/auth/me", bystander.bearerHeaders()).status()).isEqualTo(200);
		assertThat(client(second).get("/api/auth/me", bystander.bearerHeaders()).status()).isEqualTo(200);
		assertThat(cache.databaseLookups()).isEqualTo(asked + 2);
		assertThat(cache.cacheLookups()).isEqualTo(answered + 2);

		// And a logout after the reconnection reaches the second instance's cache.
		assertThat(client(first).postJson("/api/auth/logout", "", "Authorization", "Bearer " + bystander.bearerToken())
			.status()).isEqualTo(200);
		assertThat(client(second).get("/api/auth/me", bystander.bearerHeaders()).status()).isEqualTo(401);
	}

	@Test
	void aPasswordChangeOnOneInstanceIsRefusedByTheOthersCache() {
		TestUser user = TestUsers.register(client(first));
		TokenStateCache cache = second.getBean(TokenStateCache.class);
		for (int i = 0; i < 2; i++) {
			assertThat(client(second).get("/api/auth/me", user.bearerHeaders()).status()).isEqualTo(200);
		}
		ApiClient.Response changed = client(first).postJson("/api/auth/password",
				Map.of("current_password", user.password(), "new_password", "changed-on-the-first"),
				user.bearerHeaders());
		assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
		assertThat(client(second).get("/api/auth/me", user.bearerHeaders()).status()).isEqualTo(401);
		// The account's new state is cached again and keeps refusing the old token.
		long answered = cache.cacheLookups();
		assertThat(client(second).get("/api/auth/me", user.bearerHeaders()).status()).isEqualTo(401);
		assertThat(cache.cacheLookups()).isEqualTo(answered + 1);
	}

	@Test
	void roleChangesOnOneInstanceApplyOnTheOtherAtOnce() {
		TestUser admin = TestUsers.admin(client(first));
		TestUser user = TestUsers.register(client(first));
		String adminRoute = "/api/admin/users/" + user.username() + "/role";
		for (int i = 0; i < 2; i++) {
			assertThat(client(second).get(adminRoute, user.bearerHeaders()).status()).isEqualTo(403);
		}
		// Repeated, because a cache fed only by asynchronous notifications would lose
		// some of these races on a busy machine.
		for (int round = 0; round < 20; round++) {
			assertThat(putRole(adminRoute, "admin", admin).status()).isEqualTo(200);
			// Any answer but 403: the route exists for admins (here 405, no GET).
			assertThat(client(second).get(adminRoute, user.bearerHeaders()).status()).as("round %d", round)
				.isNotEqualTo(403);
			assertThat(putRole(adminRoute, "user", admin).status()).isEqualTo(200);
			assertThat(client(second).get(adminRoute, user.bearerHeaders()).status()).as("round %d", round)
				.isEqualTo(403);
		}
	}

	private static ApiClient.Response putRole(String path, String role, TestUser as) {
		return client(first).send("PUT", path, "{\"role\":\"" + role + "\"}",
				TestUser.with(as.bearerHeaders(), "Content-Type", "application/json"));
	}

	/** Ends the listener's server process, as a failover or a network cut would. */
	private static void cutListener(int pid) throws SQLException {
		assertThat(pid).isPositive();
		try (Connection connection = DriverManager.getConnection(database.url(), database.username(),
				database.password());
				PreparedStatement terminate = connection.prepareStatement(
						"select pg_terminate_backend(pid) from pg_stat_activity where pid = ? and application_name = ?")) {
			terminate.setInt(1, pid);
			terminate.setString(2, TokenStateListener.APPLICATION_NAME);
			var rows = terminate.executeQuery();
			assertThat(rows.next()).as("the listener's connection").isTrue();
			assertThat(rows.getBoolean(1)).isTrue();
		}
	}

	private static void awaitListening(ConfigurableApplicationContext context) {
		TokenStateCache cache = context.getBean(TokenStateCache.class);
		await().atMost(Duration.ofSeconds(20)).until(cache::trusted);
	}

	private static ConfigurableApplicationContext start(String... arguments) {
		String[] all = new String[arguments.length + 4];
		all[0] = "--spring.datasource.url=" + database.url();
		all[1] = "--spring.datasource.username=" + database.username();
		all[2] = "--spring.datasource.password=" + database.password();
		all[3] = "--server.port=0";
		System.arraycopy(arguments, 0, all, 4, arguments.length);
		return new SpringApplicationBuilder(Application.class).properties("ragchat.test.own-datasource=true").run(all);
	}

	private static ApiClient client(ConfigurableApplicationContext context) {
		return new ApiClient(((WebServerApplicationContext) context).getWebServer().getPort());
	}

}
