package com.ragchat.observability;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@code GET /api/metrics/db-pool}: the connection pool as JSON, for a quick look without
 * a Prometheus server. Guarded like {@code /api/metrics} (see
 * {@link ObservabilitySecurity}).
 */
@RestController
class DatabasePoolController {

	private final ConnectionPoolMonitor monitor;

	DatabasePoolController(ConnectionPoolMonitor monitor) {
		this.monitor = monitor;
	}

	@GetMapping(ObservabilityRoutes.DB_POOL)
	ConnectionPoolMonitor.PoolSnapshot pool() {
		if (!this.monitor.available()) {
			throw new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE,
					"The connection pool does not report its state.");
		}
		return this.monitor.snapshot();
	}

}
