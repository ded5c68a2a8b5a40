package com.ragchat.observability;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
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
		Map<String, Future<Outcome>> running = new LinkedHashMap<>();
		for (ReadinessCheck check : this.checks) {
			running.put(check.component(), this.executor.submit(() -> {
				check.check();
				return new Outcome(check.degraded() ? "degraded" : "up", check.details());
			}));
		}
		Map<String, String> components = new LinkedHashMap<>();
		Map<String, Map<String, Object>> details = new LinkedHashMap<>();
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CHECK_TIMEOUT_MS);
		for (Map.Entry<String, Future<Outcome>> entry : running.entrySet()) {
			Outcome outcome = outcome(entry.getKey(), entry.getValue(), deadline);
			components.put(entry.getKey(), outcome.state());
			if (outcome.details() != null && !outcome.details().isEmpty()) {
				details.put(entry.getKey(), outcome.details());
			}
		}
		List<String> failing = components.entrySet()
			.stream()
			.filter((entry) -> !"up".equals(entry.getValue()) && !"degraded".equals(entry.getValue()))
			.map(Map.Entry::getKey)
			.toList();
		if (failing.isEmpty()) {
			boolean degraded = components.containsValue("degraded");
			return ResponseEntity.ok(new ReadinessResponse(degraded ? "degraded" : "ready", components,
					details.isEmpty() ? null : details));
		}
		ProblemDetail problem = ProblemResponses.problem(HttpStatus.SERVICE_UNAVAILABLE,
				"Not ready: " + String.join(", ", failing) + " unavailable.");
		problem.setProperty("components", components);
		if (!details.isEmpty()) {
			problem.setProperty("details", details);
		}
		ProblemResponses.complete(problem, response);
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(problem);
	}

	private static Outcome outcome(String component, Future<Outcome> future, long deadline) {
		try {
			return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			future.cancel(true);
			logger.warn("Readiness check '{}' timed out", component);
			return new Outcome("timeout", null);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new Outcome("down", null);
		}
		catch (Exception ex) {
			logger.warn("Readiness check '{}' failed: {}", component,
					ex.getCause() != null ? ex.getCause().toString() : ex.toString());
			return new Outcome("down", null);
		}
	}

	private record Outcome(String state, @Nullable Map<String, Object> details) {
	}

	@Override
	public void destroy() {
		this.executor.shutdownNow();
	}

	record HealthResponse(String status, String message, String appEnv, String environment, String version) {
	}

	/**
	 * @param status {@code ready}, or {@code degraded} when a component works with
	 * reduced quality (still 200)
	 * @param components each check's state: {@code up} or {@code degraded}
	 * @param details what checks report beyond their state, absent when none does
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record ReadinessResponse(String status, Map<String, String> components,
			@Nullable Map<String, Map<String, Object>> details) {
	}

}
