package com.ragchat.platform;

import org.springframework.http.HttpMethod;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * One route a feature declares for the filters to read (public routes, CSRF exemptions,
 * rate-limit scopes): its method and its path pattern, the same constant the controller
 * is mapped to. Paths are spelled once, in the feature's {@code *Routes} class; the
 * architecture test fails on a path written twice.
 *
 * @param method the HTTP method
 * @param pattern the path pattern, e.g. {@code /api/chat/sessions/{id}/messages}
 */
public record Route(HttpMethod method, String pattern) {

	public static Route get(String pattern) {
		return new Route(HttpMethod.GET, pattern);
	}

	public static Route post(String pattern) {
		return new Route(HttpMethod.POST, pattern);
	}

	public static Route patch(String pattern) {
		return new Route(HttpMethod.PATCH, pattern);
	}

	/** A matcher of this route, for the security chain and servlet filters. */
	public RequestMatcher matcher() {
		return PathPatternRequestMatcher.withDefaults().matcher(this.method, this.pattern);
	}

}
