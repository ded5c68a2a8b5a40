package com.ragchat.webapp;

import java.util.Map;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import com.ragchat.support.ApiClient;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the web app is served: browsers get the page with its own strict policy, every
 * other client of {@code GET /} keeps the JSON answer, the app's files and libraries are
 * served, and everything else keeps the API's headers and 404s.
 */
class WebAppControllerTests {

	private static final String BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

	@Test
	void browsersGetThePageAndEveryOtherClientTheJson() {
		assertThat(WebAppController.wantsHtml(BROWSER_ACCEPT)).isTrue();
		assertThat(WebAppController.wantsHtml("text/html")).isTrue();
		assertThat(WebAppController.wantsHtml(null)).isFalse();
		assertThat(WebAppController.wantsHtml("")).isFalse();
		assertThat(WebAppController.wantsHtml("*/*")).isFalse();
		assertThat(WebAppController.wantsHtml("application/json")).isFalse();
		assertThat(WebAppController.wantsHtml("application/json, text/html;q=0.5")).isFalse();
		assertThat(WebAppController.wantsHtml("text/html;q=0.9, application/json")).isFalse();
		assertThat(WebAppController.wantsHtml("text/html;q=0")).isFalse();
		assertThat(WebAppController.wantsHtml("not a media type;;")).isFalse();
	}

	@Test
	void oauthButtonsOnlyForProvidersThatAreEnabledAndHaveIdAndSecret() {
		assertThat(providers(Map.of())).isEmpty();
		assertThat(providers(Map.of("app.auth.oauth.github.client-id", "id", "app.auth.oauth.github.client-secret",
				"secret", "app.auth.oauth.google.client-id", "id")))
			.containsExactly("github");
		assertThat(providers(Map.of("app.auth.oauth.enabled-providers", "google", "app.auth.oauth.github.client-id",
				"id", "app.auth.oauth.github.client-secret", "secret", "app.auth.oauth.google.client-id", "gid",
				"app.auth.oauth.google.client-secret", "gsecret")))
			.containsExactly("google");
		assertThat(providers(Map.of("app.auth.oauth.enabled-providers", " GitHub , google",
				"app.auth.oauth.github.client-id", "id", "app.auth.oauth.github.client-secret", " ")))
			.isEmpty();
	}

	private static java.util.List<String> providers(Map<String, String> settings) {
		return WebAppController.configuredOAuthProviders(new Binder(new MapConfigurationPropertySource(settings)));
	}

	@Nested
	@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
	class OverHttp {

		@LocalServerPort
		int port;

		@Test
		void theRootIsThePageForBrowsersWithAStrictPolicy() {
			ApiClient.Response page = new ApiClient(this.port).get("/", "Accept", BROWSER_ACCEPT);
			assertThat(page.status()).isEqualTo(200);
			assertThat(page.contentType()).startsWith("text/html");
			assertThat(page.body()).contains("<script type=\"module\" src=\"/assets/app.js\"></script>")
				.doesNotContain("<style")
				.doesNotContain("style=")
				.doesNotContain("onclick");
			String policy = page.header("Content-Security-Policy");
			assertThat(policy).contains("default-src 'none'")
				.contains("script-src 'self'")
				.contains("style-src 'self'")
				.contains("frame-ancestors 'none'")
				.doesNotContain("unsafe-inline")
				.doesNotContain("unsafe-eval");
			assertThat(page.headers("Content-Security-Policy")).hasSize(1);
			assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
			assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
			assertThat(String.join(",", page.headers("Vary"))).contains("Accept");
		}

		@Test
		void theRootStaysJsonForEveryOtherClient() {
			ApiClient api = new ApiClient(this.port);
			for (String[] headers : new String[][] { {}, { "Accept", "*/*" }, { "Accept", "application/json" } }) {
				ApiClient.Response root = api.get("/", headers);
				assertThat(root.status()).isEqualTo(200);
				assertThat(root.body()).isEqualTo("{\"message\":\"OK\"}");
				assertThat(root.header("Content-Security-Policy"))
					.isEqualTo("default-src 'none'; frame-ancestors 'none'");
			}
		}

		@Test
		void theAppsRoutesAreThePageAndItsFilesAndLibrariesAreServed() {
			ApiClient api = new ApiClient(this.port);
			for (String route : new String[] { "/login", "/admin", "/oauth/handoff?code=abc" }) {
				ApiClient.Response page = api.get(route, "Accept", BROWSER_ACCEPT);
				assertThat(page.status()).as(route).isEqualTo(200);
				assertThat(page.body()).as(route).contains("id=\"view-auth\"");
				assertThat(page.header("Content-Security-Policy")).as(route).contains("script-src 'self'");
			}
			for (String file : new String[] { "/assets/app.js", "/assets/api.js", "/assets/markdown.js",
					"/webjars/marked/lib/marked.umd.js", "/webjars/dompurify/dist/purify.min.js" }) {
				ApiClient.Response script = api.get(file);
				assertThat(script.status()).as(file).isEqualTo(200);
				assertThat(script.contentType()).as(file).contains("javascript");
			}
			assertThat(api.get("/assets/app.css").contentType()).startsWith("text/css");
			assertThat(api.get("/assets/nope.js").status()).isEqualTo(404);
			assertThat(api.get("/nope").status()).isEqualTo(404);
			assertThat(api.get("/static/index.html").status()).isEqualTo(404);
			assertThat(api.get("/api/health").header("Content-Security-Policy"))
				.isEqualTo("default-src 'none'; frame-ancestors 'none'");
		}

		@Test
		void theConfigSaysWhichSignInButtonsToShow() {
			ApiClient.Response config = new ApiClient(this.port).get("/app/config.json");
			assertThat(config.status()).isEqualTo(200);
			assertThat(config.json().get("oauth_providers").isArray()).isTrue();
		}

	}

}
