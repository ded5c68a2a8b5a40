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

	String issue(long userId) {
		byte[] bytes = new byte[CODE_BYTES];
		this.random.nextBytes(bytes);
		String code = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
		this.jdbc.update("insert into oauth_handoff_codes (code_hash, user_id, expires_at) values (?, ?, ?)",
				digest(code), userId, Timestamp.from(this.clock.now().plus(this.ttl)));
		return code;
	}

	/**
	 * The user the code was issued for, if the code exists and has not expired. The code
	 * is consumed either way: deleting it is what makes it single-use, also when two
	 * replicas race to redeem it.
	 */
	OptionalLong redeem(String code) {
		record Entry(long userId, Instant expiresAt) {
		}
		List<Entry> entries = this.jdbc.query(
				"delete from oauth_handoff_codes where code_hash = ? returning user_id, expires_at",
				(rs, row) -> new Entry(rs.getLong(1), rs.getTimestamp(2).toInstant()), digest(code));
		if (entries.isEmpty() || !entries.get(0).expiresAt().isAfter(this.clock.now())) {
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
