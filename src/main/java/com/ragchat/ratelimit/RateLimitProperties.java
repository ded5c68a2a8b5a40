package com.ragchat.ratelimit;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Request rate limits ({@code app.ratelimit}), per minute, shared by all replicas.
 *
 * @param enabled whether limits are enforced ({@code RATE_LIMIT_ENABLED})
 * @param loginPerMinute sign-in attempts per client IP: login routes, token, OAuth start,
 * callback and handoff ({@code RATE_LIMIT_LOGIN_PER_MINUTE})
 * @param registerPerMinute registrations per client IP
 * ({@code RATE_LIMIT_REGISTER_PER_MINUTE})
 * @param chatPerMinute chat messages per client IP and per user
 * ({@code RATE_LIMIT_CHAT_PER_MINUTE})
 * @param sessionCreatePerMinute chat sessions a user may create
 * ({@code RATE_LIMIT_SESSION_CREATE_PER_MINUTE})
 * @param sessionRenamePerMinute session renames per user
 * ({@code RATE_LIMIT_SESSION_RENAME_PER_MINUTE})
 * @param feedbackPerMinute answer ratings per user
 * ({@code RATE_LIMIT_FEEDBACK_PER_MINUTE})
 * @param apiKeyPerMinute requests per personal API key, on every route a key may call
 * ({@code RATE_LIMIT_API_KEY_PER_MINUTE}); counted on top of the route's own limits
 * @param trustedProxies IPs or CIDR ranges of proxies whose {@code X-Forwarded-For} is
 * believed ({@code TRUSTED_PROXIES}, comma-separated)
 * @param maintenanceInterval how often idle buckets are deleted
 */
@ConfigurationProperties("app.ratelimit")
@Validated
record RateLimitProperties(@DefaultValue("true") boolean enabled,
		@DefaultValue("10") @Min(1) @Max(100000) int loginPerMinute,
		@DefaultValue("5") @Min(1) @Max(100000) int registerPerMinute,
		@DefaultValue("30") @Min(1) @Max(100000) int chatPerMinute,
		@DefaultValue("20") @Min(1) @Max(100000) int sessionCreatePerMinute,
		@DefaultValue("30") @Min(1) @Max(100000) int sessionRenamePerMinute,
		@DefaultValue("60") @Min(1) @Max(100000) int feedbackPerMinute,
		@DefaultValue("60") @Min(1) @Max(100000) int apiKeyPerMinute, @Nullable List<String> trustedProxies,
		@DefaultValue("5m") @NotNull Duration maintenanceInterval) {

	/** Every limit refills over this window. */
	static final Duration WINDOW = Duration.ofSeconds(60);

	RateLimitProperties {
		trustedProxies = (trustedProxies == null) ? List.of()
				: trustedProxies.stream().map(String::strip).filter((value) -> !value.isEmpty()).distinct().toList();
	}

}
