package com.ragchat.provider.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import com.ragchat.platform.InvalidConfigurationException;

/** Start-up checks of a selected provider's settings. */
public final class Settings {

	private Settings() {
	}

	/** Whether a setting has a value. */
	public static boolean present(@Nullable String value) {
		return value != null && !value.isBlank();
	}

	/**
	 * Fails start-up with one line naming every missing setting, e.g.
	 * {@code OPENAI_API_KEY, OPENAI_MODEL: required when LLM_PROVIDER=openai}.
	 * @param required setting name (environment variable) to its value, in order
	 * @param selection what selected the provider, e.g. {@code LLM_PROVIDER=openai}
	 */
	public static void require(Map<String, @Nullable String> required, String selection) {
		List<String> missing = new ArrayList<>();
		required.forEach((name, value) -> {
			if (!present(value)) {
				missing.add(name);
			}
		});
		if (!missing.isEmpty()) {
			throw new InvalidConfigurationException(String.join(", ", missing), "required when " + selection);
		}
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
