package com.ragchat.observability;

import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A feature's own latency (a stream's first token) starts when the request reached the
 * outermost telemetry filter, so the work of every filter inside it counts.
 */
class RequestTimingTests {

	@Test
	void theArrivalNotedByTheTelemetryFilterIsWhatFeaturesSee() throws Exception {
		RequestTelemetryFilter filter = new RequestTelemetryFilter(
				new RouteTemplates(
						new StaticListableBeanFactory().getBeanProvider(RequestMappingInfoHandlerMapping.class)),
				new SimpleMeterRegistry());
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/chat/stream");
		AtomicLong handlerEntered = new AtomicLong();
		AtomicLong seenByHandler = new AtomicLong();
		long before = System.nanoTime();

		filter.doFilter(request, new MockHttpServletResponse(), (req, res) -> {
			handlerEntered.set(System.nanoTime());
			// Stands in for security, rate limiting and body parsing taking their time.
			long busyUntil = System.nanoTime() + 20_000_000L;
			while (System.nanoTime() < busyUntil) {
				Thread.onSpinWait();
			}
			seenByHandler.set(RequestTiming.startNanos(req));
		});

		// Noted before the chain ran, not when the handler asked.
		assertThat(seenByHandler.get()).isBetween(before, handlerEntered.get());
	}

	@Test
	void withoutTheFilterTheArrivalIsNow() {
		long before = System.nanoTime();
		long start = RequestTiming.startNanos(new MockHttpServletRequest());
		assertThat(start).isBetween(before, System.nanoTime());
	}

}
