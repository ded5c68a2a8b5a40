package com.ragchat.observability;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.ragchat.platform.PlatformProperties;
import com.ragchat.platform.ProblemResponses;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Liveness ({@code /api/health}: the process answers, no dependency is touched, so a slow
 * database never gets a healthy instance restarted) and readiness
 * ({@code /api/health/ready}: every {@link ReadinessCheck} passes, so a load balancer may
 * send traffic).
 */
@RestController
class HealthController implements DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(HealthController.class);

	private static final long CHECK_TIMEOUT_MS = 2000;

	private final PlatformProperties platform;

	private final String version;

	private final List<ReadinessCheck> checks;

	private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

	HealthController(PlatformProperties platform, ObjectProvider<BuildProperties> build,
			ObjectProvider<ReadinessCheck> checks) {
		this.platform = platform;
		BuildProperties properties = build.getIfAvailable();
		this.version = (properties != null && properties.getVersion() != null) ? properties.getVersion() : "dev";
		this.checks = checks.orderedStream().toList();
	}

	@GetMapping(ObservabilityRoutes.HEALTH)
	HealthResponse health() {
		return new HealthResponse("ok", "API is healthy", this.platform.env(), this.platform.env(), this.version);
	}

	@GetMapping(ObservabilityRoutes.READY)
	ResponseEntity<?> ready(HttpServletResponse response) {
		Map<String, Future<?>> running = new LinkedHashMap<>();
		for (ReadinessCheck check : this.checks) {
			running.put(check.component(), this.executor.submit(() -> {
				check.check();
				return null;
			}));
		}
		Map<String, String> components = new LinkedHashMap<>();
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CHECK_TIMEOUT_MS);
		for (Map.Entry<String, Future<?>> entry : running.entrySet()) {
			components.put(entry.getKey(), outcome(entry.getKey(), entry.getValue(), deadline));
		}
		List<String> failing = components.entrySet()
			.stream()
			.filter((entry) -> !"up".equals(entry.getValue()))
			.map(Map.Entry::getKey)
			.toList();
		if (failing.isEmpty()) {
			return ResponseEntity.ok(new ReadinessResponse("ready", components));
		}
		ProblemDetail problem = ProblemResponses.problem(HttpStatus.SERVICE_UNAVAILABLE,
				"Not ready: " + String.join(", ", failing) + " unavailable.");
		problem.setProperty("components", components);
		ProblemResponses.complete(problem, response);
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(problem);
	}

	private static String outcome(String component, Future<?> future, long deadline) {
		try {
			future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			return "up";
		}
		catch (TimeoutException ex) {
			future.cancel(true);
			logger.warn("Readiness check '{}' timed out", component);
			return "timeout";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "down";
		}
		catch (Exception ex) {
			logger.warn("Readiness check '{}' failed: {}", component,
					ex.getCause() != null ? ex.getCause().toString() : ex.toString());
			return "down";
		}
	}

	@Override
	public void destroy() {
		this.executor.shutdownNow();
	}

	record HealthResponse(String status, String message, String appEnv, String environment, String version) {
	}

	record ReadinessResponse(String status, Map<String, String> components) {
	}

}
