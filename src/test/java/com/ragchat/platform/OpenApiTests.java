package com.ragchat.platform;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import com.ragchat.support.ApiClient;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAPI description exists only when asked for. */
class OpenApiTests {

	@Nested
	@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
	class ByDefault {

		@LocalServerPort
		int port;

		@Test
		void thereIsNoApiDescription() {
			ApiClient.Response response = new ApiClient(this.port).get("/api/openapi.json");
			assertThat(response.status()).isEqualTo(404);
			assertThat(new ApiClient(this.port).get("/v3/api-docs").status()).isEqualTo(404);
		}

	}

	@Nested
	@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "OPENAPI_ENABLED=true")
	class WhenEnabled {

		@LocalServerPort
		int port;

		@Test
		void theDescriptionListsTheRoutes() {
			ApiClient.Response response = new ApiClient(this.port).get("/api/openapi.json");
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.json().get("openapi").asString()).startsWith("3.");
			assertThat(response.json().get("paths").propertyNames()).contains("/api/chat/stream",
					"/api/auth/login-json", "/api/chat/sessions/{id}");
		}

	}

}
