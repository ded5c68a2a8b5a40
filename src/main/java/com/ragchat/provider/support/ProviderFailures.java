package com.ragchat.provider.support;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;

import com.ragchat.rag.ProviderException;
import com.ragchat.rag.ProviderException.Kind;

/**
 * Maps what goes wrong talking to a provider onto the closed set of
 * {@link ProviderException.Kind}s (API.md §4). Messages name the provider, the operation
 * and the HTTP status only: never a response body or a key.
 */
public final class ProviderFailures {

	private ProviderFailures() {
	}

	/** The kind of an HTTP error status. */
	public static Kind kindOf(int status) {
		if (status == 401 || status == 403) {
			return Kind.AUTH;
		}
		if (status == 429) {
			return Kind.RATE_LIMITED;
		}
		if (status == 408 || status == 504) {
			return Kind.TIMEOUT;
		}
		if (status >= 500) {
			// 529 is Anthropic's "overloaded".
			return Kind.UNAVAILABLE;
		}
		if (status >= 400) {
			return Kind.REJECTED;
		}
		return Kind.OTHER;
	}

	/**
	 * A failure for an HTTP error status, with the provider's wait hint when it gave one.
	 */
	public static ProviderException fromStatus(String provider, String operation, int status,
			@Nullable Duration retryAfter, @Nullable Throwable cause) {
		Kind kind = kindOf(status);
		return new ProviderException(provider, operation, kind, retryAfter,
				provider + " " + operation + " failed: HTTP " + status, cause);
	}

	/**
	 * The wait a provider asked for: {@code retry-after-ms} (OpenAI, Anthropic) wins over
	 * {@code Retry-After} in seconds or as an HTTP date. Null when absent or unreadable.
	 */
	public static @Nullable Duration retryAfter(@Nullable String retryAfter, @Nullable String retryAfterMs) {
		if (retryAfterMs != null && !retryAfterMs.isBlank()) {
			try {
				double ms = Double.parseDouble(retryAfterMs.strip());
				if (ms >= 0) {
					return Duration.ofMillis((long) Math.ceil(ms));
				}
			}
			catch (NumberFormatException ex) {
				// Fall back to Retry-After.
			}
		}
		if (retryAfter == null || retryAfter.isBlank()) {
			return null;
		}
		String value = retryAfter.strip();
		try {
			double seconds = Double.parseDouble(value);
			return (seconds >= 0) ? Duration.ofMillis((long) Math.ceil(seconds * 1000)) : null;
		}
		catch (NumberFormatException ex) {
			try {
				Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
				Duration wait = Duration.between(Instant.now(), at);
				return wait.isNegative() ? Duration.ZERO : wait;
			}
			catch (DateTimeParseException notADate) {
				return null;
			}
		}
	}

	/** The first value of a header list, or null. */
	public static @Nullable String first(@Nullable Collection<String> values) {
		return (values == null || values.isEmpty()) ? null : values.iterator().next();
	}

	/**
	 * Classifies a failure with no HTTP status: a {@link ProviderException} anywhere in
	 * the cause chain wins; time-outs become {@link Kind#TIMEOUT}; connection failures
	 * {@link Kind#UNAVAILABLE}; anything else {@link Kind#OTHER}.
	 */
	public static ProviderException fromThrowable(String provider, String operation, Throwable failure) {
		for (Throwable t = failure; t != null; t = t.getCause()) {
			if (t instanceof ProviderException provided) {
				return provided;
			}
		}
		for (Throwable t = failure; t != null; t = t.getCause()) {
			if (isTimeout(t)) {
				return new ProviderException(provider, operation, Kind.TIMEOUT, null,
						provider + " " + operation + " timed out", failure);
			}
		}
		for (Throwable t = failure; t != null; t = t.getCause()) {
			if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof IOException) {
				return new ProviderException(provider, operation, Kind.UNAVAILABLE, null,
						provider + " " + operation + " failed: " + t.getClass().getSimpleName(), failure);
			}
		}
		return new ProviderException(provider, operation, Kind.OTHER, null,
				provider + " " + operation + " failed: " + failure.getClass().getSimpleName(), failure);
	}

	private static boolean isTimeout(Throwable t) {
		if (t instanceof SocketTimeoutException || t instanceof HttpTimeoutException || t instanceof TimeoutException) {
			return true;
		}
		// OkHttp reports its call timeout as a bare InterruptedIOException("timeout").
		return t instanceof InterruptedIOException && t.getMessage() != null
				&& t.getMessage().toLowerCase(Locale.ROOT).contains("timeout");
	}

}
