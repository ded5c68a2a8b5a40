package com.ragchat.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;

/**
 * Personal API keys: {@code rck_} and 43 URL-safe characters (32 random bytes), shown
 * once and kept only as a SHA-256, which is enough for a key of that entropy (no salt or
 * slow hash needed: nobody can guess 256 bits). Each request with a key looks it up, so a
 * deleted key stops working on every replica at once; a password change leaves keys
 * alone, deleting the account deletes them.
 */
class ApiKeys {

	/** What every key starts with, so a leaked one is recognisable (and scannable). */
	static final String PREFIX = "rck_";

	private static final int KEY_BYTES = 32;

	/** Characters of the key kept in clear, for the owner to tell keys apart. */
	private static final int SHOWN = PREFIX.length() + 6;

	/**
	 * {@code last_used_at} is written at most this often per key, not on every request.
	 */
	private static final Duration USE_RESOLUTION = Duration.ofMinutes(1);

	private final JdbcTemplate jdbc;

	private final AuthClock clock;

	private final SecureRandom random = new SecureRandom();

	ApiKeys(JdbcTemplate jdbc, AuthClock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/**
	 * A key as its owner sees it in listings: never the key itself.
	 *
	 * @param id id
	 * @param name the owner's name for it
	 * @param prefix its first characters
	 * @param createdAt when it was made
	 * @param expiresAt when it stops working, if ever
	 * @param lastUsedAt when it was last used (to the minute), if ever
	 */
	record KeyInfo(long id, String name, String prefix, Instant createdAt, @Nullable Instant expiresAt,
			@Nullable Instant lastUsedAt) {
	}

	/** A new key: the only time the key itself leaves the service. */
	record Created(KeyInfo info, String key) {
	}

	/** Who a presented key signs in. */
	record Owner(long keyId, long userId, String username, String role) {
	}

	Created create(long userId, String name, @Nullable Integer expiresInDays) {
		byte[] bytes = new byte[KEY_BYTES];
		this.random.nextBytes(bytes);
		String key = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
		Instant now = this.clock.now();
		Instant expires = (expiresInDays != null) ? now.plus(Duration.ofDays(expiresInDays)) : null;
		GeneratedKeyHolder ids = new GeneratedKeyHolder();
		this.jdbc.update((connection) -> {
			var insert = connection
				.prepareStatement("insert into api_keys (user_id, name, prefix, key_hash, created_at, expires_at) "
						+ "values (?, ?, ?, ?, ?, ?)", new String[] { "id" });
			insert.setLong(1, userId);
			insert.setString(2, name);
			insert.setString(3, key.substring(0, SHOWN));
			insert.setString(4, digest(key));
			insert.setTimestamp(5, Timestamp.from(now));
			insert.setTimestamp(6, (expires != null) ? Timestamp.from(expires) : null);
			return insert;
		}, ids);
		Number id = ids.getKey();
		if (id == null) {
			throw new IllegalStateException("no id for the new API key");
		}
		return new Created(new KeyInfo(id.longValue(), name, key.substring(0, SHOWN), now, expires, null), key);
	}

	List<KeyInfo> list(long userId) {
		return this.jdbc.query("select id, name, prefix, created_at, expires_at, last_used_at from api_keys "
				+ "where user_id = ? order by created_at desc, id desc", ApiKeys::info, userId);
	}

	/** Deletes the caller's key; false when the caller has no key with that id. */
	boolean delete(long userId, long id) {
		return this.jdbc.update("delete from api_keys where id = ? and user_id = ?", id, userId) > 0;
	}

	/** The owner of a presented key, when it exists and has not expired. */
	Optional<Owner> authenticate(String key) {
		if (!key.startsWith(PREFIX) || key.length() > 128) {
			return Optional.empty();
		}
		Instant now = this.clock.now();
		List<Found> found = this.jdbc
			.query("select k.id, k.user_id, u.username, u.role, k.last_used_at from api_keys k "
					+ "join users u on u.id = k.user_id where k.key_hash = ? and (k.expires_at is null or k.expires_at > ?)",
					(rs, row) -> {
						Timestamp lastUsed = rs.getTimestamp("last_used_at");
						return new Found(new Owner(rs.getLong("id"), rs.getLong("user_id"), rs.getString("username"),
								rs.getString("role")), (lastUsed != null) ? lastUsed.toInstant() : null);
					}, digest(key), Timestamp.from(now));
		if (found.isEmpty()) {
			return Optional.empty();
		}
		Found match = found.get(0);
		if (match.lastUsed() == null || match.lastUsed().isBefore(now.minus(USE_RESOLUTION))) {
			this.jdbc.update("update api_keys set last_used_at = ? where id = ?", Timestamp.from(now),
					match.owner().keyId());
		}
		return Optional.of(match.owner());
	}

	private record Found(Owner owner, @Nullable Instant lastUsed) {
	}

	static String digest(String key) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every Java runtime", ex);
		}
	}

	private static KeyInfo info(ResultSet rs, int row) throws SQLException {
		Timestamp expires = rs.getTimestamp("expires_at");
		Timestamp used = rs.getTimestamp("last_used_at");
		return new KeyInfo(rs.getLong("id"), rs.getString("name"), rs.getString("prefix"),
				rs.getTimestamp("created_at").toInstant(), (expires != null) ? expires.toInstant() : null,
				(used != null) ? used.toInstant() : null);
	}

}
