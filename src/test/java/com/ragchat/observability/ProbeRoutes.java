package com.ragchat.observability;

import java.util.Map;
import java.util.concurrent.Callable;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Test-only routes that produce what the operations surface must record: a route with an
 * id in its path, a failure, an asynchronous answer, work on other threads, and a route
 * under {@code /api} that security refuses to anonymous callers.
 */
@TestConfiguration(proxyBeanMethods = false)
class ProbeRoutes {

	/** Written in log lines of the probe routes, to find them in captured output. */
	static final String MARKER = "probe-log-marker";

	/** Registered as a member class of this configuration. */
	@RestController
	static class ProbeController {

		private static final Logger logger = LoggerFactory.getLogger(ProbeController.class);

		@GetMapping("/probe/items/{id}")
		Map<String, String> item(@PathVariable String id) {
			return Map.of("id", id);
		}

		@GetMapping("/probe/boom/{id}")
		Map<String, String> boom(@PathVariable String id) {
			throw new IllegalStateException("probe failure " + id);
		}

		/** Answered on Spring's task executor after a pause, like a slow stream. */
		@GetMapping("/probe/slow/{id}")
		Callable<Map<String, String>> slow(@PathVariable String id) {
			return () -> {
				Thread.sleep(300);
				logger.info("{} async work for {}", MARKER, id);
				return Map.of("id", id);
			};
		}

		/** Logs on the request thread and on a thread it starts, as streaming does. */
		@GetMapping("/probe/log/{id}")
		Map<String, String> log(@PathVariable String id) throws InterruptedException {
			logger.info("{} request thread for {}", MARKER, id);
			Thread worker = Thread.ofVirtual()
				.start(LogContext.wrap(() -> logger.info("{} worker thread for {}", MARKER, id)));
			worker.join();
			return Map.of("id", id);
		}

		@GetMapping("/api/probe/secret/{id}")
		Map<String, String> secret(@PathVariable String id) {
			return Map.of("id", id);
		}

	}

}
