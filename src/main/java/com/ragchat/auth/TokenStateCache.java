package com.ragchat.auth;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;

/**
 * This replica's copy of the token state: for each account seen, its token version and
 * role (or that it is gone), and for each token seen, whether it was signed out. Filled
 * from the database on a miss and kept current by {@link TokenStateListener}; it is only
 * consulted while the listener {@linkplain #trustUntil confirms} that it receives every
 * change, and after a round trip of the listener that began after the request arrived
 * (see {@link TokenRevocations#currentRole}); otherwise every request asks the database.
 * <p>
 * A value read from the database may be older than a change whose notification arrives
 * while the read is in flight. Every invalidation therefore moves a generation on first,
 * and a value read under an older generation is not kept (see {@link #store}).
 */
class TokenStateCache {

	/** An account as the token check needs it; {@code role} null: the account is gone. */
	record Account(int tokenVersion, @Nullable String role) {

		static final Account GONE = new Account(-1, null);

	}

	private final Map<Long, Account> accounts = new ConcurrentHashMap<>();

	/** Token id: whether it was signed out (true) or known not to be (false). */
	private final Map<String, Entry> tokens = new ConcurrentHashMap<>();

	private record Entry(boolean revoked, Instant expiresAt) {

	}

	private final AtomicLong generation = new AtomicLong();

	private final int maxEntries;

	private final LongSupplier nanoClock;

	/** While {@code nanoClock} is before this, the cache may answer; see trustUntil. */
	private volatile long trustedUntil;

	private volatile boolean trusted;

	private final LongAdder cacheLookups = new LongAdder();

	private final LongAdder databaseLookups = new LongAdder();

	TokenStateCache(int maxEntries, LongSupplier nanoClock) {
		this.maxEntries = maxEntries;
		this.nanoClock = nanoClock;
	}

	/**
	 * Whether the cache may answer now: the listener is connected and listening, and its
	 * last check of the connection is recent enough.
	 */
	boolean trusted() {
		return this.trusted && this.nanoClock.getAsLong() - this.trustedUntil < 0;
	}

	/**
	 * The listener proved at {@code since} (a {@code nanoClock} reading taken before the
	 * proof) that it receives every notification: trust the cache until {@code lease}
	 * nanoseconds after that, unless the listener renews it.
	 */
	void trustUntil(long since, long lease) {
		this.trustedUntil = since + lease;
		this.trusted = true;
	}

	/** The listener lost its connection (or never had one): ask the database. */
	void distrust() {
		this.trusted = false;
	}

	/** The generation to pass to {@link #store}, read before the database is asked. */
	long generation() {
		return this.generation.get();
	}

	/** Whether the cache is trusted and holds the token and its account. */
	boolean holds(AccessTokens.VerifiedToken token) {
		return trusted() && this.accounts.containsKey(token.userId()) && this.tokens.containsKey(token.jti());
	}

	/**
	 * The role the token signs its user in with, if the cache knows the answer and may
	 * give it: empty when it does not (ask the database), an empty role when the token is
	 * refused.
	 */
	@Nullable Answer lookup(AccessTokens.VerifiedToken token) {
		if (!trusted()) {
			return null;
		}
		Account account = this.accounts.get(token.userId());
		Entry entry = this.tokens.get(token.jti());
		if (account == null || entry == null) {
			return null;
		}
		this.cacheLookups.increment();
		if (entry.revoked() || account.role() == null || account.tokenVersion() != token.tokenVersion()) {
			return Answer.REFUSED;
		}
		return new Answer(account.role());
	}

	/** What the cache answers: the account's role, or null when the token is refused. */
	record Answer(@Nullable String role) {

		static final Answer REFUSED = new Answer(null);

	}

	/** Counts a token check that asked the database. */
	void countDatabaseLookup() {
		this.databaseLookups.increment();
	}

	/**
	 * Keeps what the database said about a token and its account, unless a change was
	 * notified since {@code generation} was read (the value may predate it).
	 */
	void store(long generation, AccessTokens.VerifiedToken token, Account account, boolean revoked) {
		if (this.generation.get() != generation) {
			return;
		}
		if (this.tokens.size() >= this.maxEntries || this.accounts.size() >= this.maxEntries) {
			makeRoom();
		}
		Entry entry = new Entry(revoked, token.expiresAt());
		this.accounts.putIfAbsent(token.userId(), account);
		this.tokens.putIfAbsent(token.jti(), entry);
		// An invalidation may have run between the check above and the puts: it moved
		// the generation before it removed anything, so seeing it moved here means our
		// values may have landed after its removal. Take them back out.
		if (this.generation.get() != generation) {
			this.accounts.remove(token.userId(), account);
			this.tokens.remove(token.jti(), entry);
		}
	}

	/** The account changed (role, token version, name), appeared or was deleted. */
	void accountChanged(long userId) {
		this.generation.incrementAndGet();
		this.accounts.remove(userId);
	}

	/**
	 * A token was signed out. Revocation is final, so the cache can record it as such
	 * rather than forget the token.
	 */
	void tokenRevoked(String jti, Instant expiresAt) {
		this.generation.incrementAndGet();
		this.tokens.put(jti, new Entry(true, expiresAt));
	}

	/** A token was signed out and only its id is known (a notification). */
	void tokenRevoked(String jti) {
		this.generation.incrementAndGet();
		this.tokens.remove(jti);
	}

	/** Forgets everything (on reconnecting, or when a table was truncated). */
	void invalidateAll() {
		this.generation.incrementAndGet();
		this.accounts.clear();
		this.tokens.clear();
	}

	/**
	 * Drops entries of tokens that have expired; when that is not enough, everything (a
	 * cold cache costs queries, never correctness).
	 */
	private void makeRoom() {
		Instant now = Instant.now();
		this.tokens.values().removeIf((entry) -> entry.expiresAt().isBefore(now));
		if (this.tokens.size() >= this.maxEntries || this.accounts.size() >= this.maxEntries) {
			this.accounts.clear();
			this.tokens.clear();
		}
	}

	long cacheLookups() {
		return this.cacheLookups.sum();
	}

	long databaseLookups() {
		return this.databaseLookups.sum();
	}

	int size() {
		return this.tokens.size();
	}

}
