package com.ragchat.observability;

import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.DispatcherServlet;

import static net.logstash.logback.argument.StructuredArguments.v;

/**
 * Records every request once, when its response is complete: the {@code chatbot_http_*}
 * meters and one access-log line ({@code app.access}:
 * {@code METHOD path status duration}).
 * <p>
 * It sits just inside {@link RequestIdFilter} and outside everything else, so requests
 * refused by security (401) or rate limiting (429) are counted like any other. Streams
 * (asynchronous requests) are recorded when they end, not when the handler returns.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class RequestTelemetryFilter extends OncePerRequestFilter {

	/** Logger of the access log; operators route or silence it by this name. */
	static final String ACCESS_LOGGER = "app.access";

	private static final Logger access = LoggerFactory.getLogger(ACCESS_LOGGER);

	/** Anything else a client invents would be a new label value per request. */
	private static final Set<String> KNOWN_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS",
			"TRACE");

	private final RouteTemplates routes;

	private final Meter.MeterProvider<Counter> requests;

	private final Meter.MeterProvider<Timer> latency;

	private final Meter.MeterProvider<Counter> exceptions;

	RequestTelemetryFilter(RouteTemplates routes, MeterRegistry registry) {
		this.routes = routes;
		this.requests = ChatbotMetrics.httpRequests(registry);
		this.latency = ChatbotMetrics.httpRequestLatency(registry);
		this.exceptions = ChatbotMetrics.httpRequestExceptions(registry);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		long start = System.nanoTime();
		RequestTiming.markStart(request, start);
		Throwable failure = null;
		try {
			chain.doFilter(request, response);
		}
		catch (IOException | ServletException | RuntimeException | Error ex) {
			failure = ex;
			throw ex;
		}
		finally {
			if (failure == null && request.isAsyncStarted()) {
				request.getAsyncContext().addListener(new CompletionListener(start, MDC.get(RequestIdFilter.MDC_KEY)));
			}
			else {
				record(request, response, start, failure);
			}
		}
	}

	private void record(HttpServletRequest request, HttpServletResponse response, long start,
			@Nullable Throwable failure) {
		long elapsed = System.nanoTime() - start;
		// An exception escaping the chain becomes a 500 on the container's error page,
		// unless the response had already started (a stream the client left).
		int status = (failure != null && !response.isCommitted()) ? 500 : response.getStatus();
		String method = method(request);
		String path = this.routes.resolve(request);
		Tags route = Tags.of("method", method, "path", path);
		this.requests.withTags(route.and("status_code", Integer.toString(status))).increment();
		this.latency.withTags(route).record(elapsed, TimeUnit.NANOSECONDS);
		if ((failure != null && !(failure instanceof IOException)) || (status == 500 && unexpected(request))) {
			this.exceptions.withTags(route).increment();
		}
		if (access.isInfoEnabled()) {
			// The path without its query string: queries may carry OAuth codes or state.
			access.info("{} {} {} {}ms", v("method", request.getMethod()), v("path", request.getRequestURI()),
					v("status", status), v("duration_ms", TimeUnit.NANOSECONDS.toMillis(elapsed)));
		}
	}

	/** The dispatcher resolved an exception into this 500 (a bug, not a refusal). */
	private static boolean unexpected(HttpServletRequest request) {
		return request.getAttribute(DispatcherServlet.EXCEPTION_ATTRIBUTE) != null
				|| request.getAttribute(jakarta.servlet.RequestDispatcher.ERROR_EXCEPTION) != null;
	}

	private static String method(HttpServletRequest request) {
		String method = request.getMethod().toUpperCase(Locale.ROOT);
		return KNOWN_METHODS.contains(method) ? method : "OTHER";
	}

	/** Records an asynchronous request (a stream) once it completes, however it ends. */
	private final class CompletionListener implements AsyncListener {

		private final long start;

		private final @Nullable String requestId;

		private boolean recorded;

		CompletionListener(long start, @Nullable String requestId) {
			this.start = start;
			this.requestId = requestId;
		}

		@Override
		public void onComplete(AsyncEvent event) {
			finish(event, null);
		}

		@Override
		public void onTimeout(AsyncEvent event) {
			// The container completes the request after its timeout handling; record
			// then.
		}

		@Override
		public void onError(AsyncEvent event) {
			finish(event, event.getThrowable());
		}

		@Override
		public void onStartAsync(AsyncEvent event) {
			// A re-started async cycle keeps notifying this listener only if re-added.
			event.getAsyncContext().addListener(this);
		}

		private synchronized void finish(AsyncEvent event, @Nullable Throwable failure) {
			if (this.recorded) {
				return;
			}
			this.recorded = true;
			String previous = MDC.get(RequestIdFilter.MDC_KEY);
			if (this.requestId != null) {
				MDC.put(RequestIdFilter.MDC_KEY, this.requestId);
			}
			try {
				record((HttpServletRequest) event.getSuppliedRequest(),
						(HttpServletResponse) event.getSuppliedResponse(), this.start, failure);
			}
			finally {
				if (previous != null) {
					MDC.put(RequestIdFilter.MDC_KEY, previous);
				}
				else {
					MDC.remove(RequestIdFilter.MDC_KEY);
				}
			}
		}

	}

}
