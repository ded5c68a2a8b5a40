package com.ragchat.auth;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cache's own rules: it answers only while trusted and within its lease, a value read
 * before a change was notified is never kept, and revocation is final.
 */
class TokenStateCacheTests {

	private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

	private final TokenStateCache cache = new TokenStateCache(1000, this.nanos::get);

	private final AccessTokens.VerifiedToken token = new AccessTokens.VerifiedToken(7, "ann", "jti-1",
			Instant.now().plusSeconds(600), 3);

	private final TokenStateCache.Account ann = new TokenStateCache.Account(3, "user");

	@Test
	void answersOnlyWhileTrustedAndWithinTheLease() {
		this.cache.store(this.cache.generation(), this.token, this.ann, false);
		assertThat(this.cache.lookup(this.token)).isNull();

		this.cache.trustUntil(this.nanos.get(), 1_000);
		assertThat(this.cache.lookup(this.token)).isEqualTo(new TokenStateCache.Answer("user"));
		this.nanos.addAndGet(1_000);
		assertThat(this.cache.lookup(this.token)).as("lease over").isNull();

		this.cache.trustUntil(this.nanos.get(), 1_000);
		this.cache.distrust();
		assertThat(this.cache.lookup(this.token)).isNull();
	}

	@Test
	void aValueReadBeforeANotifiedChangeIsNotKept() {
		this.cache.trustUntil(this.nanos.get(), 1_000_000);
		long before = this.cache.generation();
		// The database said "current, role user"; meanwhile the password changed.
		this.cache.accountChanged(7);
		this.cache.store(before, this.token, this.ann, false);
		assertThat(this.cache.holds(this.token)).isFalse();
		assertThat(this.cache.lookup(this.token)).isNull();

		this.cache.store(this.cache.generation(), this.token, new TokenStateCache.Account(4, "user"), false);
		assertThat(this.cache.lookup(this.token)).isEqualTo(TokenStateCache.Answer.REFUSED);
	}

	@Test
	void aRevocationIsFinalAndAnAccountChangeIsForgotten() {
		this.cache.trustUntil(this.nanos.get(), 1_000_000);
		this.cache.store(this.cache.generation(), this.token, this.ann, false);
		this.cache.tokenRevoked("jti-1", this.token.expiresAt());
		// A late store of "not revoked" does not undo it.
		this.cache.store(this.cache.generation(), this.token, this.ann, false);
		assertThat(this.cache.lookup(this.token)).isEqualTo(TokenStateCache.Answer.REFUSED);

		AccessTokens.VerifiedToken other = new AccessTokens.VerifiedToken(7, "ann", "jti-2",
				Instant.now().plusSeconds(600), 3);
		this.cache.store(this.cache.generation(), other, this.ann, false);
		assertThat(this.cache.lookup(other)).isEqualTo(new TokenStateCache.Answer("user"));
		this.cache.accountChanged(7);
		assertThat(this.cache.lookup(other)).isNull();
		this.cache.store(this.cache.generation(), other, TokenStateCache.Account.GONE, false);
		assertThat(this.cache.lookup(other)).isEqualTo(TokenStateCache.Answer.REFUSED);

		this.cache.invalidateAll();
		assertThat(this.cache.lookup(other)).isNull();
	}

}
