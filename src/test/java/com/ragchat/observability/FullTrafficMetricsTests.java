package com.ragchat.observability;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.ragchat.support.ApiClient;
import com.ragchat.support.TestUsers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * After a real session of use (sign-up, sign-in, sessions, buffered and streamed chat,
 * refusals by security and by the rate limiter), {@code /api/metrics} has each
 * {@code chatbot_*} series of API.md §5 with the right labels and route templates.
 */
class FullTrafficMetricsTests extends FullApplicationTestSupport {

	private static final String REQUESTS = "chatbot_http_requests_total";

	@Test
	void chatbotSeriesAfterRealTraffic() {
		ApiClient api = api();
		TestUsers.TestUser user = registerUser();
		TestUsers.TestUser other = registerUser();
		long session = createSession(user, "Metrics session");
		long foreign = createSession(other, "Not yours");

		assertThat(api.get("/api/chat/sessions/" + session, user.cookieHeaders()).status()).isEqualTo(200);
		assertThat(api.get("/api/chat/sessions/" + foreign, user.cookieHeaders()).status()).isEqualTo(403);
		assertThat(api.get("/api/chat/sessions/987654321", user.cookieHeaders()).status()).isEqualTo(404);
		assertThat(api.get("/api/chat/sessions/" + session).status()).isEqualTo(401);
		assertThat(api
			.postJson("/api/chat/chat", Map.of("content", "hello there", "session_id", session),
					fromClient(user.bearerHeaders()))
			.status()).isEqualTo(200);
		assertThat(api
			.postJson("/api/chat/sessions/" + session + "/messages", Map.of("content", "and again"),
					fromClient(user.bearerHeaders()))
			.status()).isEqualTo(200);
		stream(user, session, "stream it");
		stream(user, session, "stream it again");
		// Four registrations from one client address: the fourth is refused by the
		// limiter.
		String address = randomAddress();
		int lastStatus = 0;
		for (int i = 0; i < 4; i++) {
			lastStatus = api.postJson("/api/auth/register", Map.of("username", "x"), "X-Forwarded-For", address)
				.status();
		}
		assertThat(lastStatus).isEqualTo(429);

		PrometheusText metrics = scrape();

		assertThat(count(metrics, "POST", "/api/auth/register", "200")).isGreaterThanOrEqualTo(2);
		assertThat(count(metrics, "POST", "/api/auth/register", "422")).isGreaterThanOrEqualTo(1);
		assertThat(count(metrics, "POST", "/api/auth/register", "429")).isGreaterThanOrEqualTo(1);
		assertThat(count(metrics, "POST", "/api/auth/login-json", "200")).isGreaterThanOrEqualTo(2);
		assertThat(count(metrics, "POST", "/api/auth/token", "200")).isGreaterThanOrEqualTo(2);
		assertThat(count(metrics, "POST", "/api/chat/sessions", "200")).isGreaterThanOrEqualTo(2);
		assertThat(count(metrics, "GET", "/api/chat/sessions/{id}", "200")).isGreaterThanOrEqualTo(1);
		assertThat(count(metrics, "GET", "/api/chat/sessions/{id}", "403")).isGreaterThanOrEqualTo(1);
		assertThat(count(metrics, "GET", "/api/chat/sessions/{id}", "404")).isGreaterThanOrEqualTo(1);
		// Refused by security before any controller ran, still under its template.
		assertThat(count(metrics, "GET", "/api/chat/sessions/{id}", "401")).isGreaterThanOrEqualTo(1);
		assertThat(count(metrics, "POST", "/api/chat/chat", "200")).isGreaterThanOrEqualTo(1);
		assertThat(count(metrics, "POST", "/api/chat/sessions/{id}/messages", "200")).isGreaterThanOrEqualTo(1);
		assertThat(count(metrics, "POST", "/api/chat/stream", "200")).isGreaterThanOrEqualTo(2);

		assertThat(metrics.named(REQUESTS)).allSatisfy((sample) -> assertThat(sample.labels().keySet())
			.containsExactlyInAnyOrder("method", "path", "status_code"));
		assertThat(metrics.named("chatbot_http_request_latency_seconds_bucket")).allSatisfy(
				(sample) -> assertThat(sample.labels().keySet()).containsExactlyInAnyOrder("method", "path", "le"));
		List<String> paths = metrics.samples()
			.stream()
			.filter((sample) -> sample.name().startsWith("chatbot_http_"))
			.map((sample) -> sample.labels().get("path"))
			.distinct()
			.toList();
		assertThat(paths).noneMatch((path) -> path.matches(".*/\\d+(/.*)?"))
			.noneMatch((path) -> path.contains(Long.toString(session)));

		assertThat(buckets(metrics, "chatbot_http_request_latency_seconds_bucket",
				Map.of("method", "POST", "path", "/api/chat/stream")))
			.contains("0.01", "0.05", "0.1", "0.25", "0.5", "1.0", "2.0", "5.0", "10.0", "+Inf");
		assertThat(metrics.value("chatbot_chat_first_token_latency_seconds_count", Map.of()))
			.isGreaterThanOrEqualTo(2.0);
		assertThat(buckets(metrics, "chatbot_chat_first_token_latency_seconds_bucket", Map.of())).contains("0.01",
				"0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.0", "5.0", "10.0", "20.0", "30.0", "60.0", "+Inf");
		for (String gauge : new String[] { "chatbot_db_pool_size", "chatbot_db_pool_checked_out",
				"chatbot_db_pool_checked_in", "chatbot_db_pool_overflow", "chatbot_db_pool_usage_ratio" }) {
			assertThat(metrics.named(gauge)).as(gauge).hasSize(1);
			assertThat(metrics.named(gauge).get(0).labels()).as(gauge).isEmpty();
		}
	}

	private static double count(PrometheusText metrics, String method, String path, String status) {
		double value = metrics.value(REQUESTS, Map.of("method", method, "path", path, "status_code", status));
		return Double.isNaN(value) ? 0 : value;
	}

	private static Set<String> buckets(PrometheusText metrics, String name, Map<String, String> labels) {
		return metrics.named(name, (actual) -> actual.entrySet().containsAll(labels.entrySet()))
			.stream()
			.map((sample) -> sample.labels().get("le"))
			.collect(Collectors.toCollection(TreeSet::new));
	}

}
