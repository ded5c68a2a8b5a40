package com.ragchat.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.ragchat.platform.InvalidConfigurationException;
import com.ragchat.platform.PlatformProperties;

/**
 * Who may register a name listed in {@code ADMIN_USERNAMES} and so become an admin. The
 * role is stored on the account when it is created; the list is never consulted again for
 * an existing account (admins change roles through the admin API afterwards).
 * <p>
 * In production a listed name is registered only with the header
 * {@code X-Admin-Bootstrap-Token} equal to {@code ADMIN_BOOTSTRAP_TOKEN}; without it (or
 * with a wrong one) the registration is refused exactly like a taken name, so whoever
 * registers first cannot claim the admin name. Outside production the token is optional
 * (a development convenience that is logged), but a wrong token is still refused.
 */
class AdminBootstrap {

	/** The header that carries the bootstrap token on {@code POST /api/auth/register}. */
	static final String HEADER = "X-Admin-Bootstrap-Token";

	static final int MINIMUM_TOKEN_LENGTH = 32;

	private static final Logger logger = LoggerFactory.getLogger(AdminBootstrap.class);

	private final AuthProperties properties;

	private final boolean production;

	AdminBootstrap(AuthProperties properties, PlatformProperties platform) {
		this.properties = properties;
		this.production = platform.isProduction();
		String token = properties.adminBootstrapToken();
		if (this.production && !properties.adminUsernames().isEmpty()
				&& (token == null || token.length() < MINIMUM_TOKEN_LENGTH)) {
			throw new InvalidConfigurationException("ADMIN_BOOTSTRAP_TOKEN",
					"is required in production while ADMIN_USERNAMES lists names: set a random value of at least "
							+ MINIMUM_TOKEN_LENGTH + " characters (or empty ADMIN_USERNAMES)");
		}
	}

	/** What registering {@code username} with {@code presentedToken} leads to. */
	Decision decide(String username, @Nullable String presentedToken) {
		if (!this.properties.isAdmin(username)) {
			return Decision.USER;
		}
		String expected = this.properties.adminBootstrapToken();
		if (presentedToken != null) {
			if (expected != null && constantTimeEquals(expected, presentedToken)) {
				logger.info("Admin name {} registered with the bootstrap token", username);
				return Decision.ADMIN;
			}
			logger.warn("Registration of admin name {} refused: wrong bootstrap token", username);
			return Decision.REFUSED;
		}
		if (this.production) {
			logger.warn("Registration of admin name {} refused: no bootstrap token", username);
			return Decision.REFUSED;
		}
		logger.warn("Admin name {} registered without a bootstrap token (allowed outside production only)", username);
		return Decision.ADMIN;
	}

	/** Whether a name is reserved for the bootstrap (never generated for OAuth users). */
	boolean isReserved(String username) {
		return this.properties.isAdmin(username);
	}

	private static boolean constantTimeEquals(String expected, String presented) {
		return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
				presented.getBytes(StandardCharsets.UTF_8));
	}

	enum Decision {

		/** Not a listed name: an ordinary user. */
		USER,
		/** A listed name with the bootstrap token (or outside production): admin. */
		ADMIN,
		/** A listed name without the right token: refused like a taken name. */
		REFUSED

	}

}
