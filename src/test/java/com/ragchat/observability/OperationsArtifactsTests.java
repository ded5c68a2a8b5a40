package com.ragchat.observability;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;

import com.ragchat.support.ApiClient;
import com.ragchat.support.TestUsers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The alerting rules and the dashboard are written against series this application really
 * exposes: after real traffic, every metric name they use appears in
 * {@code /api/metrics}. Where {@code promtool} is installed (Debian package
 * {@code prometheus}), it validates the rules, runs their unit tests and parses every
 * dashboard query.
 */
class OperationsArtifactsTests extends TelemetryTestSupport {

	static final Path ALERTS = Path.of("ops/prometheus/alerts.yml");

	static final Path ALERT_TESTS = Path.of("ops/prometheus/alerts.test.yml");

	static final Path DASHBOARD = Path.of("ops/grafana/dashboard.json");

	@Test
	void everyMetricNameUsedByAlertsAndDashboardIsExposed() throws IOException {
		Set<String> used = new TreeSet<>();
		alertExpressions().values().forEach((expr) -> used.addAll(PromQlNames.of(expr)));
		dashboardExpressions().values().forEach((expr) -> used.addAll(PromQlNames.of(expr)));
		assertThat(used).as("names found in the files")
			.contains("chatbot_http_requests_total", "chatbot_http_request_latency_seconds_bucket",
					"chatbot_chat_first_token_latency_seconds_bucket", "chatbot_provider_errors_total",
					"chatbot_db_pool_usage_ratio", "chatbot_app_info");

		generateTraffic();
		Set<String> exposed = scrape().names();
		// Provider series come from the provider adapters: ProviderMetricsTests checks
		// them
		// against a real (failing) provider.
		Set<String> required = new TreeSet<>(used);
		required.removeIf(ProviderMetricsTests::isProviderSeries);
		assertThat(exposed).as("series in /api/metrics after traffic").containsAll(required);
	}

	@Test
	void alertsCoverTheOperationsGuide() throws IOException {
		assertThat(alertExpressions()).containsOnlyKeys("RagchatHigh5xxRate", "RagchatSlowAuthOrSessionApi",
				"RagchatSlowBufferedChat", "RagchatSlowBufferedChatMock", "RagchatSlowFirstToken",
				"RagchatProviderErrors", "RagchatDbPoolSaturated");
	}

	@Test
	void promtoolValidatesTheRulesAndTheirTests() throws Exception {
		Path promtool = promtool();
		assertThat(run(promtool.toString(), "check", "rules", ALERTS.toString())).contains("SUCCESS: 7 rules found");
		assertThat(run(promtool.toString(), "test", "rules", ALERT_TESTS.toString())).contains("SUCCESS");
	}

	@Test
	void promtoolParsesEveryDashboardQuery(@TempDir Path directory) throws Exception {
		Path promtool = promtool();
		List<Map<String, Object>> rules = new ArrayList<>();
		dashboardExpressions().forEach((name, expr) -> {
			if (!expr.startsWith("label_values(")) {
				Map<String, Object> rule = new LinkedHashMap<>();
				rule.put("record", name);
				// Grafana substitutes its variables before sending the query.
				rule.put("expr", expr.replace("$instance", ".*"));
				rules.add(rule);
			}
		});
		Path file = directory.resolve("dashboard-queries.yml");
		Files.writeString(file,
				new Yaml().dump(Map.of("groups", List.of(Map.of("name", "dashboard", "rules", rules)))));
		assertThat(run(promtool.toString(), "check", "rules", file.toString()))
			.contains("SUCCESS: " + rules.size() + " rules found");
	}

	/**
	 * Requests that make every kind of series appear: answers, refusals, failures, a
	 * buffered chat and a stream.
	 */
	private void generateTraffic() {
		ApiClient api = api();
		api.get("/api/health");
		api.get("/probe/items/1");
		api.get("/api/probe/secret/2");
		assertThat(api.get("/probe/boom/3").status()).isEqualTo(500);
		api.get("/api/metrics/db-pool");
		TestUsers.TestUser user = TestUsers.register(api);
		assertThat(api.postJson("/api/chat/chat", Map.of("content", "hello"), user.bearerHeaders()).status())
			.isEqualTo(200);
		ApiClient.Response stream = api.postJson("/api/chat/stream", Map.of("content", "hello again"),
				user.bearerHeaders());
		assertThat(stream.body()).contains("\"type\":\"done\"");
	}

	@SuppressWarnings("unchecked")
	static Map<String, String> alertExpressions() throws IOException {
		Map<String, Object> document = new Yaml().load(Files.readString(ALERTS));
		Map<String, String> expressions = new LinkedHashMap<>();
		for (Map<String, Object> group : (List<Map<String, Object>>) document.get("groups")) {
			for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
				expressions.put((String) rule.get("alert"), (String) rule.get("expr"));
			}
		}
		return expressions;
	}

	/** Every query of the dashboard by a recording-rule-safe name. */
	static Map<String, String> dashboardExpressions() throws IOException {
		JsonNode dashboard = ApiClient.JSON.readTree(Files.readString(DASHBOARD));
		Map<String, String> expressions = new LinkedHashMap<>();
		for (JsonNode panel : dashboard.get("panels")) {
			for (JsonNode target : panel.path("targets")) {
				expressions.put("dashboard:panel_" + panel.get("id").asInt() + "_" + target.get("refId").asString(),
						target.get("expr").asString());
			}
		}
		for (JsonNode variable : dashboard.path("templating").path("list")) {
			JsonNode query = variable.path("query");
			String text = query.isObject() ? query.path("query").asString("") : query.asString("");
			if (text.startsWith("label_values(")) {
				expressions.put("dashboard:variable_" + variable.get("name").asString(), text);
			}
		}
		assertThat(expressions).isNotEmpty();
		return expressions;
	}

	static Path promtool() {
		Optional<Path> found = java.util.Arrays
			.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
			.map((dir) -> Path.of(dir, "promtool"))
			.filter(Files::isExecutable)
			.findFirst();
		Assumptions.assumeTrue(found.isPresent(), "promtool is not installed (Debian package prometheus)");
		return found.get();
	}

	static String run(String... command) throws Exception {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		byte[] output = process.getInputStream().readAllBytes();
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		String text = new String(output, StandardCharsets.UTF_8);
		assertThat(process.exitValue()).as(String.join(" ", command) + "\n" + text).isZero();
		return text;
	}

}
