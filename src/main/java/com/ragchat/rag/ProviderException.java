package com.ragchat.rag;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * A model or retrieval provider failed. The message is for logs and never contains the
 * provider's response body or credentials; clients see only {@link #kind()}'s mapping.
 */
public class ProviderException extends RuntimeException {

	private final String provider;

	private final String operation;

	private final Kind kind;

	private final @Nullable Duration retryAfter;

	public ProviderException(String provider, String operation, Kind kind, @Nullable Duration retryAfter,
			String message, @Nullable Throwable cause) {
		super(message, cause);
		this.provider = provider;
		this.operation = operation;
		this.kind = kind;
		this.retryAfter = retryAfter;
	}

	public ProviderException(String provider, String operation, Kind kind, String message) {
		this(provider, operation, kind, null, message, null);
	}

	/** The provider that failed, e.g. {@code openai}. */
	public String provider() {
		return this.provider;
	}

	/** What was being done: {@code chat}, {@code condense}, {@code retrieve}, … */
	public String operation() {
		return this.operation;
	}

	public Kind kind() {
		return this.kind;
	}

	/** How long the provider asked us to wait, when it said. */
	public @Nullable Duration retryAfter() {
		return this.retryAfter;
	}

	/**
	 * How a failure maps to HTTP (API.md §4) and to the metrics' {@code reason} label.
	 */
	public enum Kind {

		/** No answer within the timeout: 504. */
		TIMEOUT(504, "timeout"),

		/** The provider throttled us (HTTP 429 or equivalent): 503. */
		RATE_LIMITED(503, "rate_limited"),

		/** The provider is down, failing (5xx) or our circuit breaker is open: 503. */
		UNAVAILABLE(503, "unavailable"),

		/** The provider refused the request (4xx other than 401/403/429): 502. */
		REJECTED(502, "rejected"),

		/**
		 * The provider refused our credentials (401/403): 502, and an operator must act.
		 */
		AUTH(502, "auth"),

		/** Anything else that went wrong talking to the provider: 502. */
		OTHER(502, "other");

		private final int httpStatus;

		private final String reason;

		Kind(int httpStatus, String reason) {
			this.httpStatus = httpStatus;
			this.reason = reason;
		}

		public int httpStatus() {
			return this.httpStatus;
		}

		public String reason() {
			return this.reason;
		}

	}

}
