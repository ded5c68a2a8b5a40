package com.ragchat.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Exponential backoff of password sign-in per identifier (the username or email as
 * typed), shared by every replica through the database. After
 * {@link SignInBackoffProperties#freeFailures()} consecutive failures the identifier must
 * wait {@code firstDelay}, doubled with each further failure up to {@code maxDelay};
 * attempts during the wait are refused without a password comparison and do not count. A
 * success forgets the failures.
 * <p>
 * Unknown names are counted exactly like existing ones, so the backoff tells nothing
 * about which accounts exist. The per-address limit bounds how fast one client can try
 * many names; this bounds how fast many clients (a botnet, or IPv6 addresses) can try one
 * name.
 */
class SignInThrottle {

	private final JdbcTemplate jdbc;

	private final AuthClock clock;

	private final SignInBackoffProperties properties;

	SignInThrottle(JdbcTemplate jdbc, AuthClock clock, SignInBackoffProperties properties) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.properties = properties;
	}

	/** Whole seconds the identifier must still wait before it may try; 0 when it may. */
	long secondsToWait(String identifier) {
		if (!this.properties.enabled()) {
			return 0;
		}
		Instant now = this.clock.now();
		List<Timestamp> locked = this.jdbc.queryForList(
				"select locked_until from sign_in_failures where identifier_hash = ? and locked_until > ?",
				Timestamp.class, hash(identifier), Timestamp.from(now));
		if (locked.isEmpty()) {
			return 0;
		}
		long millis = Duration.between(now, locked.get(0).toInstant()).toMillis();
		return Math.max(1, (millis + 999) / 1000);
	}

	/** Counts a failed sign-in of the identifier and starts its wait when it is due. */
	void failed(String identifier) {
		if (!this.properties.enabled()) {
			return;
		}
		Instant now = this.clock.now();
		Timestamp forgetBefore = Timestamp.from(now.minus(this.properties.forgetAfter()));
		String key = hash(identifier);
		Integer failures = this.jdbc.queryForObject("""
				insert into sign_in_failures as f (identifier_hash, failures, last_failure_at, locked_until)
				values (?, 1, ?, null)
				on conflict (identifier_hash) do update set
				    failures = case when f.last_failure_at < ? then 1 else f.failures + 1 end,
				    last_failure_at = excluded.last_failure_at
				returning failures
				""", Integer.class, key, Timestamp.from(now), forgetBefore);
		int beyond = ((failures != null) ? failures : 1) - this.properties.freeFailures();
		if (beyond > 0) {
			this.jdbc.update("update sign_in_failures set locked_until = ? where identifier_hash = ?",
					Timestamp.from(now.plus(delay(beyond))), key);
		}
	}

	/** Forgets the identifier's failures after it signed in. */
	void succeeded(String identifier) {
		if (this.properties.enabled()) {
			this.jdbc.update("delete from sign_in_failures where identifier_hash = ?", hash(identifier));
		}
	}

	/** Deletes rows whose failures are forgotten and whose wait is over. */
	int prune(Instant now) {
		return this.jdbc.update(
				"delete from sign_in_failures where last_failure_at < ? and (locked_until is null or locked_until < ?)",
				Timestamp.from(now.minus(this.properties.forgetAfter())), Timestamp.from(now));
	}

	/** The wait after the {@code beyond}-th failure past the free ones. */
	Duration delay(int beyond) {
		Duration max = this.properties.maxDelay();
		Duration delay = this.properties.firstDelay();
		for (int i = 1; i < beyond && delay.compareTo(max) < 0; i++) {
			delay = delay.multipliedBy(2);
		}
		return (delay.compareTo(max) > 0) ? max : delay;
	}

	private static String hash(String identifier) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256")
				.digest(AccountService.normalize(identifier).getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
		}
	}

}
