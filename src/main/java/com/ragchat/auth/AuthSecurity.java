package com.ragchat.auth;

import java.time.Duration;
import java.util.List;

import com.ragchat.platform.HttpSecurityCustomizer;
import com.ragchat.platform.Route;
import com.ragchat.platform.PlatformProperties;

import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.stereotype.Component;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;

/**
 * The accounts feature's part of the security chain: its public routes
 * ({@link AuthRoutes#PUBLIC}), token authentication right after CORS, the CSRF check in
 * the slot of Spring's own (disabled) CSRF filter, and CORS for the web client's origins
 * (refusals answered as problems, {@link ProblemCorsFilter}).
 * <p>
 * Filter order: CORS, token authentication, (rate limits, contributed by the
 * {@code ratelimit} feature just before the CSRF slot), CSRF, then authorization, which
 * answers 401 for protected routes without a valid token.
 */
@Component
class AuthSecurity implements HttpSecurityCustomizer {

	private final AccessTokens tokens;

	private final TokenRevocations revocations;

	private final ApiKeys apiKeys;

	private final AuthProperties properties;

	private final boolean production;

	AuthSecurity(AccessTokens tokens, TokenRevocations revocations, ApiKeys apiKeys, AuthProperties properties,
			PlatformProperties platform) {
		this.tokens = tokens;
		this.revocations = revocations;
		this.apiKeys = apiKeys;
		this.properties = properties;
		this.production = platform.isProduction();
	}

	@Override
	public void customize(HttpSecurity http) throws Exception {
		// Spring's configurer cannot take a CORS processor: the filter goes in its slot.
		http.cors((cors) -> cors.disable())
			.addFilterAt(new ProblemCorsFilter(corsConfigurationSource()), CorsFilter.class)
			.addFilterAfter(new TokenAuthenticationFilter(this.tokens, this.revocations, this.apiKeys),
					CorsFilter.class)
			.addFilterAt(new CsrfProtectionFilter(this.tokens), CsrfFilter.class)
			.authorizeHttpRequests((requests) -> requests
				.requestMatchers(AuthRoutes.PUBLIC.stream().map(Route::matcher).toArray(RequestMatcher[]::new))
				.permitAll()
				.requestMatchers(AdminUsersController.ROUTES)
				.hasRole("ADMIN"));
	}

	UrlBasedCorsConfigurationSource corsConfigurationSource() {
		CorsConfiguration configuration = new CorsConfiguration();
		configuration.setAllowedOrigins(this.properties.allowedOrigins(this.production));
		configuration.setAllowCredentials(true);
		configuration.setAllowedMethods(List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"));
		configuration.setAllowedHeaders(List.of("Authorization", "Content-Type", "Accept", CsrfProtectionFilter.HEADER,
				"X-Request-ID", AdminBootstrap.HEADER));
		configuration.setExposedHeaders(List.of("X-Request-ID"));
		configuration.setMaxAge(Duration.ofHours(1));
		UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
		source.registerCorsConfiguration("/**", configuration);
		return source;
	}

}
