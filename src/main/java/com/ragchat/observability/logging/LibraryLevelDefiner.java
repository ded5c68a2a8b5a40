package com.ragchat.observability.logging;

import java.util.Locale;

import ch.qos.logback.core.PropertyDefinerBase;
import org.jspecify.annotations.Nullable;

/**
 * The level of talkative libraries, derived from the root level: {@code WARN} at
 * {@code INFO} and {@code WARN}, the root level itself when it is stricter
 * ({@code ERROR}, {@code OFF}) or more verbose ({@code DEBUG}, {@code TRACE}: debugging
 * locally wants everything).
 */
public class LibraryLevelDefiner extends PropertyDefinerBase {

	private @Nullable String key;

	/** Name of the logging-context property holding the root level. */
	public void setKey(String key) {
		this.key = key;
	}

	@Override
	public String getPropertyValue() {
		String raw = (this.key != null && getContext() != null) ? getContext().getProperty(this.key) : null;
		String root = (raw != null) ? raw.strip().toUpperCase(Locale.ROOT) : "INFO";
		return switch (root) {
			case "TRACE", "DEBUG", "ERROR", "OFF" -> root;
			default -> "WARN";
		};
	}

}
