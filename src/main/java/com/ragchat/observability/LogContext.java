package com.ragchat.observability;

import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;

import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * Carries the logging context (above all {@code request_id}) to work a request hands to
 * other threads, so that every log line of the request can be found by its id. Wrap the
 * task where it is created, on the request's thread:
 *
 * <pre class="code">
 * Thread.ofVirtual().start(LogContext.wrap(() -&gt; streamAnswer(...)));
 * </pre>
 *
 * Tasks run by Spring's {@code applicationTaskExecutor} (including Spring MVC's
 * asynchronous request processing) get the context without wrapping.
 */
public final class LogContext {

	/** Logging context key of the request id; JSON log lines carry it under this name. */
	public static final String REQUEST_ID = RequestIdFilter.MDC_KEY;

	private LogContext() {
	}

	/** The request id of the work running on this thread, if any. */
	public static @Nullable String requestId() {
		return MDC.get(REQUEST_ID);
	}

	/** {@code task}, running with the logging context of the calling thread. */
	public static Runnable wrap(Runnable task) {
		Map<String, String> captured = MDC.getCopyOfContextMap();
		return () -> {
			Map<String, String> previous = install(captured);
			try {
				task.run();
			}
			finally {
				install(previous);
			}
		};
	}

	/** {@code task}, running with the logging context of the calling thread. */
	public static <T> Callable<T> wrap(Callable<T> task) {
		Map<String, String> captured = MDC.getCopyOfContextMap();
		return () -> {
			Map<String, String> previous = install(captured);
			try {
				return task.call();
			}
			finally {
				install(previous);
			}
		};
	}

	/**
	 * An executor that runs each task with the logging context of the thread that
	 * submitted it.
	 */
	public static Executor propagating(Executor executor) {
		return (task) -> executor.execute(wrap(task));
	}

	private static @Nullable Map<String, String> install(@Nullable Map<String, String> context) {
		Map<String, String> previous = MDC.getCopyOfContextMap();
		if (context == null || context.isEmpty()) {
			MDC.clear();
		}
		else {
			MDC.setContextMap(context);
		}
		return previous;
	}

}
