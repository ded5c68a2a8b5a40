package com.ragchat.auth;

import java.time.Clock;
import java.time.Instant;

/**
 * The time as accounts see it: token issue and expiry, handoff code expiry. A bean of its
 * own so tests can move time forward instead of sleeping.
 */
class AuthClock {

	private final Clock clock;

	AuthClock(Clock clock) {
		this.clock = clock;
	}

	Instant now() {
		return this.clock.instant();
	}

}
