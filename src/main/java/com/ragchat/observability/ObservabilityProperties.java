package com.ragchat.observability;

import java.nio.file.Path;

import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;

import com.ragchat.platform.InvalidConfigurationException;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the operations surface ({@code app.observability}). The logging settings
 * are applied by {@code logback-spring.xml}, which reads these same keys; binding them
 * here validates them and documents them in one place. The root log level is
 * {@code LOGGING_LEVEL}, mapped to Spring Boot's {@code logging.level.root}.
 *
 * @param metricsToken {@code METRICS_TOKEN}: when set, {@code /api/metrics} and
 * {@code /api/metrics/db-pool} require {@code Authorization: Bearer <token>}; empty
 * leaves them open outside production (for local use); production refuses to start
 * without one unless {@code metricsPublic}
 * @param metricsPublic {@code METRICS_PUBLIC}: in production, leave the metrics endpoints
 * open without {@code METRICS_TOKEN} (only when the network already restricts them)
 * @param logJson {@code LOG_JSON}: one JSON object per log line (logstash layout, with
 * {@code request_id}) instead of plain text
 * @param logToFile {@code LOG_TO_FILE}: also write the log to {@code loggingLocation},
 * rolled over at 10 MB, 20 old files kept
 * @param loggingLocation {@code LOGGING_LOCATION}: the log file when {@code logToFile}
 */
@ConfigurationProperties("app.observability")
@Validated
record ObservabilityProperties(@Nullable String metricsToken, @DefaultValue("false") boolean logJson,
		@DefaultValue("false") boolean logToFile, @DefaultValue("logs/ragchat.log") @NotNull Path loggingLocation,
		@DefaultValue("false") boolean metricsPublic) {

	/** Shorter tokens are guessable; the value itself is never echoed in the error. */
	static final int MIN_TOKEN_LENGTH = 16;

	ObservabilityProperties {
		if (metricsToken != null) {
			metricsToken = metricsToken.strip();
			if (metricsToken.isEmpty()) {
				metricsToken = null;
			}
			else if (metricsToken.length() < MIN_TOKEN_LENGTH
					|| metricsToken.chars().anyMatch(Character::isWhitespace)) {
				throw new InvalidConfigurationException("METRICS_TOKEN", "must be at least " + MIN_TOKEN_LENGTH
						+ " characters without spaces (or empty to leave " + "the metrics endpoints open)");
			}
		}
	}

	/** Whether the metrics endpoints require {@code metricsToken}. */
	boolean metricsProtected() {
		return this.metricsToken != null;
	}

	@Override
	public String toString() {
		return "ObservabilityProperties[metricsToken=" + (metricsProtected() ? "(set)" : "(none)") + ", logJson="
				+ this.logJson + ", logToFile=" + this.logToFile + ", loggingLocation=" + this.loggingLocation + "]";
	}

}
