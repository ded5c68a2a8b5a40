package com.ragchat.observability;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.ragchat.support.ApiClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code chatbot_http_*} series of API.md §5, after real HTTP traffic: route
 * templates (never raw ids) as {@code path}, requests refused by security counted too,
 * failures counted as exceptions, streams timed to their end, the explicit buckets.
 */
class HttpMetricsTests extends TelemetryTestSupport {

	private static final String REQUESTS = "chatbot_http_requests_total";

	private static final String LATENCY = "chatbot_http_request_latency_seconds";

	private static final String EXCEPTIONS = "chatbot_http_request_exceptions_total";

	@Test
	void requestsAreCountedByRouteTemplateAndStatus() {
		PrometheusText before = scrape();
		ApiClient api = api();
		for (int id = 1; id <= 3; id++) {
			assertThat(api.get("/probe/items/" + (1000 + id)).status()).isEqualTo(200);
		}
		assertThat(api.get("/api/health").status()).isEqualTo(200);
		PrometheusText after = scrape();

		Map<String, String> items = Map.of("method", "GET", "path", "/probe/items/{id}", "status_code", "200");
		assertThat(delta(before, after, REQUESTS, items)).isEqualTo(3.0);
		assertThat(delta(before, after, REQUESTS, Map.of("method", "GET", "path", "/api/health", "status_code", "200")))
			.isEqualTo(1.0);
		assertThat(delta(before, after, LATENCY + "_count", Map.of("method", "GET", "path", "/probe/items/{id}")))
			.isEqualTo(3.0);
		assertThat(after.named(REQUESTS)).allSatisfy((sample) -> assertThat(sample.labels().keySet())
			.containsExactlyInAnyOrder("method", "path", "status_code"));
	}

	@Test
	void requestsRefusedBeforeRoutingKeepTheirTemplate() {
		PrometheusText before = scrape();
		ApiClient api = api();
		ApiClient.Response refused = api.get("/api/probe/secret/77");
		assertThat(refused.status()).isEqualTo(401);
		assertThat(api.get("/api/probe/secret/78").status()).isEqualTo(401);
		assertThat(api.get("/api/no-such-route/79").status()).isEqualTo(401);
		assertThat(api.get("/no-such-page/80").status()).isEqualTo(404);
		assertThat(api.send("DELETE", "/api/health", "").status()).isEqualTo(405);
		assertThat(api.send("BREW", "/probe/items/81", "").status()).isGreaterThanOrEqualTo(400);
		PrometheusText after = scrape();

		assertThat(delta(before, after, REQUESTS,
				Map.of("method", "GET", "path", "/api/probe/secret/{id}", "status_code", "401")))
			.isEqualTo(2.0);
		// Unknown paths share one label value, whatever their number.
		assertThat(delta(before, after, REQUESTS,
				Map.of("method", "GET", "path", RouteTemplates.UNMATCHED, "status_code", "401")))
			.isEqualTo(1.0);
		assertThat(delta(before, after, REQUESTS,
				Map.of("method", "GET", "path", RouteTemplates.UNMATCHED, "status_code", "404")))
			.isEqualTo(1.0);
		assertThat(
				delta(before, after, REQUESTS, Map.of("method", "DELETE", "path", "/api/health", "status_code", "405")))
			.isEqualTo(1.0);
		// Invented methods collapse into one value as well.
		assertThat(after.named(REQUESTS, (labels) -> "OTHER".equals(labels.get("method")))).isNotEmpty();
		assertThat(after.named(REQUESTS, (labels) -> "BREW".equals(labels.get("method")))).isEmpty();
	}

	@Test
	void unexpectedFailuresAreCountedAsExceptions() {
		PrometheusText before = scrape();
		ApiClient.Response failed = api().get("/probe/boom/5");
		assertThat(failed.status()).isEqualTo(500);
		assertThat(failed.json().get("request_id").asString()).isEqualTo(failed.header("X-Request-ID"));
		api().get("/probe/items/6");
		PrometheusText after = scrape();

		Map<String, String> route = Map.of("method", "GET", "path", "/probe/boom/{id}");
		assertThat(delta(before, after, EXCEPTIONS, route)).isEqualTo(1.0);
		assertThat(delta(before, after, REQUESTS,
				Map.of("method", "GET", "path", "/probe/boom/{id}", "status_code", "500")))
			.isEqualTo(1.0);
		// A successful request is not an exception.
		assertThat(delta(before, after, EXCEPTIONS, Map.of("method", "GET", "path", "/probe/items/{id}"))).isZero();
		assertThat(after.named(EXCEPTIONS))
			.allSatisfy((sample) -> assertThat(sample.labels().keySet()).containsExactlyInAnyOrder("method", "path"));
	}

	@Test
	void asynchronousRequestsAreTimedToTheirEndAndCountedOnce() {
		PrometheusText before = scrape();
		assertThat(api().get("/probe/slow/9").status()).isEqualTo(200);
		PrometheusText after = scrape();

		Map<String, String> route = Map.of("method", "GET", "path", "/probe/slow/{id}");
		assertThat(delta(before, after, REQUESTS,
				Map.of("method", "GET", "path", "/probe/slow/{id}", "status_code", "200")))
			.isEqualTo(1.0);
		assertThat(delta(before, after, LATENCY + "_count", route)).isEqualTo(1.0);
		// The handler returned at once; the answer came 300 ms later.
		assertThat(delta(before, after, LATENCY + "_bucket", with(route, "le", "0.25"))).isZero();
		assertThat(delta(before, after, LATENCY + "_bucket", with(route, "le", "0.5"))).isEqualTo(1.0);
		assertThat(delta(before, after, LATENCY + "_sum", route)).isGreaterThanOrEqualTo(0.3);
	}

	@Test
	void latencyHistogramHasTheContractBuckets() {
		api().get("/api/health");
		PrometheusText metrics = scrape();
		Set<String> buckets = metrics
			.named(LATENCY + "_bucket",
					(labels) -> "/api/health".equals(labels.get("path")) && "GET".equals(labels.get("method")))
			.stream()
			.map((sample) -> sample.labels().get("le"))
			.collect(Collectors.toCollection(TreeSet::new));
		assertThat(buckets).contains("0.01", "0.05", "0.1", "0.25", "0.5", "1.0", "2.0", "5.0", "10.0", "+Inf");
		// Long enough for the live-model chat alert (p95 above 45 s).
		assertThat(buckets).contains("45.0", "60.0");
	}

	@Test
	void instanceInfoNamesEnvironmentAndProviders() {
		PrometheusText metrics = scrape();
		assertThat(metrics.value("chatbot_app_info",
				Map.of("app_env", "test", "llm_provider", "mock", "retriever_provider", "mock")))
			.isEqualTo(1.0);
		assertThat(metrics.named("chatbot_app_info").get(0).labels()).containsKey("version");
	}

	@Test
	void pathLabelsNeverCarryRawIds() {
		ApiClient api = api();
		for (int id = 0; id < 20; id++) {
			api.get("/probe/items/" + (5000 + id));
			api.get("/api/probe/secret/" + (6000 + id));
			api.get("/nothing-here/" + (7000 + id));
		}
		List<String> paths = scrape().samples()
			.stream()
			.filter((sample) -> sample.name().startsWith("chatbot_http_"))
			.map((sample) -> sample.labels().get("path"))
			.distinct()
			.toList();
		assertThat(paths).isNotEmpty().noneMatch((path) -> path.matches(".*/\\d+(/.*)?"));
		assertThat(paths).contains("/probe/items/{id}", "/api/probe/secret/{id}", RouteTemplates.UNMATCHED);
	}

	@Test
	void standardMetricsStayAvailable() {
		api().get("/api/health");
		Set<String> names = scrape().names();
		assertThat(names).contains("jvm_memory_used_bytes", "jvm_threads_live_threads", "hikaricp_connections_active",
				"hikaricp_connections_max", "http_server_requests_seconds_count",
				"tomcat_sessions_active_current_sessions", "process_uptime_seconds");
	}

	private static double delta(PrometheusText before, PrometheusText after, String name, Map<String, String> labels) {
		double was = before.value(name, labels);
		double now = after.value(name, labels);
		return (Double.isNaN(now) ? 0 : now) - (Double.isNaN(was) ? 0 : was);
	}

	private static Map<String, String> with(Map<String, String> labels, String key, String value) {
		Map<String, String> copy = new java.util.HashMap<>(labels);
		copy.put(key, value);
		return copy;
	}

}
