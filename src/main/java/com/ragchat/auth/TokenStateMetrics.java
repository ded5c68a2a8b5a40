package com.ragchat.auth;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The token state cache seen from outside: {@code auth_token_state_lookups_total} by
 * {@code source} ({@code cache} or {@code database}), whether the listener is up, how
 * often it (re)connected, and how many tokens are cached (OPERATIONS.md "Token state
 * cache").
 */
class TokenStateMetrics implements MeterBinder {

	private final TokenStateCache cache;

	private final TokenStateListener listener;

	TokenStateMetrics(TokenStateCache cache, TokenStateListener listener) {
		this.cache = cache;
		this.listener = listener;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		FunctionCounter.builder("auth.token.state.lookups", this.cache, TokenStateCache::cacheLookups)
			.description("Token checks of authenticated requests, by where the answer came from")
			.tag("source", "cache")
			.register(registry);
		FunctionCounter.builder("auth.token.state.lookups", this.cache, TokenStateCache::databaseLookups)
			.description("Token checks of authenticated requests, by where the answer came from")
			.tag("source", "database")
			.register(registry);
		Gauge.builder("auth.token.state.listener.up", this.cache, (cache) -> cache.trusted() ? 1 : 0)
			.description("1 while this replica trusts its token state cache (listener connected and recently proven)")
			.register(registry);
		FunctionCounter.builder("auth.token.state.listener.connects", this.listener, TokenStateListener::connects)
			.description("Times the token state listener connected and started listening")
			.register(registry);
		FunctionCounter.builder("auth.token.state.listener.round.trips", this.listener, TokenStateListener::roundTrips)
			.description("Round trips on the listener connection: heartbeats and the syncs requests share")
			.register(registry);
		Gauge.builder("auth.token.state.cached.tokens", this.cache, TokenStateCache::size)
			.description("Tokens whose state this replica holds")
			.register(registry);
	}

}
