package com.ragchat.platform;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import com.ragchat.support.ApiClient;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/** Every response, successful or not, carries the hardening headers of a JSON API. */
class SecurityHeadersTests {

	static void assertHardened(ApiClient.Response response) {
		assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
		assertThat(response.header("Referrer-Policy")).isEqualTo("no-referrer");
		assertThat(response.header("Content-Security-Policy")).isEqualTo("default-src 'none'; frame-ancestors 'none'");
		assertThat(response.header("X-Frame-Options")).isEqualTo("DENY");
		assertThat(response.header("Server")).isNull();
	}

	@Nested
	@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
	class PlainHttp {

		@LocalServerPort
		int port;

		@Test
		void successesAndErrorsAreHardenedButNoHstsOverPlainHttp() {
			ApiClient api = new ApiClient(this.port);
			for (ApiClient.Response response : new ApiClient.Response[] { api.get("/api/health"), api.get("/nope"),
					api.get("/api/protected-anything"), api.send("DELETE", "/api/health", "") }) {
				assertHardened(response);
				assertThat(response.header("Strict-Transport-Security")).isNull();
			}
		}

	}

	@Nested
	@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "AUTH_COOKIE_SECURE=true")
	class BehindTls {

		@LocalServerPort
		int port;

		@Test
		void secureCookiesMeanHstsOnEveryResponse() {
			ApiClient.Response response = new ApiClient(this.port).get("/api/health");
			assertHardened(response);
			assertThat(response.header("Strict-Transport-Security")).isEqualTo("max-age=31536000 ; includeSubDomains");
		}

	}

}
