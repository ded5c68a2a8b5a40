package com.ragchat.platform;

import org.springframework.security.config.annotation.web.builders.HttpSecurity;

/**
 * A feature's contribution to the single, stateless security filter chain: its public
 * routes, its filters, its role rules. Customizers run in
 * {@link org.springframework.core.Ordered order} before the chain's closing rules, which
 * require an authenticated user on every other {@code /api/**} route.
 */
@FunctionalInterface
public interface HttpSecurityCustomizer {

	void customize(HttpSecurity http) throws Exception;

}
