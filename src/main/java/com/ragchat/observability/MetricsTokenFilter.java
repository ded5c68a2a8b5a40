package com.ragchat.observability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.Enumeration;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import com.ragchat.platform.ProblemResponses;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * With {@code METRICS_TOKEN} set, the metrics endpoints answer only requests carrying
 * {@code Authorization: Bearer <METRICS_TOKEN>}; others get a 401 problem. The token is
 * compared in constant time. An accepted request goes on without its
 * {@code Authorization} header, so the user-authentication filter never mistakes the
 * metrics token for a malformed user token.
 */
class MetricsTokenFilter extends OncePerRequestFilter {

	private static final String BEARER = "Bearer ";

	private final RequestMatcher metricsRoutes;

	private final byte[] expectedDigest;

	MetricsTokenFilter(RequestMatcher metricsRoutes, String token) {
		this.metricsRoutes = metricsRoutes;
		this.expectedDigest = sha256(token);
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !this.metricsRoutes.matches(request);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!accepted(request.getHeader(HttpHeaders.AUTHORIZATION))) {
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
			ProblemResponses.write(response,
					ProblemResponses.problem(HttpStatus.UNAUTHORIZED, "A valid metrics token is required."));
			return;
		}
		chain.doFilter(new WithoutAuthorization(request), response);
	}

	private boolean accepted(@Nullable String header) {
		if (header == null || header.length() <= BEARER.length()
				|| !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
			return false;
		}
		// Digests have one length, so the comparison time says nothing about the token.
		return MessageDigest.isEqual(this.expectedDigest, sha256(header.substring(BEARER.length()).strip()));
	}

	private static byte[] sha256(String value) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every Java runtime", ex);
		}
	}

	/** The request as the rest of the chain sees it: no credentials left to parse. */
	private static final class WithoutAuthorization extends HttpServletRequestWrapper {

		WithoutAuthorization(HttpServletRequest request) {
			super(request);
		}

		@Override
		public @Nullable String getHeader(String name) {
			return HttpHeaders.AUTHORIZATION.equalsIgnoreCase(name) ? null : super.getHeader(name);
		}

		@Override
		public Enumeration<String> getHeaders(String name) {
			return HttpHeaders.AUTHORIZATION.equalsIgnoreCase(name) ? Collections.emptyEnumeration()
					: super.getHeaders(name);
		}

		@Override
		public Enumeration<String> getHeaderNames() {
			return Collections.enumeration(Collections.list(super.getHeaderNames())
				.stream()
				.filter((name) -> !HttpHeaders.AUTHORIZATION.equalsIgnoreCase(name))
				.toList());
		}

	}

}
