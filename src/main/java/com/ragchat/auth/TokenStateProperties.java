package com.ragchat.auth;

import java.time.Duration;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The per-replica cache of the token state ({@code app.auth.token-state}); see
 * {@link TokenStateCache} and {@link TokenStateListener}.
 *
 * @param cacheEnabled whether requests are checked against the cache while the listener
 * is connected ({@code TOKEN_STATE_CACHE_ENABLED}); off, every authenticated request asks
 * the database
 * @param heartbeat how often the listener proves its connection alive with a round trip
 * @param lease how long after its last proof the cache is trusted; the bound on staleness
 * when the listener's connection breaks without the driver noticing (a silent network
 * failure). Longer than {@code heartbeat}
 * @param maxEntries tokens (and accounts) kept per replica; beyond, expired tokens are
 * dropped, then everything
 * @param reconnectDelay the wait before the first attempt to reconnect; it doubles with
 * each failed attempt
 * @param reconnectBackoffMax the longest wait between two attempts to reconnect
 */
@ConfigurationProperties("app.auth.token-state")
@Validated
record TokenStateProperties(@DefaultValue("true") boolean cacheEnabled, @DefaultValue("1s") @NotNull Duration heartbeat,
		@DefaultValue("3s") @NotNull Duration lease, @DefaultValue("100000") @Min(100) @Max(10000000) int maxEntries,
		@DefaultValue("100ms") @NotNull Duration reconnectDelay,
		@DefaultValue("5s") @NotNull Duration reconnectBackoffMax) {

	@AssertTrue(message = "lease must be longer than heartbeat, and heartbeat at least 100 ms")
	boolean isLeaseLongerThanHeartbeat() {
		return this.heartbeat.toMillis() >= 100 && this.lease.compareTo(this.heartbeat) > 0;
	}

}
