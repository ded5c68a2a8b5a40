package com.ragchat.webapp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The web app's pages. Each route the app knows ({@code /}, {@code /login},
 * {@code /admin}, {@code /account} and {@code /oauth/handoff}, where an OAuth sign-in
 * returns when {@code FRONTEND_URL} is this service) is the same page; the script shows
 * the right view. {@code GET /} stays {@code {"message":"OK"}} (API.md §3.1) for every
 * client that does not ask for HTML: probes, curl, k6.
 */
@RestController
class WebAppController {

	/**
	 * The pages' policy: everything from this origin only, no inline script or style, no
	 * framing. The API's own, stricter policy stays on every other response.
	 */
	/**
	 * Pages the app routes itself; the API sends OAuth sign-ins back to login and
	 * handoff.
	 */
	static final String LOGIN = "/login";

	static final String ADMIN = "/admin";

	static final String ACCOUNT = "/account";

	static final String OAUTH_HANDOFF = "/oauth/handoff";

	/** The app's settings: which sign-in buttons to show. */
	static final String CONFIG = "/app/config.json";

	static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
			+ "img-src 'self' data:; connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; "
			+ "form-action 'self'; frame-ancestors 'none'";

	private static final Resource PAGE = new ClassPathResource("static/index.html");

	private static final List<String> OAUTH_PROVIDERS = List.of("github", "google");

	private final List<String> oauthProviders;

	WebAppController(Environment environment) {
		this.oauthProviders = configuredOAuthProviders(Binder.get(environment));
	}

	@GetMapping("/")
	ResponseEntity<?> root(@RequestHeader(name = HttpHeaders.ACCEPT, required = false) @Nullable String accept) {
		if (wantsHtml(accept)) {
			return page().varyBy(HttpHeaders.ACCEPT).body(PAGE);
		}
		return ResponseEntity.ok().varyBy(HttpHeaders.ACCEPT).body(Map.of("message", "OK"));
	}

	@GetMapping({ LOGIN, ADMIN, ACCOUNT, OAUTH_HANDOFF })
	ResponseEntity<Resource> view() {
		return page().body(PAGE);
	}

	/**
	 * What the page needs to know before anyone signs in: the OAuth providers whose
	 * buttons it shows.
	 */
	@GetMapping(path = CONFIG, produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<AppConfig> config() {
		return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(new AppConfig(this.oauthProviders));
	}

	private static ResponseEntity.BodyBuilder page() {
		return ResponseEntity.ok()
			.contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
			.cacheControl(CacheControl.noCache())
			.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
	}

	/**
	 * A browser's navigation asks for {@code text/html} first; a client that prefers
	 * JSON, or accepts anything ({@code *}{@code /*} or no header), keeps the JSON
	 * answer.
	 */
	static boolean wantsHtml(@Nullable String accept) {
		if (accept == null || accept.isBlank()) {
			return false;
		}
		List<MediaType> types;
		try {
			types = MediaType.parseMediaTypes(accept);
		}
		catch (InvalidMediaTypeException ex) {
			return false;
		}
		double html = 0;
		double json = 0;
		for (MediaType type : types) {
			if (type.isWildcardType()) {
				continue;
			}
			double quality = type.getQualityValue();
			if (type.isCompatibleWith(MediaType.TEXT_HTML)) {
				html = Math.max(html, quality);
			}
			else if (type.isCompatibleWith(MediaType.APPLICATION_JSON)) {
				json = Math.max(json, quality);
			}
		}
		return html > 0 && html >= json;
	}

	/**
	 * The providers the sign-in page offers: those the auth feature starts, by the same
	 * rule (listed in {@code OAUTH_ENABLED_PROVIDERS} and given a client id and secret).
	 */
	static List<String> configuredOAuthProviders(Binder binder) {
		List<String> enabled = binder.bind("app.auth.oauth.enabled-providers", String[].class)
			.map(List::of)
			.orElse(OAUTH_PROVIDERS)
			.stream()
			.map((name) -> name.strip().toLowerCase(Locale.ROOT))
			.toList();
		List<String> configured = new ArrayList<>();
		for (String provider : OAUTH_PROVIDERS) {
			String prefix = "app.auth.oauth." + provider + ".";
			if (enabled.contains(provider) && hasText(binder, prefix + "client-id")
					&& hasText(binder, prefix + "client-secret")) {
				configured.add(provider);
			}
		}
		return List.copyOf(configured);
	}

	private static boolean hasText(Binder binder, String name) {
		return binder.bind(name, String.class).map((value) -> !value.isBlank()).orElse(false);
	}

	/**
	 * The page's start-up settings.
	 *
	 * @param oauthProviders providers with a sign-in button ({@code github},
	 * {@code google})
	 */
	record AppConfig(List<String> oauthProviders) {
	}

}
