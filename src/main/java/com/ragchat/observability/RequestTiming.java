package com.ragchat.observability;

import jakarta.servlet.ServletRequest;

/**
 * When a request reached the service: the {@link System#nanoTime()} noted by the
 * outermost telemetry filter, before security, rate limiting and body parsing, so that
 * latencies a feature measures itself (a stream's first token) include all of the
 * server's own work.
 */
public final class RequestTiming {

	static final String START_ATTRIBUTE = RequestTiming.class.getName() + ".start";

	private RequestTiming() {
	}

	static void markStart(ServletRequest request, long startNanos) {
		request.setAttribute(START_ATTRIBUTE, startNanos);
	}

	/**
	 * The request's arrival as a {@link System#nanoTime()} value; now, when no filter
	 * noted it (a request dispatched without the filter chain, as in a slice test).
	 */
	public static long startNanos(ServletRequest request) {
		return (request.getAttribute(START_ATTRIBUTE) instanceof Long start) ? start : System.nanoTime();
	}

}
