package com.ragchat.observability.logging;

import java.util.Locale;

import ch.qos.logback.core.PropertyDefinerBase;
import org.jspecify.annotations.Nullable;

/**
 * Normalises a boolean setting read into the logging context ({@code LOG_TO_FILE=TRUE},
 * {@code True}, {@code true}) to {@code true} or {@code false}: the configuration picks
 * an appender by name from it, and an unexpected spelling must not break logging.
 */
public class FlagDefiner extends PropertyDefinerBase {

	private @Nullable String key;

	/** Name of the logging-context property holding the raw value. */
	public void setKey(String key) {
		this.key = key;
	}

	@Override
	public String getPropertyValue() {
		String raw = (this.key != null && getContext() != null) ? getContext().getProperty(this.key) : null;
		return Boolean.toString(raw != null && "true".equals(raw.strip().toLowerCase(Locale.ROOT)));
	}

}
