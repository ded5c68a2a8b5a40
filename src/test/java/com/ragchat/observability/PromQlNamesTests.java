package com.ragchat.observability;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The name extraction the alert and dashboard check relies on. */
class PromQlNamesTests {

	@Test
	void findsMetricsAndIgnoresFunctionsLabelsAndKeywords() {
		assertThat(PromQlNames.of("""
				histogram_quantile(0.95, sum by (instance, le) (rate(chatbot_http_request_latency_seconds_bucket{
				    path="/api/chat/sessions/{id}", method=~"GET|POST"}[5m]))) > 45
				and on (instance) chatbot_app_info{llm_provider!="mock"}
				""")).containsExactly("chatbot_app_info", "chatbot_http_request_latency_seconds_bucket");
		assertThat(PromQlNames
			.of("sum(rate(a_total{status_code=~\"5..\"}[5m])) / sum without (path) (rate(b_total[5m] offset 1h)) > 1e-3"))
			.containsExactly("a_total", "b_total");
		assertThat(PromQlNames.of("avg_over_time(chatbot_db_pool_usage_ratio{instance=~\"$instance\"}[5m])"))
			.containsExactly("chatbot_db_pool_usage_ratio");
		assertThat(PromQlNames.of("label_values(chatbot_app_info, instance)")).containsExactly("chatbot_app_info");
		assertThat(PromQlNames.of("up == bool 1")).containsExactly("up");
	}

}
