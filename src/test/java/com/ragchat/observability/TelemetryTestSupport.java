package com.ragchat.observability;

import com.ragchat.support.ApiClient;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

/**
 * One running application (same configuration, so one cached context) for the metrics,
 * pool and logging tests: a small pool with known limits and the {@link ProbeRoutes}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "APP_ENV=test", "DB_POOL_SIZE=6", "DB_POOL_MIN_IDLE=2", "DB_POOL_TIMEOUT_MS=20000" })
@Import(ProbeRoutes.class)
abstract class TelemetryTestSupport {

	static final int POOL_MAX = 6;

	static final int POOL_MIN_IDLE = 2;

	@LocalServerPort
	int port;

	ApiClient api() {
		return new ApiClient(this.port);
	}

	PrometheusText scrape() {
		ApiClient.Response response = api().get("/api/metrics");
		if (response.status() != 200) {
			throw new IllegalStateException("scrape failed: " + response);
		}
		return PrometheusText.parse(response.body());
	}

}
