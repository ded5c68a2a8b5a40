package com.ragchat.ratelimit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.ragchat.platform.HttpSecurityCustomizer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.security.web.csrf.CsrfFilter;

/**
 * Puts the rate-limit filter into the security chain just before the CSRF check, which
 * places it after token authentication (see {@code auth.AuthSecurity}) and before
 * authorization. With {@code RATE_LIMIT_ENABLED=false} nothing is added.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class RateLimitConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(RateLimitConfiguration.class);

	@Bean
	RateLimiter rateLimiter(NamedParameterJdbcTemplate jdbc) {
		return new RateLimiter(jdbc);
	}

	@Bean
	HttpSecurityCustomizer rateLimitSecurity(RateLimitProperties properties, RateLimiter limiter) {
		ClientAddresses addresses = new ClientAddresses(properties.trustedProxies());
		return (http) -> {
			if (properties.enabled()) {
				http.addFilterBefore(new RateLimitFilter(properties, limiter, addresses), CsrfFilter.class);
			}
			else {
				logger.warn("Rate limits are off (RATE_LIMIT_ENABLED=false)");
			}
		};
	}

	@Bean
	SchedulingConfigurer rateLimitMaintenance(RateLimitProperties properties, RateLimiter limiter) {
		return (registrar) -> registrar.addFixedDelayTask(() -> {
			try {
				// A bucket idle for a whole window is full again: the same as no row.
				limiter.prune(RateLimitProperties.WINDOW.multipliedBy(2));
			}
			catch (RuntimeException ex) {
				logger.warn("Could not prune idle rate-limit buckets; will retry: {}", ex.getClass().getSimpleName());
			}
		}, properties.maintenanceInterval());
	}

}
