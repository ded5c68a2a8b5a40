package com.ragchat.observability;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import com.ragchat.support.ApiClient;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /api/metrics/db-pool} and the {@code chatbot_db_pool_*} gauges against the
 * pool's real state while the test holds connections: every field, the waiting threads,
 * and gauges that change without anyone calling the JSON endpoint.
 */
class ConnectionPoolTests extends TelemetryTestSupport {

	private final List<Connection> held = new ArrayList<>();

	@Autowired
	DataSource dataSource;

	@AfterEach
	void release() throws Exception {
		for (Connection connection : this.held) {
			connection.close();
		}
		this.held.clear();
	}

	@Test
	void snapshotMatchesThePoolWhileConnectionsAreHeld() throws Exception {
		hold(3);
		HikariPoolMXBean pool = pool();
		JsonNode snapshot = stableSnapshot(pool);

		assertThat(snapshot.propertyNames()).containsExactlyInAnyOrder("size", "checkedout", "checkedin", "overflow",
				"usage_ratio", "max", "pending");
		assertThat(snapshot.get("checkedout").asInt()).isGreaterThanOrEqualTo(3);
		assertThat(snapshot.get("checkedout").asInt()).isEqualTo(pool.getActiveConnections());
		assertThat(snapshot.get("checkedin").asInt()).isEqualTo(pool.getIdleConnections());
		assertThat(snapshot.get("size").asInt()).isEqualTo(pool.getTotalConnections())
			.isEqualTo(snapshot.get("checkedout").asInt() + snapshot.get("checkedin").asInt());
		assertThat(snapshot.get("overflow").asInt()).isEqualTo(snapshot.get("size").asInt() - POOL_MIN_IDLE);
		assertThat(snapshot.get("max").asInt()).isEqualTo(POOL_MAX);
		assertThat(snapshot.get("usage_ratio").asDouble()).isEqualTo(snapshot.get("checkedout").asDouble() / POOL_MAX);
		assertThat(snapshot.get("pending").asInt()).isZero();
	}

	@Test
	void waitingThreadsShowAsPendingAndTheEndpointNeedsNoConnection() throws Exception {
		hold(POOL_MAX);
		CompletableFuture<Connection> waiting = CompletableFuture.supplyAsync(() -> {
			try {
				return this.dataSource.getConnection();
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		});
		try {
			JsonNode snapshot = awaitSnapshot((json) -> json.get("pending").asInt() >= 1);
			// Answered while the pool is exhausted: the endpoint does not touch the pool.
			assertThat(snapshot.get("checkedout").asInt()).isEqualTo(POOL_MAX);
			assertThat(snapshot.get("checkedin").asInt()).isZero();
			assertThat(snapshot.get("usage_ratio").asDouble()).isEqualTo(1.0);
			assertThat(snapshot.get("pending").asInt()).isEqualTo(pool().getThreadsAwaitingConnection());
			assertThat(scrape().value("chatbot_db_pool_usage_ratio", Map.of())).isEqualTo(1.0);
		}
		finally {
			this.held.remove(0).close();
			this.held.add(waiting.get(10, TimeUnit.SECONDS));
		}
	}

	@Test
	void gaugesAreCurrentAtEveryScrapeWithoutCallingTheJsonEndpoint() throws Exception {
		hold(4);
		PrometheusText busy = scrape();
		assertThat(busy.value("chatbot_db_pool_checked_out", Map.of())).isGreaterThanOrEqualTo(4.0);
		assertThat(busy.value("chatbot_db_pool_usage_ratio", Map.of())).isGreaterThanOrEqualTo(4.0 / POOL_MAX);
		assertThat(busy.value("chatbot_db_pool_size", Map.of()))
			.isEqualTo(busy.value("chatbot_db_pool_checked_out", Map.of())
					+ busy.value("chatbot_db_pool_checked_in", Map.of()));
		assertThat(busy.value("chatbot_db_pool_overflow", Map.of()))
			.isEqualTo(busy.value("chatbot_db_pool_size", Map.of()) - POOL_MIN_IDLE);

		release();
		PrometheusText idle = scrape();
		assertThat(idle.value("chatbot_db_pool_checked_out", Map.of()))
			.isLessThanOrEqualTo(busy.value("chatbot_db_pool_checked_out", Map.of()) - 4);
		// Released connections stay open as idle ones.
		assertThat(idle.value("chatbot_db_pool_checked_in", Map.of())).isGreaterThanOrEqualTo(4.0);
	}

	private void hold(int count) throws Exception {
		for (int i = 0; i < count; i++) {
			this.held.add(this.dataSource.getConnection());
		}
	}

	private HikariPoolMXBean pool() throws Exception {
		return this.dataSource.unwrap(HikariDataSource.class).getHikariPoolMXBean();
	}

	/**
	 * The endpoint's answer, taken when the pool reads the same before and after it, so
	 * the comparison is not disturbed by a connection the pool opens meanwhile.
	 */
	private JsonNode stableSnapshot(HikariPoolMXBean pool) {
		for (int attempt = 0; attempt < 50; attempt++) {
			String before = state(pool);
			JsonNode snapshot = dbPool();
			if (before.equals(state(pool)) && before.equals(state(snapshot))) {
				return snapshot;
			}
			sleep(Duration.ofMillis(100));
		}
		throw new AssertionError("the pool never held still long enough to compare");
	}

	private JsonNode awaitSnapshot(java.util.function.Predicate<JsonNode> condition) {
		for (int attempt = 0; attempt < 100; attempt++) {
			JsonNode snapshot = dbPool();
			if (condition.test(snapshot)) {
				return snapshot;
			}
			sleep(Duration.ofMillis(50));
		}
		throw new AssertionError("the pool snapshot never reached the expected state: " + dbPool());
	}

	private JsonNode dbPool() {
		ApiClient.Response response = api().get("/api/metrics/db-pool");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.contentType()).startsWith("application/json");
		return response.json();
	}

	private static String state(HikariPoolMXBean pool) {
		return pool.getActiveConnections() + "/" + pool.getIdleConnections() + "/" + pool.getTotalConnections();
	}

	private static String state(JsonNode snapshot) {
		return snapshot.get("checkedout").asInt() + "/" + snapshot.get("checkedin").asInt() + "/"
				+ snapshot.get("size").asInt();
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
