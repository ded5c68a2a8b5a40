package com.ragchat.observability;

/**
 * The operations routes (API.md §5), each path spelled once: the controllers are mapped
 * to these constants and {@link ObservabilitySecurity} reads them. {@link #METRICS} is
 * served by Actuator ({@code management.endpoints.web.base-path} in
 * {@code application.yml}).
 */
final class ObservabilityRoutes {

	static final String HEALTH = "/api/health";

	static final String READY = HEALTH + "/ready";

	static final String METRICS = "/api/metrics";

	static final String DB_POOL = METRICS + "/db-pool";

	private ObservabilityRoutes() {
	}

}
