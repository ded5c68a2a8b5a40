package com.ragchat.observability;

import org.junit.jupiter.api.Test;

import com.ragchat.support.ApiClient;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code METRICS_TOKEN} set, both metrics endpoints demand it as a bearer token; the
 * actuator exposes nothing else.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "APP_ENV=test", "METRICS_TOKEN=" + MetricsTokenTests.TOKEN })
class MetricsTokenTests {

	static final String TOKEN = "test-metrics-token-0123456789";

	@LocalServerPort
	int port;

	@Test
	void metricsEndpointsRequireTheToken() {
		ApiClient api = new ApiClient(this.port);
		for (String path : new String[] { "/api/metrics", "/api/metrics/db-pool" }) {
			ApiClient.Response missing = api.get(path);
			assertThat(missing.status()).as(path).isEqualTo(401);
			assertThat(missing.header("WWW-Authenticate")).isEqualTo("Bearer");
			assertThat(missing.contentType()).startsWith("application/problem+json");
			assertThat(missing.json().get("detail").asString()).isEqualTo("A valid metrics token is required.");
			assertThat(missing.json().get("request_id").asString()).isEqualTo(missing.header("X-Request-ID"));

			assertThat(api.get(path, "Authorization", "Bearer " + TOKEN + "x").status()).isEqualTo(401);
			assertThat(api.get(path, "Authorization", "Bearer " + TOKEN.substring(1)).status()).isEqualTo(401);
			assertThat(api.get(path, "Authorization", TOKEN).status()).isEqualTo(401);
			assertThat(api.get(path, "Authorization", "Basic " + TOKEN).status()).isEqualTo(401);

			ApiClient.Response allowed = api.get(path, "Authorization", "Bearer " + TOKEN);
			assertThat(allowed.status()).as(path).isEqualTo(200);
		}
		assertThat(api.get("/api/metrics", "Authorization", "Bearer " + TOKEN).body()).contains("chatbot_db_pool_size");
	}

	@Test
	void refusedScrapesAreCountedToo() {
		ApiClient api = new ApiClient(this.port);
		api.get("/api/metrics");
		String metrics = api.get("/api/metrics", "Authorization", "Bearer " + TOKEN).body();
		assertThat(PrometheusText.parse(metrics)
			.named("chatbot_http_requests_total",
					(labels) -> "/api/metrics".equals(labels.get("path")) && "401".equals(labels.get("status_code"))))
			.isNotEmpty();
	}

	@Test
	void noOtherActuatorEndpointIsReachable() {
		ApiClient api = new ApiClient(this.port);
		String[] elsewhere = { "/actuator", "/actuator/health", "/actuator/prometheus", "/actuator/env",
				"/api/prometheus", "/api/env", "/api/beans", "/api/heapdump", "/api/loggers", "/api/threaddump",
				"/api/configprops", "/api/mappings", "/api/info", "/api" };
		for (String path : elsewhere) {
			// With the metrics token as credentials: it opens the metrics endpoints only.
			ApiClient.Response response = api.get(path, "Authorization", "Bearer " + TOKEN);
			assertThat(response.status()).as(path).isIn(401, 404);
			assertThat(response.body()).as(path).doesNotContain("jvm_", "\"_links\"", "propertySources");
		}
	}

}
