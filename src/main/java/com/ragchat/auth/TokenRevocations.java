package com.ragchat.auth;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The denylist of signed-out tokens, in the database so that every replica refuses them.
 * A {@code jti} stays listed until the token would have expired anyway. Tokens issued
 * before a password change are refused through the account's token version instead.
 */
class TokenRevocations {

	private final JdbcTemplate jdbc;

	TokenRevocations(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	void revoke(String jti, Instant expiresAt) {
		this.jdbc.update("insert into revoked_tokens (jti, expires_at) values (?, ?) on conflict (jti) do nothing", jti,
				Timestamp.from(expiresAt));
	}

	boolean isRevoked(String jti) {
		Boolean revoked = this.jdbc.queryForObject("select exists (select 1 from revoked_tokens where jti = ?)",
				Boolean.class, jti);
		return Boolean.TRUE.equals(revoked);
	}

	/**
	 * Whether a verified token may still sign its user in: not signed out, and issued for
	 * the account's current token version (a password change bumps it; a deleted account
	 * has none). One query, on every authenticated request.
	 */
	boolean isCurrent(AccessTokens.VerifiedToken token) {
		return currentRole(token).isPresent();
	}

	/**
	 * The account's stored role when the token may still sign its user in (see
	 * {@link #isCurrent}), read in the same single query: a role change takes effect on
	 * the next request, on every replica.
	 */
	Optional<String> currentRole(AccessTokens.VerifiedToken token) {
		List<String> roles = this.jdbc.queryForList(
				"select role from users where id = ? and token_version = ? "
						+ "and not exists (select 1 from revoked_tokens where jti = ?)",
				String.class, token.userId(), token.tokenVersion(), token.jti());
		return roles.stream().findFirst();
	}

	/** Deletes entries of tokens that have expired by themselves; returns how many. */
	int prune(Instant now) {
		return this.jdbc.update("delete from revoked_tokens where expires_at < ?", Timestamp.from(now));
	}

}
