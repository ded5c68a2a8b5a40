package com.ragchat.platform;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import com.ragchat.Application;
import com.ragchat.support.ApiClient;
import com.ragchat.support.TestUsers;
import com.ragchat.support.TestUsers.TestUser;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The database goes away while the application runs, and comes back. A {@link TcpProxy}
 * sits between the application and its PostgreSQL; cutting it is what the application
 * sees when its database server dies: open connections break, new ones are refused.
 */
class FaultDatabaseOutageTests {

	private static final Logger logger = LoggerFactory.getLogger(FaultDatabaseOutageTests.class);

	static final long POOL_TIMEOUT_MS = 3000;

	static TestDatabase.Info database;

	static TcpProxy proxy;

	static ConfigurableApplicationContext app;

	static ApiClient api;

	static JdbcTemplate direct;

	static SingleConnectionDataSource directSource;

	@BeforeAll
	static void start() throws Exception {
		database = TestDatabase.createEmptyDatabase();
		proxy = TcpProxy.inFrontOf(database.url());
		app = new SpringApplicationBuilder(Application.class).properties("ragchat.test.own-datasource=true")
			.run("--spring.datasource.url=" + proxy.jdbcUrl(database.url()),
					"--spring.datasource.username=" + database.username(),
					"--spring.datasource.password=" + database.password(), "--STREAM_ARTIFICIAL_DELAY_MS=150",
					// How long a request waits for a connection (default 10 s).
					"--DB_POOL_TIMEOUT_MS=" + POOL_TIMEOUT_MS, "--RATE_LIMIT_ENABLED=true",
					"--RATE_LIMIT_LOGIN_PER_MINUTE=1000", "--RATE_LIMIT_REGISTER_PER_MINUTE=1000",
					"--RATE_LIMIT_CHAT_PER_MINUTE=1000", "--server.port=0");
		api = new ApiClient(((WebServerApplicationContext) app).getWebServer().getPort());
		// The test's own view of the data, past the proxy.
		directSource = new SingleConnectionDataSource(database.url(), database.username(), database.password(), true);
		direct = new JdbcTemplate(directSource);
	}

	@AfterEach
	void databaseBack() throws Exception {
		proxy.restore();
	}

	@AfterAll
	static void stop() throws Exception {
		if (app != null) {
			app.close();
		}
		if (proxy != null) {
			proxy.close();
		}
		if (directSource != null) {
			directSource.destroy();
		}
	}

	@Test
	void readinessNamesTheDatabaseWhileItIsAwayAndRecoversWithoutRestart() throws Exception {
		assertThat(api.get("/api/health/ready").status()).isEqualTo(200);

		proxy.cut();
		// The first probe finds a pooled connection broken; the next ones find no
		// connection to be had. Either way the answer comes within the probe's own
		// budget (2 s), not after the pool's wait.
		for (int probe = 0; probe < 3; probe++) {
			long started = System.nanoTime();
			ApiClient.Response notReady = api.get("/api/health/ready");
			long elapsed = millisSince(started);
			logger.info("Readiness during the outage: {} {} in {} ms", notReady.status(),
					notReady.json().get("components"), elapsed);
			assertThat(notReady.status()).isEqualTo(503);
			assertThat(notReady.contentType()).isEqualTo("application/problem+json");
			assertThat(notReady.json().get("detail").asString()).isEqualTo("Not ready: database unavailable.");
			assertThat(notReady.json().get("components").get("database").asString()).isIn("down", "timeout");
			assertThat(elapsed).isLessThan(3000);
			ApiClient.Response live = api.get("/api/health");
			assertThat(live.status()).isEqualTo(200);
			assertThat(live.json().get("status").asString()).isEqualTo("ok");
		}

		proxy.restore();
		long restored = System.nanoTime();
		await().atMost(Duration.ofSeconds(20)).until(() -> api.get("/api/health/ready").status() == 200);
		logger.info("Ready again {} ms after the database came back", millisSince(restored));
	}

	@Test
	void requestsDuringTheOutageGetAProblemAndNoAcknowledgedMessageIsLost() throws Exception {
		TestUser user = TestUsers.register(api);
		List<Long> acknowledged = new ArrayList<>();
		ApiClient.Response first = api.postJson("/api/chat/chat", Map.of("content", "before the outage"),
				user.bearerHeaders());
		assertThat(first.status()).isEqualTo(200);
		long sessionId = first.json().get("session_id").asLong();
		acknowledged.add(first.json().get("user_message").get("id").asLong());
		acknowledged.add(first.json().get("assistant_message").get("id").asLong());
		try (EventStream streamed = EventStream.open(HttpClient.newHttpClient(), api.baseUrl(), user.bearerToken(),
				"{\"content\":\"streamed before the outage\"}")) {
			JsonNode done = streamed.last(Duration.ofSeconds(30));
			assertThat(done.get("type").asString()).isEqualTo("done");
			acknowledged.add(done.get("user_message_id").asLong());
			acknowledged.add(done.get("assistant_message_id").asLong());
		}

		proxy.cut();
		String lostQuestion = "asked during the outage " + UUID.randomUUID();
		Map<String, Supplier<ApiClient.Response>> requests = Map.of("login",
				() -> api
					.postJson("/api/auth/login-json", Map.of("username", user.username(), "password", user.password())),
				"register",
				() -> api.postJson("/api/auth/register",
						Map.of("username", "outage-" + UUID.randomUUID().toString().substring(0, 8), "email",
								UUID.randomUUID() + "@example.com", "password", "outage-password")),
				"sessions", () -> api.get("/api/chat/sessions", user.bearerHeaders()), "chat",
				() -> api.postJson("/api/chat/chat", Map.of("content", lostQuestion, "session_id", sessionId),
						user.bearerHeaders()),
				"stream",
				() -> api.postJson("/api/chat/stream", Map.of("content", lostQuestion), user.bearerHeaders()));
		Map<String, CompletableFuture<Timed>> running = new LinkedHashMap<>();
		requests.forEach((name, request) -> running.put(name, CompletableFuture.supplyAsync(() -> {
			long t = System.nanoTime();
			ApiClient.Response response = request.get();
			return new Timed(response, millisSince(t));
		})));
		for (Map.Entry<String, CompletableFuture<Timed>> entry : running.entrySet()) {
			Timed timed = entry.getValue().get(60, TimeUnit.SECONDS);
			logger.info("During the outage, {}: {} in {} ms", entry.getKey(), timed.response().status(),
					timed.millis());
			assertProblemWithoutInternals(entry.getKey(), timed.response());
			// Bounded by the pool's wait for a connection: once for a signed-in request
			// (the token check fails), twice for sign-in and registration (the rate
			// limit check waits, gives up and lets the request through, which waits
			// again).
			int waits = Set.of("login", "register").contains(entry.getKey()) ? 2 : 1;
			assertThat(timed.millis()).as(entry.getKey()).isLessThan(waits * POOL_TIMEOUT_MS + 3000);
		}

		proxy.restore();
		await().atMost(Duration.ofSeconds(20)).until(() -> api.get("/api/health/ready").status() == 200);
		TestUser again = TestUsers.signIn(api, user.username(), user.password(), user.email());
		ApiClient.Response after = api.postJson("/api/chat/sessions/" + sessionId + "/messages",
				Map.of("content", "after the outage"), again.bearerHeaders());
		assertThat(after.status()).as(after.toString()).isEqualTo(200);
		acknowledged.add(after.json().get("user_message").get("id").asLong());
		acknowledged.add(after.json().get("assistant_message").get("id").asLong());

		assertThat(direct.queryForList(
				"select m.id from chat_messages m join chat_sessions s on s.id = m.session_id where s.user_id = ?",
				Long.class, user.id()))
			.containsAll(acknowledged);
		assertThat(
				direct.queryForObject("select count(*) from chat_messages where content = ?", Long.class, lostQuestion))
			.isZero();
		assertConsistent(user.id());
		HikariDataSource pool = (HikariDataSource) app.getBean(DataSource.class);
		assertThat(pool.getHikariPoolMXBean().getTotalConnections()).isPositive();
		assertThat(pool.getHikariPoolMXBean().getThreadsAwaitingConnection()).isZero();
	}

	@Test
	void aTurnWhoseDatabaseGoesAwayBetweenQuestionAndAnswerKeepsItsQuestionOnly() throws Exception {
		TestUser user = TestUsers.register(api);
		HikariDataSource pool = (HikariDataSource) app.getBean(DataSource.class);
		int connectionsBefore = proxy.connectionsAccepted();
		String streamed = String.join(" ", Collections.nCopies(30, "streamed"));
		String buffered = String.join(" ", Collections.nCopies(30, "buffered"));
		HttpClient client = HttpClient.newHttpClient();

		EventStream stream = EventStream.open(client, api.baseUrl(), user.bearerToken(),
				ApiClient.JSON.writeValueAsString(Map.of("content", streamed)));
		assertThat(stream.status()).isEqualTo(200);
		stream.await("token", Duration.ofSeconds(10));
		CompletableFuture<ApiClient.Response> chat = CompletableFuture
			.supplyAsync(() -> api.postJson("/api/chat/chat", Map.of("content", buffered), user.bearerHeaders()));
		// Both questions are stored and both answers are being generated.
		await().atMost(Duration.ofSeconds(10))
			.until(() -> direct.queryForObject("select count(*) from chat_messages where content = ?", Long.class,
					buffered) == 1);
		proxy.cut();
		long cut = System.nanoTime();

		JsonNode end = stream.last(Duration.ofSeconds(60));
		logger.info("Stream ended {} ms after the cut: {}", millisSince(cut), end);
		assertThat(end.get("type").asString()).isEqualTo("error");
		assertThat(stream.received()).noneMatch((e) -> "done".equals(e.get("type").asString()));
		ApiClient.Response failed = chat.get(60, TimeUnit.SECONDS);
		logger.info("Chat failed {} ms after the cut: {}", millisSince(cut), failed.status());
		assertProblemWithoutInternals("chat", failed);

		proxy.restore();
		await().atMost(Duration.ofSeconds(20)).until(() -> api.get("/api/health/ready").status() == 200);
		for (String question : List.of(streamed, buffered)) {
			List<Map<String, Object>> rows = direct.queryForList(
					"select m.session_id, (select count(*) from chat_messages a where a.session_id = m.session_id"
							+ " and a.role = 'assistant') as answers from chat_messages m where m.content = ?",
					question);
			assertThat(rows).as(question).hasSize(1);
			assertThat(((Number) rows.get(0).get("answers")).longValue()).as(question).isZero();
		}

		// The same session carries on, and the pool made fresh connections.
		long sessionId = direct.queryForObject("select session_id from chat_messages where content = ?", Long.class,
				streamed);
		EventStream resumed = EventStream.open(client, api.baseUrl(), user.bearerToken(),
				ApiClient.JSON.writeValueAsString(Map.of("content", "once more", "session_id", sessionId)));
		JsonNode done = resumed.last(Duration.ofSeconds(30));
		assertThat(done.get("type").asString()).isEqualTo("done");
		assertThat(direct.queryForObject("select count(*) from chat_messages where id in (?, ?) and session_id = ?",
				Long.class, done.get("user_message_id").asLong(), done.get("assistant_message_id").asLong(), sessionId))
			.isEqualTo(2);
		assertThat(proxy.connectionsAccepted()).isGreaterThan(connectionsBefore);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> pool.getHikariPoolMXBean().getActiveConnections() == 0
					&& pool.getHikariPoolMXBean().getThreadsAwaitingConnection() == 0);
		assertConsistent(user.id());
	}

	/**
	 * Every session has its first question, and every answer follows a question in its
	 * session: no half-written turn stayed behind.
	 */
	private static void assertConsistent(long userId) {
		List<Map<String, Object>> messages = direct
			.queryForList("select m.session_id, m.role from chat_messages m join chat_sessions s on s.id = m.session_id"
					+ " where s.user_id = ? order by m.session_id, m.id", userId);
		List<Long> sessions = direct.queryForList("select id from chat_sessions where user_id = ?", Long.class, userId);
		for (long session : sessions) {
			List<String> roles = messages.stream()
				.filter((m) -> ((Number) m.get("session_id")).longValue() == session)
				.map((m) -> (String) m.get("role"))
				.toList();
			assertThat(roles).as("session %d", session).isNotEmpty();
			assertThat(roles.get(0)).as("session %d", session).isEqualTo("user");
			for (int i = 1; i < roles.size(); i++) {
				if ("assistant".equals(roles.get(i))) {
					assertThat(roles.get(i - 1)).as("session %d message %d", session, i).isEqualTo("user");
				}
			}
		}
	}

	private static void assertProblemWithoutInternals(String what, ApiClient.Response response) {
		assertThat(response.status()).as(what + ": " + response).isEqualTo(503);
		assertThat(response.json().get("detail").asString()).as(what).isEqualTo(DatabaseUnavailable.DETAIL);
		assertThat(response.contentType()).as(what).startsWith("application/problem+json");
		JsonNode problem = response.json();
		assertThat(problem.get("detail").asString()).as(what).isNotBlank();
		assertThat(problem.get("request_id").asString()).as(what).isNotBlank();
		assertThat(response.body()).as(what)
			.doesNotContainIgnoringCase("exception")
			.doesNotContain("org.postgresql")
			.doesNotContain("Hikari")
			.doesNotContain("SQL")
			.doesNotContain("\tat ");
	}

	private static long millisSince(long nanos) {
		return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
	}

	record Timed(ApiClient.Response response, long millis) {
	}

}
