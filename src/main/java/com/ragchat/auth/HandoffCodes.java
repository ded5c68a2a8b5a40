package com.ragchat.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * One-time codes that carry a finished OAuth sign-in from the API's callback to the web
 * client, which redeems one for its cookies. 32 random bytes, URL-safe, usable once and
 * only for a short time. Stored in the database (as a SHA-256, so a database reader
 * cannot redeem them) so that any replica can redeem a code another replica issued.
 */
class HandoffCodes {

	private static final int CODE_BYTES = 32;

	private final JdbcTemplate jdbc;

	private final AuthClock clock;

	private final Duration ttl;

	private final SecureRandom random = new SecureRandom();

	HandoffCodes(JdbcTemplate jdbc, AuthClock clock, Duration ttl) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.ttl = ttl;
	}

	/**
	 * A new code for {@code userId}, redeemable only by the browser whose binding cookie
	 * hashes to {@code browserHash} (see {@link BrowserBinding}).
	 */
	String issue(long userId, String browserHash) {
		byte[] bytes = new byte[CODE_BYTES];
		this.random.nextBytes(bytes);
		String code = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
		this.jdbc.update(
				"insert into oauth_handoff_codes (code_hash, user_id, expires_at, browser_hash) values (?, ?, ?, ?)",
				digest(code), userId, Timestamp.from(this.clock.now().plus(this.ttl)), browserHash);
		return code;
	}

	/**
	 * The user the code was issued for, if the code exists, has not expired and is
	 * redeemed by the browser it was issued to ({@code browserHash} of its binding
	 * cookie, {@code null} when it has none). The code is consumed either way: deleting
	 * it is what makes it single-use, also when two replicas race to redeem it, and a
	 * code presented from another browser is burnt.
	 */
	OptionalLong redeem(String code, @Nullable String browserHash) {
		record Entry(long userId, Instant expiresAt, @Nullable String browserHash) {
		}
		List<Entry> entries = this.jdbc.query(
				"delete from oauth_handoff_codes where code_hash = ? returning user_id, expires_at, browser_hash",
				(rs, row) -> new Entry(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3)), digest(code));
		if (entries.isEmpty() || !entries.get(0).expiresAt().isAfter(this.clock.now())
				|| !BrowserBinding.matches(entries.get(0).browserHash(), browserHash)) {
			return OptionalLong.empty();
		}
		return OptionalLong.of(entries.get(0).userId());
	}

	int prune(Instant now) {
		return this.jdbc.update("delete from oauth_handoff_codes where expires_at < ?", Timestamp.from(now));
	}

	private static String digest(String code) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(code.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is unavailable", ex);
		}
	}

}
