package com.ragchat.auth;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The per-account sign-in backoff ({@code app.auth.sign-in-backoff}), on top of the
 * per-address limit of the {@code ratelimit} feature. See {@link SignInThrottle}.
 *
 * @param enabled whether it applies ({@code SIGN_IN_BACKOFF_ENABLED}; follows
 * {@code RATE_LIMIT_ENABLED} when unset)
 * @param freeFailures consecutive failures an identifier may have before it has to wait
 * ({@code SIGN_IN_FREE_FAILURES})
 * @param firstDelay the wait after the first failure beyond the free ones; each further
 * failure doubles it ({@code SIGN_IN_BACKOFF_FIRST})
 * @param maxDelay the longest wait, so an attacker can delay the owner's sign-in but not
 * shut it for long ({@code SIGN_IN_BACKOFF_MAX})
 * @param forgetAfter failures older than this are forgotten
 * ({@code SIGN_IN_FAILURES_FORGET_AFTER})
 */
@ConfigurationProperties("app.auth.sign-in-backoff")
@Validated
record SignInBackoffProperties(@DefaultValue("true") boolean enabled,
		@DefaultValue("5") @Min(1) @Max(1000) int freeFailures, @DefaultValue("2s") @NotNull Duration firstDelay,
		@DefaultValue("5m") @NotNull Duration maxDelay, @DefaultValue("1h") @NotNull Duration forgetAfter) {

}
