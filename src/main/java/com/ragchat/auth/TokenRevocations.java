package com.ragchat.auth;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The denylist of signed-out tokens, in the database so that every replica refuses them.
 * A {@code jti} stays listed until the token would have expired anyway. Tokens issued
 * before a password change are refused through the account's token version instead.
 * <p>
 * Each replica answers the check from its {@link TokenStateCache} while its
 * {@link TokenStateListener} receives every change, and from the database otherwise.
 */
class TokenRevocations {

	private final JdbcTemplate jdbc;

	private final TokenStateCache cache;

	private final TokenStateListener listener;

	TokenRevocations(JdbcTemplate jdbc, TokenStateCache cache, TokenStateListener listener) {
		this.jdbc = jdbc;
		this.cache = cache;
		this.listener = listener;
	}

	void revoke(String jti, Instant expiresAt) {
		this.jdbc.update("insert into revoked_tokens (jti, expires_at) values (?, ?) on conflict (jti) do nothing", jti,
				Timestamp.from(expiresAt));
		// The other replicas learn it from the notification the insert sends; this one
		// must not wait for it.
		afterCommit(() -> this.cache.tokenRevoked(jti, expiresAt));
	}

	/**
	 * Whether a verified token may still sign its user in: not signed out, and issued for
	 * the account's current token version (a password change bumps it; a deleted account
	 * has none).
	 */
	boolean isCurrent(AccessTokens.VerifiedToken token) {
		return currentRole(token).isPresent();
	}

	/**
	 * The account's stored role when the token may still sign its user in (see
	 * {@link #isCurrent}): from the cache when it is current, otherwise in one query. A
	 * role change takes effect on the next request, on every replica.
	 */
	Optional<String> currentRole(AccessTokens.VerifiedToken token) {
		// A cached answer counts only once a round trip on the listener connection that
		// started after this request arrived has brought in every change committed
		// before, on any replica (one round trip serves every request waiting for it).
		if (this.cache.holds(token) && this.listener.awaitRoundTrip()) {
			TokenStateCache.Answer cached = this.cache.lookup(token);
			if (cached != null) {
				return Optional.ofNullable(cached.role());
			}
		}
		long generation = this.cache.generation();
		this.cache.countDatabaseLookup();
		// One row whether or not the account exists, so that a deleted account is
		// remembered too.
		List<Row> rows = this.jdbc.query(
				"select u.role, u.token_version, exists (select 1 from revoked_tokens where jti = ?) as revoked "
						+ "from (values (1)) as one (x) left join users u on u.id = ?",
				(rs, n) -> new Row(rs.getString("role"), rs.getInt("token_version"), rs.getBoolean("revoked")),
				token.jti(), token.userId());
		Row row = rows.get(0);
		TokenStateCache.Account account = (row.role() != null)
				? new TokenStateCache.Account(row.tokenVersion(), row.role()) : TokenStateCache.Account.GONE;
		this.cache.store(generation, token, account, row.revoked());
		if (row.revoked() || row.role() == null || row.tokenVersion() != token.tokenVersion()) {
			return Optional.empty();
		}
		return Optional.of(row.role());
	}

	private record Row(String role, int tokenVersion, boolean revoked) {

	}

	/**
	 * Forgets this replica's copy of the account's state once the current transaction (if
	 * any) commits; the other replicas learn of the change from its notification.
	 */
	void accountChanged(long userId) {
		afterCommit(() -> this.cache.accountChanged(userId));
	}

	/** Deletes entries of tokens that have expired by themselves; returns how many. */
	int prune(Instant now) {
		return this.jdbc.update("delete from revoked_tokens where expires_at < ?", Timestamp.from(now));
	}

	private static void afterCommit(Runnable action) {
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCommit() {
					action.run();
				}
			});
		}
		else {
			action.run();
		}
	}

}
