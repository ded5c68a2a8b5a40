package com.ragchat.observability;

import org.junit.jupiter.api.Test;

import com.ragchat.support.ApiClient;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/** The service routes of API.md §3.1 and the request id of §5, over real HTTP. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "APP_ENV=test")
class HealthEndpointsTests {

	@LocalServerPort
	int port;

	@Test
	void healthReportsTheEnvironmentAndVersion() {
		ApiClient.Response response = new ApiClient(this.port).get("/api/health");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.json().get("status").asString()).isEqualTo("ok");
		assertThat(response.json().get("message").asString()).isEqualTo("API is healthy");
		assertThat(response.json().get("app_env").asString()).isEqualTo("test");
		assertThat(response.json().get("environment").asString()).isEqualTo("test");
		assertThat(response.json().get("version").asString()).isNotBlank();
	}

	@Test
	void readinessChecksTheDatabase() {
		ApiClient.Response response = new ApiClient(this.port).get("/api/health/ready");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.json().get("components").get("database").asString()).isEqualTo("up");
	}

	@Test
	void rootSaysOk() {
		ApiClient.Response response = new ApiClient(this.port).get("/");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("{\"message\":\"OK\"}");
	}

	@Test
	void requestIdIsEchoedWhenSaneAndReplacedOtherwise() {
		ApiClient api = new ApiClient(this.port);
		assertThat(api.get("/api/health", "X-Request-ID", "abc.DEF_1-2@x").header("X-Request-ID"))
			.isEqualTo("abc.DEF_1-2@x");
		assertThat(
				api.get("/api/health", "X-Request-ID", "3F2504E0-4F89-11D3-9A0C-0305E82C3301").header("X-Request-ID"))
			.isEqualTo("3f2504e0-4f89-11d3-9a0c-0305e82c3301");
		String replaced = api.get("/api/health", "X-Request-ID", "bad id; drop table").header("X-Request-ID");
		assertThat(replaced).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
		String tooLong = api.get("/api/health", "X-Request-ID", "a".repeat(129)).header("X-Request-ID");
		assertThat(tooLong).hasSize(36);
		assertThat(api.get("/api/health").header("X-Request-ID")).hasSize(36);
	}

}
