package com.ragchat.observability;

import java.io.IOException;

import io.micrometer.tracing.otel.bridge.EventPublishingContextWrapper;
import io.micrometer.tracing.otel.bridge.Slf4JEventListener;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import com.ragchat.platform.InvalidConfigurationException;
import com.ragchat.platform.PlatformProperties;
import com.ragchat.platform.TracingEnvironmentPostProcessor;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Tracing (OPERATIONS.md "Tracing"): the log context of a traced request, the
 * {@code traceparent} response header, and the settings checked at start-up. Spring Boot
 * sets up the OpenTelemetry SDK and the OTLP exporter from the properties that
 * {@link TracingEnvironmentPostProcessor} derives from {@code TRACING_ENABLED} and the
 * {@code OTEL_*} variables.
 */
@Configuration(proxyBeanMethods = false)
class TracingConfiguration {

	/** Logging context keys; JSON log lines carry them as fields of the same names. */
	static final String TRACE_ID = "trace_id";

	static final String SPAN_ID = "span_id";

	private static final Logger logger = LoggerFactory.getLogger(TracingConfiguration.class);

	TracingConfiguration(Environment environment, PlatformProperties platform) {
		boolean content = environment.getProperty("app.tracing.content", Boolean.class, false);
		if (content && platform.isProduction()) {
			throw new InvalidConfigurationException("TRACE_CONTENT",
					"must not be true in production: spans would carry users' questions and answers");
		}
		if (TracingEnvironmentPostProcessor.enabled(environment)) {
			double ratio = TracingEnvironmentPostProcessor.samplingRatio(environment);
			logger.info("Tracing on: spans of {}% of requests go to {}{}", Math.round(ratio * 1000) / 10.0,
					environment.getProperty("management.opentelemetry.tracing.export.otlp.endpoint"),
					content ? " WITH question and answer text (TRACE_CONTENT=true)" : "");
		}
	}

	/**
	 * With tracing on, a share of the traces ({@code TRACING_SAMPLING_RATIO}) and the
	 * caller's decision where a {@code traceparent} carries one; with tracing off, none,
	 * whatever a caller asks (Spring Boot's sampler would honour a caller's sampled
	 * flag).
	 */
	@Bean
	Sampler tracingSampler(Environment environment) {
		if (!TracingEnvironmentPostProcessor.enabled(environment)) {
			return Sampler.alwaysOff();
		}
		return Sampler
			.parentBased(Sampler.traceIdRatioBased(TracingEnvironmentPostProcessor.samplingRatio(environment)));
	}

	/**
	 * Puts the trace and span id of the current span into the log context, under
	 * {@code trace_id} and {@code span_id}, when the span is recorded (so that with
	 * tracing off no log line names a trace nobody can look up). Replaces Spring Boot's
	 * listener, which writes {@code traceId} and {@code spanId} for every span.
	 */
	@Bean
	Slf4JEventListener sampledSpanLogContext() {
		return new SampledSpanLogContext();
	}

	/**
	 * Answers with the request's {@code traceparent} when it is traced, so that a caller
	 * can find its request's trace; runs just inside Spring's observation filter, whose
	 * span (the caller's {@code traceparent} as its parent) is current by then.
	 */
	@Bean
	FilterRegistrationBean<TraceparentFilter> traceparentResponseFilter() {
		FilterRegistrationBean<TraceparentFilter> registration = new FilterRegistrationBean<>(new TraceparentFilter());
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
		return registration;
	}

	/** The W3C {@code traceparent} of a recorded span, or null. */
	static @Nullable String traceparent(SpanContext context) {
		if (!context.isValid() || !context.isSampled()) {
			return null;
		}
		return "00-" + context.getTraceId() + "-" + context.getSpanId() + "-" + context.getTraceFlags().asHex();
	}

	static final class SampledSpanLogContext extends Slf4JEventListener {

		@Override
		public void onEvent(Object event) {
			if (event instanceof EventPublishingContextWrapper.ScopeAttachedEvent attached) {
				put(attached.getSpan());
			}
			else if (event instanceof EventPublishingContextWrapper.ScopeRestoredEvent restored) {
				put(restored.getSpan());
			}
			else if (event instanceof EventPublishingContextWrapper.ScopeClosedEvent) {
				MDC.remove(TRACE_ID);
				MDC.remove(SPAN_ID);
			}
		}

		private static void put(@Nullable Span span) {
			if (span != null && span.getSpanContext().isValid() && span.getSpanContext().isSampled()) {
				MDC.put(TRACE_ID, span.getSpanContext().getTraceId());
				MDC.put(SPAN_ID, span.getSpanContext().getSpanId());
			}
			else {
				MDC.remove(TRACE_ID);
				MDC.remove(SPAN_ID);
			}
		}

	}

	static final class TraceparentFilter extends OncePerRequestFilter {

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			String traceparent = traceparent(Span.current().getSpanContext());
			if (traceparent != null && !response.containsHeader("traceparent")) {
				response.setHeader("traceparent", traceparent);
			}
			chain.doFilter(request, response);
		}

	}

}
