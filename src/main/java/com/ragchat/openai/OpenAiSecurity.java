package com.ragchat.openai;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import com.ragchat.auth.AuthRoutes;
import com.ragchat.platform.HttpSecurityCustomizer;

import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every OpenAI-compatible route needs a signed-in caller (an API key, or any other bearer
 * token); one without gets OpenAI's 401 error, which SDKs turn into their authentication
 * exception, rather than the rest of the API's problem body.
 */
@Component
class OpenAiSecurity implements HttpSecurityCustomizer {

	@Override
	public void customize(HttpSecurity http) throws Exception {
		http.addFilterBefore(new UnauthenticatedFilter(), AuthorizationFilter.class)
			.authorizeHttpRequests((requests) -> requests.requestMatchers(OpenAiRoutes.ALL).authenticated());
	}

	/** Answers 401 in OpenAI's shape for an unauthenticated request to {@code /v1}. */
	static final class UnauthenticatedFilter extends OncePerRequestFilter {

		@Override
		protected boolean shouldNotFilter(HttpServletRequest request) {
			return !OpenAiRoutes.covers(request.getRequestURI());
		}

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
			if (authentication == null || authentication instanceof AnonymousAuthenticationToken
					|| !authentication.isAuthenticated()) {
				response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
				OpenAiErrors.write(response, HttpServletResponse.SC_UNAUTHORIZED,
						"Invalid or missing API key. Send \"Authorization: Bearer rck_…\" with a key made at "
								+ AuthRoutes.API_KEYS + ".",
						"invalid_request_error", "invalid_api_key");
				return;
			}
			chain.doFilter(request, response);
		}

	}

}
