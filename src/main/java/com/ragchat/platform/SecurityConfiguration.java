package com.ragchat.platform;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;

/**
 * The one security filter chain: stateless (no HTTP session, no Spring CSRF token: the
 * API has its own cookie-bound CSRF check), every {@code /api/**} route authenticated
 * unless a feature declares it public, and 401/403 answered as problems.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
class SecurityConfiguration {

	/**
	 * No observation per security filter, authentication and authorization: nobody reads
	 * them, and while a meter registry exists Spring Security would otherwise wrap every
	 * filter of every request (a measured few percent of an authenticated request's CPU,
	 * LOAD_TESTING.md). The request itself is still measured by the telemetry filter.
	 */
	@Bean
	static SecurityObservationSettings securityObservationSettings() {
		return SecurityObservationSettings.noObservations();
	}

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http, ObjectProvider<HttpSecurityCustomizer> customizers,
			PlatformProperties properties) throws Exception {
		http.headers((headers) -> headers
			// A JSON API: nothing it returns should ever be rendered, framed or scripted.
			.contentSecurityPolicy((csp) -> csp.policyDirectives("default-src 'none'; frame-ancestors 'none'"))
			.referrerPolicy((referrer) -> referrer.policy(ReferrerPolicy.NO_REFERRER))
			.httpStrictTransportSecurity((hsts) -> {
				hsts.maxAgeInSeconds(31_536_000).includeSubDomains(true);
				if (properties.hstsOnEveryResponse()) {
					// Behind a TLS-terminating proxy the request may look like plain
					// http.
					hsts.requestMatcher(AnyRequestMatcher.INSTANCE);
				}
			}));
		http.sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.csrf((csrf) -> csrf.disable())
			.httpBasic((basic) -> basic.disable())
			.formLogin((form) -> form.disable())
			.logout((logout) -> logout.disable())
			.requestCache((cache) -> cache.disable())
			.anonymous((anonymous) -> {
			})
			.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint((request, response, ex) -> {
				response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
				ProblemResponses.write(response,
						ProblemResponses.problem(HttpStatus.UNAUTHORIZED, "Not authenticated. Please sign in."));
			})
				.accessDeniedHandler((request, response, ex) -> ProblemResponses.write(response,
						ProblemResponses.problem(HttpStatus.FORBIDDEN, "You are not allowed to do this."))));
		for (HttpSecurityCustomizer customizer : customizers.orderedStream().toList()) {
			customizer.customize(http);
		}
		http.authorizeHttpRequests(
				(requests) -> requests.requestMatchers("/", "/error", "/api/openapi.json", "/api/openapi.json/**")
					.permitAll()
					.requestMatchers("/api/**")
					.authenticated()
					// Outside /api there is nothing but "/"; unknown paths get an honest
					// 404.
					.anyRequest()
					.permitAll());
		return http.build();
	}

}
