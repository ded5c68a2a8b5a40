package com.ragchat.auth;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Deletes what has expired by itself: revocations of tokens past their expiry, handoff
 * codes and OAuth requests nobody came back for, sign-in failures that are forgotten.
 * Every replica runs it; the deletes are idempotent, so that costs nothing but a few
 * queries.
 */
@Component
class AuthMaintenance implements SchedulingConfigurer {

	private static final Logger logger = LoggerFactory.getLogger(AuthMaintenance.class);

	private final TokenRevocations revocations;

	private final HandoffCodes handoffCodes;

	private final OAuthAuthorizationRequests oauthRequests;

	private final SignInThrottle throttle;

	private final AuthClock clock;

	private final AuthProperties properties;

	AuthMaintenance(TokenRevocations revocations, HandoffCodes handoffCodes, OAuthAuthorizationRequests oauthRequests,
			SignInThrottle throttle, AuthClock clock, AuthProperties properties) {
		this.revocations = revocations;
		this.handoffCodes = handoffCodes;
		this.oauthRequests = oauthRequests;
		this.throttle = throttle;
		this.clock = clock;
		this.properties = properties;
	}

	@Override
	public void configureTasks(ScheduledTaskRegistrar registrar) {
		registrar.addFixedDelayTask(this::prune, this.properties.maintenanceInterval());
	}

	void prune() {
		try {
			var now = this.clock.now();
			int revoked = this.revocations.prune(now);
			int codes = this.handoffCodes.prune(now);
			int requests = this.oauthRequests.prune(now);
			int failures = this.throttle.prune(now);
			if (revoked + codes + requests + failures > 0) {
				logger.debug(
						"Pruned {} expired revocations, {} handoff codes, {} OAuth requests and {} sign-in failure records",
						revoked, codes, requests, failures);
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Could not prune expired sign-in data; will retry: {}", ex.getClass().getSimpleName());
		}
	}

}
