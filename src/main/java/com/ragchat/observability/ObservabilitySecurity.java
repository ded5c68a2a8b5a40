package com.ragchat.observability;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.ragchat.platform.HttpSecurityCustomizer;
import com.ragchat.platform.InvalidConfigurationException;
import com.ragchat.platform.PlatformProperties;

import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.stereotype.Component;

/**
 * Health and readiness are public: probes carry no credentials. The metrics endpoints are
 * public too unless {@code METRICS_TOKEN} is set; then {@link MetricsTokenFilter} guards
 * them, ahead of user authentication.
 */
@Component
class ObservabilitySecurity implements HttpSecurityCustomizer {

	private static final Logger logger = LoggerFactory.getLogger(ObservabilitySecurity.class);

	private final ObservabilityProperties properties;

	ObservabilitySecurity(ObservabilityProperties properties, PlatformProperties platform) {
		this.properties = properties;
		if (!properties.metricsProtected() && platform.isProduction() && !properties.metricsPublic()) {
			throw new InvalidConfigurationException("METRICS_TOKEN",
					"is required in production: /api/metrics shows internals (set a random token of at least "
							+ ObservabilityProperties.MIN_TOKEN_LENGTH
							+ " characters, or METRICS_PUBLIC=true when only your monitoring network reaches it)");
		}
		if (!properties.metricsProtected() && platform.isProduction()) {
			logger.warn("METRICS_TOKEN is not set: {} and {} are open to anyone who reaches this instance",
					ObservabilityRoutes.METRICS, ObservabilityRoutes.DB_POOL);
		}
	}

	@Override
	public void customize(HttpSecurity http) throws Exception {
		PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
		RequestMatcher metrics = new OrRequestMatcher(paths.matcher(ObservabilityRoutes.METRICS),
				paths.matcher(ObservabilityRoutes.DB_POOL));
		http.authorizeHttpRequests(
				(requests) -> requests.requestMatchers(ObservabilityRoutes.HEALTH, ObservabilityRoutes.READY)
					.permitAll()
					.requestMatchers(HttpMethod.GET, ObservabilityRoutes.METRICS, ObservabilityRoutes.DB_POOL)
					.permitAll());
		if (this.properties.metricsProtected()) {
			http.addFilterBefore(new MetricsTokenFilter(metrics, this.properties.metricsToken()),
					SecurityContextHolderFilter.class);
		}
	}

}
