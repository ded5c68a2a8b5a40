package com.ragchat.auth;

import java.io.IOException;
import java.util.List;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import com.ragchat.platform.ProblemResponses;
import com.ragchat.platform.Route;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The CSRF check of cookie sessions: an unsafe request (POST, PUT, PATCH, DELETE)
 * authenticated by the {@code access_token} cookie must carry {@code X-CSRF-Token} equal
 * to the value bound to that token, else 403. Bearer requests are exempt (a browser never
 * adds that header by itself), and so are the public routes ({@link AuthRoutes#PUBLIC}:
 * those a client calls before it has a token, and logout).
 */
class CsrfProtectionFilter extends OncePerRequestFilter {

	static final String HEADER = "X-CSRF-Token";

	static final String DETAIL = "CSRF token missing or invalid. Reload the page and try again.";

	private static final Set<String> UNSAFE = Set.of("POST", "PUT", "PATCH", "DELETE");

	private static final List<RequestMatcher> EXEMPT = AuthRoutes.PUBLIC.stream().map(Route::matcher).toList();

	private final AccessTokens tokens;

	CsrfProtectionFilter(AccessTokens tokens) {
		this.tokens = tokens;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication instanceof AccessTokenAuthentication token
				&& token.carrier() == AccessTokenAuthentication.Carrier.COOKIE && UNSAFE.contains(request.getMethod())
				&& EXEMPT.stream().noneMatch((matcher) -> matcher.matches(request))
				&& !this.tokens.csrfMatches(token.token(), request.getHeader(HEADER))) {
			ProblemResponses.write(response, ProblemResponses.problem(HttpStatus.FORBIDDEN, DETAIL));
			return;
		}
		chain.doFilter(request, response);
	}

}
