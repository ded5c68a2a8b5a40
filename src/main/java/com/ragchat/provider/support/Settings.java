package com.ragchat.provider.support;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/** Start-up checks of a selected provider's settings. */
public final class Settings {

	private Settings() {
	}

	/** Whether a setting has a value. */
	public static boolean present(@Nullable String value) {
		return value != null && !value.isBlank();
	}

	/**
	 * The HTTP client's own time limit: only a backstop, far above the per-call timeout
	 * that the resilience layer enforces (for streams, between two tokens), so a long
	 * answer is never cut by it.
	 */
	public static Duration httpBackstop(Duration timeout) {
		Duration tenfold = timeout.multipliedBy(10);
		Duration floor = Duration.ofMinutes(10);
		return (tenfold.compareTo(floor) > 0) ? tenfold : floor;
	}

	/** {@code value} without trailing slashes. */
	public static String stripTrailingSlash(String value) {
		String result = value.strip();
		while (result.endsWith("/")) {
			result = result.substring(0, result.length() - 1);
		}
		return result;
	}

}
