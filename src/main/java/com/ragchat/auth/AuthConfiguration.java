package com.ragchat.auth;

import java.time.Clock;

import javax.sql.DataSource;

import com.ragchat.platform.InvalidConfigurationException;
import com.ragchat.platform.PlatformProperties;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The building blocks of sign-in, from validated settings. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class AuthConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(AuthConfiguration.class);

	@Bean
	AuthClock authClock() {
		return new AuthClock(Clock.systemUTC());
	}

	@Bean
	AdminBootstrap adminBootstrap(AuthProperties properties, PlatformProperties platform) {
		return new AdminBootstrap(properties, platform);
	}

	/** Flyway picks this bean up: migration 8 needs {@code ADMIN_USERNAMES}. */
	@Bean
	AdminRoleMigration adminRoleMigration(AuthProperties properties) {
		return new AdminRoleMigration(properties.adminUsernames());
	}

	@Bean
	PasswordHasher passwordHasher(AuthProperties properties) {
		return new PasswordHasher(properties.passwordBcryptCost());
	}

	@Bean
	AccessTokens accessTokens(AuthProperties properties, PlatformProperties platform, AuthClock clock) {
		return new AccessTokens(SigningSecret.resolve(properties.secretKey(), platform),
				properties.accessTokenLifetime(), clock);
	}

	@Bean
	TokenStateCache tokenStateCache(TokenStateProperties properties) {
		return new TokenStateCache(properties.maxEntries(), System::nanoTime);
	}

	@Bean
	TokenRevocations tokenRevocations(JdbcTemplate jdbc, TokenStateCache cache, TokenStateListener listener) {
		return new TokenRevocations(jdbc, cache, listener);
	}

	@Bean
	TokenStateListener tokenStateListener(DataSource dataSource, TokenStateCache cache,
			TokenStateProperties properties) {
		TokenStateListener.ConnectionSource connections = properties.cacheEnabled()
				? TokenStateConnections.like(dataSource, properties.lease()) : null;
		if (properties.cacheEnabled() && connections == null) {
			logger.info("Token state cache off: the data source does not say how to open a connection of its own; "
					+ "every authenticated request checks its token in the database");
		}
		return new TokenStateListener(connections, cache, properties.heartbeat(), properties.lease(),
				properties.reconnectDelay(), properties.reconnectBackoffMax());
	}

	@Bean
	TokenStateMetrics tokenStateMetrics(TokenStateCache cache, TokenStateListener listener) {
		return new TokenStateMetrics(cache, listener);
	}

	@Bean
	HandoffCodes handoffCodes(JdbcTemplate jdbc, AuthClock clock, AuthProperties properties) {
		return new HandoffCodes(jdbc, clock, properties.handoffCodeTtl());
	}

	@Bean
	ApiKeys apiKeys(JdbcTemplate jdbc, AuthClock clock) {
		return new ApiKeys(jdbc, clock);
	}

	@Bean
	SignInThrottle signInThrottle(JdbcTemplate jdbc, AuthClock clock, SignInBackoffProperties properties) {
		return new SignInThrottle(jdbc, clock, properties);
	}

	@Bean
	OAuthClients oauthClients(AuthProperties properties) {
		return new OAuthClients(properties.oauth());
	}

	@Bean
	OAuthAuthorizationRequests oauthAuthorizationRequests(JdbcTemplate jdbc, AuthClock clock,
			AuthProperties properties) {
		return new OAuthAuthorizationRequests(jdbc, clock, properties.oauth().authorizationRequestTtl());
	}

	@Bean
	OAuthLogin oauthLogin(AuthProperties properties) {
		return new OAuthLogin(properties.oauth());
	}

	@Bean
	AuthCookies authCookies(AuthProperties properties, PlatformProperties platform) {
		boolean secure = properties.secureCookies(platform.isProduction());
		if ("None".equals(properties.sameSiteAttribute()) && !secure) {
			throw new InvalidConfigurationException("AUTH_COOKIE_SAMESITE",
					"none requires AUTH_COOKIE_SECURE=true (browsers drop SameSite=None cookies without Secure)");
		}
		if (platform.isProduction() && !secure) {
			logger.warn("AUTH_COOKIE_SECURE=false in production: sign-in cookies will also travel over plain http");
		}
		return new AuthCookies(secure, properties.sameSiteAttribute());
	}

	@Bean
	BrowserBinding browserBinding(AuthProperties properties, PlatformProperties platform) {
		return new BrowserBinding(properties.secureCookies(platform.isProduction()), properties.sameSiteAttribute());
	}

}
