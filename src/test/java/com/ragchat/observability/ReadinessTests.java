package com.ragchat.observability;

import java.nio.file.Path;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletResponse;

import com.ragchat.platform.PlatformProperties;

import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.info.BuildProperties;

import static org.assertj.core.api.Assertions.assertThat;

/** Readiness names what is failing, and a hanging dependency cannot hang the probe. */
class ReadinessTests {

	private final PlatformProperties platform = new PlatformProperties("test", Path.of("data"), null);

	@Test
	void unreachableDatabaseMakesTheServiceNotReady() {
		try (HikariDataSource unreachable = new HikariDataSource()) {
			unreachable.setJdbcUrl("jdbc:postgresql://127.0.0.1:1/none");
			unreachable.setConnectionTimeout(250);
			unreachable.setInitializationFailTimeout(-1);
			ResponseEntity<?> response = controller(new DatabaseReadinessCheck(unreachable))
				.ready(new MockHttpServletResponse());
			assertThat(response.getStatusCode().value()).isEqualTo(503);
			ProblemDetail problem = (ProblemDetail) response.getBody();
			assertThat(problem.getDetail()).isEqualTo("Not ready: database unavailable.");
			assertThat(problem.getProperties()).containsEntry("components", Map.of("database", "down"));
		}
	}

	@Test
	void hangingCheckTimesOutWithinTheBudget() {
		ReadinessCheck hanging = new ReadinessCheck() {
			@Override
			public String component() {
				return "retriever";
			}

			@Override
			public void check() throws InterruptedException {
				Thread.sleep(30_000);
			}
		};
		long start = System.nanoTime();
		ResponseEntity<?> response = controller(hanging).ready(new MockHttpServletResponse());
		long elapsedMs = (System.nanoTime() - start) / 1_000_000;
		assertThat(response.getStatusCode().value()).isEqualTo(503);
		assertThat(((ProblemDetail) response.getBody()).getProperties()).containsEntry("components",
				Map.of("retriever", "timeout"));
		// Generous bound: the point is "seconds, not thirty seconds".
		assertThat(elapsedMs).isLessThan(10_000);
	}

	@Test
	@SuppressWarnings("unchecked")
	void aDegradedComponentKeepsTheServiceReadyAndShowsItsDetails() {
		ReadinessCheck reembedding = new ReadinessCheck() {
			@Override
			public String component() {
				return "knowledge";
			}

			@Override
			public void check() {
			}

			@Override
			public boolean degraded() {
				return true;
			}

			@Override
			public Map<String, Object> details() {
				return Map.of("state", "re-embedding", "percent", 40);
			}
		};
		ResponseEntity<?> response = controller(reembedding).ready(new MockHttpServletResponse());
		assertThat(response.getStatusCode().value()).isEqualTo(200);
		HealthController.ReadinessResponse body = (HealthController.ReadinessResponse) response.getBody();
		assertThat(body.status()).isEqualTo("degraded");
		assertThat(body.components()).containsEntry("knowledge", "degraded");
		assertThat(body.details()).containsEntry("knowledge", Map.of("state", "re-embedding", "percent", 40));
	}

	@Test
	void aFailingComponentWithDetailsIsNotReadyAndKeepsTheDetails() {
		ReadinessCheck importing = new ReadinessCheck() {
			@Override
			public String component() {
				return "knowledge";
			}

			@Override
			public void check() {
				throw new IllegalStateException("the knowledge base import is still running");
			}
		};
		ResponseEntity<?> response = controller(importing).ready(new MockHttpServletResponse());
		assertThat(response.getStatusCode().value()).isEqualTo(503);
		ProblemDetail problem = (ProblemDetail) response.getBody();
		assertThat(problem.getDetail()).isEqualTo("Not ready: knowledge unavailable.");
		assertThat(problem.getProperties()).containsEntry("components", Map.of("knowledge", "down"));
	}

	private HealthController controller(ReadinessCheck check) {
		StaticListableBeanFactory beans = new StaticListableBeanFactory();
		beans.addBean("check", check);
		return new HealthController(this.platform, beans.getBeanProvider(BuildProperties.class),
				beans.getBeanProvider(ReadinessCheck.class));
	}

}
