package com.ragchat.platform;

import com.ragchat.auth.SigningSecretTests;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import com.ragchat.support.ApiClient;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The OpenAPI description and Swagger UI: there for a newcomer in development and test,
 * absent in production unless asked for.
 */
class OpenApiTests {

	static void assertDescribed(int port) {
		ApiClient api = new ApiClient(port);
		ApiClient.Response response = api.get("/api/openapi.json");
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(response.json().get("openapi").asString()).startsWith("3.");
		assertThat(response.json().get("paths").propertyNames()).contains("/api/chat/stream", "/api/auth/login-json",
				"/api/chat/sessions/{id}");
		ApiClient.Response docs = api.get("/api/docs");
		assertThat(docs.status()).as("Swagger UI redirects to its page: %s", docs).isEqualTo(302);
		String page = docs.header("Location");
		ApiClient.Response ui = api.get(page.replaceFirst("^https?://[^/]+", ""));
		assertThat(ui.status()).as("%s: %s", page, ui).isEqualTo(200);
		assertThat(ui.contentType()).startsWith("text/html");
		assertThat(ui.body()).contains("swagger-ui");
		assertThat(ui.header("Content-Security-Policy")).contains("default-src 'self'");
		ApiClient.Response config = api.get("/api/openapi.json/swagger-config");
		assertThat(config.status()).as(config.toString()).isEqualTo(200);
		assertThat(config.body()).contains("/api/openapi.json");
	}

	static void assertNotDescribed(int port) {
		ApiClient api = new ApiClient(port);
		ApiClient.Response response = api.get("/api/openapi.json");
		assertThat(response.status()).isEqualTo(404);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(api.get("/v3/api-docs").status()).isEqualTo(404);
		assertThat(api.get("/api/docs").status()).isEqualTo(404);
		assertThat(api.get("/api/swagger-ui/index.html").status()).isEqualTo(404);
	}

	@Test
	void theSettingIsTrueOrFalseOrUnset() {
		assertThat(ApiDocsEnvironmentPostProcessor.enabled(null, "development")).isTrue();
		assertThat(ApiDocsEnvironmentPostProcessor.enabled(" ", "test")).isTrue();
		assertThat(ApiDocsEnvironmentPostProcessor.enabled(null, "production")).isFalse();
		assertThat(ApiDocsEnvironmentPostProcessor.enabled("TRUE", "production")).isTrue();
		assertThat(ApiDocsEnvironmentPostProcessor.enabled("false", "development")).isFalse();
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> ApiDocsEnvironmentPostProcessor.enabled("yes", "development"))
			.withMessageContaining("OPENAPI_ENABLED");
	}

	@Nested
	@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
	class InDevelopmentAndTest {

		@LocalServerPort
		int port;

		@Test
		void theDescriptionAndSwaggerUiAreThere() {
			assertDescribed(this.port);
		}

	}

	@Nested
	@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = { "APP_ENV=production", "AUTH_COOKIE_SECURE=", "METRICS_PUBLIC=true", "ADMIN_USERNAMES=",
					"SECRET_KEY=" + SigningSecretTests.RANDOM_KEY })
	class InProduction {

		@LocalServerPort
		int port;

		@Test
		void thereIsNoApiDescription() {
			assertNotDescribed(this.port);
		}

	}

	@Nested
	@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = { "APP_ENV=production", "AUTH_COOKIE_SECURE=", "OPENAPI_ENABLED=true", "METRICS_PUBLIC=true",
					"ADMIN_USERNAMES=", "SECRET_KEY=" + SigningSecretTests.RANDOM_KEY })
	class InProductionWhenEnabled {

		@LocalServerPort
		int port;

		@Test
		void theDescriptionAndSwaggerUiAreThere() {
			assertDescribed(this.port);
		}

	}

}
