package com.ragchat.observability;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import com.ragchat.support.ApiClient;
import com.ragchat.support.TestUsers;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The provider series the alerts and the dashboard use ({@code chatbot_provider_*}),
 * recorded by the provider adapters' own instrumentation while the selected model's
 * server refuses connections: latency with outcome {@code error} and the error counter by
 * reason. Runs where the provider adapters are part of the build (package
 * {@code com.ragchat.provider}).
 */
@EnabledIf("providerAdaptersPresent")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "APP_ENV=test", "LLM_PROVIDER=openai", "OPENAI_API_KEY=sk-test-not-a-real-key",
				"RETRIEVER_PROVIDER=mock", "PROVIDER_MAX_RETRIES=0", "PROVIDER_TIMEOUT_SECONDS=5" })
class ProviderMetricsTests {

	@LocalServerPort
	int port;

	static boolean providerAdaptersPresent() {
		try {
			Class.forName("com.ragchat.provider.ProviderCallGuard", false, ProviderMetricsTests.class.getClassLoader());
			return true;
		}
		catch (ClassNotFoundException ex) {
			return false;
		}
	}

	static boolean isProviderSeries(String name) {
		return name.startsWith("chatbot_provider_");
	}

	@DynamicPropertySource
	static void unreachableModelServer(DynamicPropertyRegistry registry) throws IOException {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		registry.add("OPENAI_BASE_URL", () -> "http://127.0.0.1:" + closedPort);
	}

	@Test
	void providerSeriesUsedByAlertsAndDashboardAreExposed() throws IOException {
		ApiClient api = new ApiClient(this.port);
		TestUsers.TestUser user = TestUsers.register(api);
		ApiClient.Response failed = api.postJson("/api/chat/chat", Map.of("content", "hello"), user.bearerHeaders());
		assertThat(failed.status()).as(failed.toString()).isIn(502, 503, 504);

		PrometheusText metrics = PrometheusText.parse(api.get("/api/metrics").body());
		assertThat(metrics.named("chatbot_provider_errors_total",
				(labels) -> "openai".equals(labels.get("provider")) && "chat".equals(labels.get("operation"))))
			.isNotEmpty()
			.allSatisfy((sample) -> assertThat(sample.labels().keySet()).containsExactlyInAnyOrder("provider",
					"operation", "reason"));
		assertThat(metrics.named("chatbot_provider_latency_seconds_count",
				(labels) -> "openai".equals(labels.get("provider")) && "error".equals(labels.get("outcome"))))
			.isNotEmpty()
			.allSatisfy((sample) -> assertThat(sample.labels().keySet()).containsExactlyInAnyOrder("provider",
					"operation", "outcome"));
		assertThat(metrics
			.named("chatbot_provider_latency_seconds_bucket", (labels) -> "openai".equals(labels.get("provider")))
			.stream()
			.map((sample) -> sample.labels().get("le"))
			.distinct()).contains("0.01", "0.05", "0.1", "0.25", "0.5", "1.0", "2.0", "5.0", "10.0", "20.0", "+Inf");

		Set<String> used = new TreeSet<>();
		OperationsArtifactsTests.alertExpressions().values().forEach((expr) -> used.addAll(PromQlNames.of(expr)));
		OperationsArtifactsTests.dashboardExpressions().values().forEach((expr) -> used.addAll(PromQlNames.of(expr)));
		used.removeIf((name) -> !isProviderSeries(name));
		assertThat(used).isNotEmpty();
		assertThat(metrics.names()).containsAll(used);
	}

}
