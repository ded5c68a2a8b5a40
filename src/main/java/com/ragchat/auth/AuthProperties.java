package com.ragchat.auth;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of accounts and sign-in ({@code app.auth}).
 *
 * @param secretKey HMAC key that signs access tokens ({@code SECRET_KEY}, at least 32
 * bytes); required in production, generated and kept in the data directory otherwise
 * @param accessTokenExpireMinutes lifetime of access tokens and their cookies
 * ({@code ACCESS_TOKEN_EXPIRE_MINUTES})
 * @param cookieSecure whether the auth cookies carry {@code Secure}
 * ({@code AUTH_COOKIE_SECURE}); set it behind HTTPS. Unset: on in production, off
 * elsewhere (see {@link #secureCookies(boolean)})
 * @param cookieSameSite {@code SameSite} of the auth cookies: {@code lax}, {@code strict}
 * or {@code none} ({@code AUTH_COOKIE_SAMESITE}; {@code none} needs
 * {@code AUTH_COOKIE_SECURE=true})
 * @param frontendUrl origin of the web client ({@code FRONTEND_URL}): OAuth sign-in
 * redirects there, and CORS allows it
 * @param corsAllowedOrigins further origins allowed by CORS
 * ({@code CORS_ALLOWED_ORIGINS}, comma-separated); outside production a loopback origin
 * here or in {@code frontendUrl} also allows its other loopback spellings
 * @param adminUsernames names that become {@code admin} when they are registered
 * ({@code ADMIN_USERNAMES}, comma-separated, case-insensitive); see
 * {@link AdminBootstrap}
 * @param passwordBcryptCost BCrypt cost of new password hashes
 * ({@code PASSWORD_BCRYPT_COST}, 10 to 16; each step doubles the work)
 * @param handoffCodeTtl how long an OAuth handoff code can be redeemed
 * @param maintenanceInterval how often expired revocations, handoff codes and OAuth
 * requests are deleted
 * @param oauth GitHub and Google sign-in
 * @param adminBootstrapToken what {@code X-Admin-Bootstrap-Token} must carry to register
 * a name of {@code adminUsernames} ({@code ADMIN_BOOTSTRAP_TOKEN}; required in
 * production, at least 32 characters, when names are listed)
 */
@ConfigurationProperties("app.auth")
@Validated
record AuthProperties(@Nullable String secretKey,
		@DefaultValue("240") @Min(1) @Max(525600) int accessTokenExpireMinutes, @Nullable Boolean cookieSecure,
		@DefaultValue("lax") @Pattern(regexp = "(?i)lax|strict|none",
				message = "must be lax, strict or none") String cookieSameSite,
		@DefaultValue("http://localhost:5173") @NotBlank String frontendUrl, @Nullable List<String> corsAllowedOrigins,
		@Nullable List<String> adminUsernames, @DefaultValue("10") @Min(10) @Max(16) int passwordBcryptCost,
		@DefaultValue("120s") @NotNull Duration handoffCodeTtl,
		@DefaultValue("10m") @NotNull Duration maintenanceInterval, @DefaultValue @Valid @NotNull OAuth oauth,
		@Nullable String adminBootstrapToken) {

	/** The host names a browser may use for this machine, as they appear in an origin. */
	private static final List<String> LOOPBACK_HOSTS = List.of("localhost", "127.0.0.1", "[::1]");

	AuthProperties {
		secretKey = (secretKey == null || secretKey.isEmpty()) ? null : secretKey;
		adminBootstrapToken = (adminBootstrapToken == null || adminBootstrapToken.isBlank()) ? null
				: adminBootstrapToken.strip();
		frontendUrl = stripTrailingSlash(frontendUrl.strip());
		corsAllowedOrigins = cleanList(corsAllowedOrigins, false).stream()
			.map(AuthProperties::stripTrailingSlash)
			.toList();
		adminUsernames = cleanList(adminUsernames, true);
	}

	Duration accessTokenLifetime() {
		return Duration.ofMinutes(this.accessTokenExpireMinutes);
	}

	/**
	 * Whether the auth cookies carry {@code Secure}: as configured, or, when
	 * {@code AUTH_COOKIE_SECURE} is not set, only in production (a production deployment
	 * is served over https; a developer's http://127.0.0.1 is not).
	 */
	boolean secureCookies(boolean production) {
		return (this.cookieSecure != null) ? this.cookieSecure : production;
	}

	/** The {@code SameSite} attribute value as browsers spell it. */
	String sameSiteAttribute() {
		String lower = this.cookieSameSite.toLowerCase(Locale.ROOT);
		return Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
	}

	/** Whether {@code username} is listed in {@code ADMIN_USERNAMES} (any case). */
	boolean isAdmin(String username) {
		return this.adminUsernames != null && this.adminUsernames.contains(username.toLowerCase(Locale.ROOT));
	}

	/**
	 * Origins CORS lets in: the web client's and the extra ones, exactly as configured in
	 * production. Elsewhere a loopback origin also stands for its other loopback
	 * spellings with the same scheme and port ({@code localhost}, {@code 127.0.0.1},
	 * {@code [::1]}): a developer's browser and tools mix them freely, and the earlier
	 * service allowed all three.
	 */
	List<String> allowedOrigins(boolean production) {
		List<String> configured = new ArrayList<>();
		configured.add(originOf(this.frontendUrl));
		configured.addAll(this.corsAllowedOrigins);
		List<String> origins = new ArrayList<>();
		for (String origin : configured) {
			addOnce(origins, origin);
			if (!production) {
				loopbackAliases(origin).forEach((alias) -> addOnce(origins, alias));
			}
		}
		return origins;
	}

	/**
	 * The other loopback spellings of {@code origin} with its scheme and port; none when
	 * its host is not a loopback name.
	 */
	static List<String> loopbackAliases(String origin) {
		URI uri;
		try {
			uri = URI.create(origin);
		}
		catch (IllegalArgumentException ex) {
			return List.of();
		}
		if (uri.getScheme() == null || uri.getHost() == null) {
			return List.of();
		}
		String host = uri.getHost().toLowerCase(Locale.ROOT);
		if (!LOOPBACK_HOSTS.contains(host)) {
			return List.of();
		}
		String prefix = uri.getScheme().toLowerCase(Locale.ROOT) + "://";
		String port = (uri.getPort() != -1) ? ":" + uri.getPort() : "";
		return LOOPBACK_HOSTS.stream()
			.filter((name) -> !name.equals(host))
			.map((name) -> prefix + name + port)
			.toList();
	}

	private static void addOnce(List<String> origins, String origin) {
		if (origins.stream().noneMatch(origin::equalsIgnoreCase)) {
			origins.add(origin);
		}
	}

	static String originOf(String url) {
		URI uri = URI.create(url);
		if (uri.getScheme() == null || uri.getHost() == null) {
			return url;
		}
		return uri.getScheme() + "://" + uri.getHost() + ((uri.getPort() != -1) ? ":" + uri.getPort() : "");
	}

	private static String stripTrailingSlash(String value) {
		return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
	}

	static List<String> cleanList(@Nullable List<String> values, boolean lowerCase) {
		if (values == null) {
			return List.of();
		}
		return values.stream()
			.map(String::strip)
			.filter((value) -> !value.isEmpty())
			.map((value) -> lowerCase ? value.toLowerCase(Locale.ROOT) : value)
			.distinct()
			.toList();
	}

	/**
	 * OAuth sign-in settings.
	 *
	 * @param enabledProviders providers offered ({@code OAUTH_ENABLED_PROVIDERS}); each
	 * also needs its client id and secret
	 * @param redirectBaseUrl public origin of this API ({@code OAUTH_REDIRECT_BASE_URL});
	 * the provider calls back to {@code <it>/api/auth/oauth/<provider>/callback}
	 * @param authorizationRequestTtl how long a started sign-in may take to come back
	 * @param httpTimeout connect and read timeout of calls to the providers
	 * @param github GitHub OAuth app
	 * @param google Google OpenID Connect client
	 */
	record OAuth(@DefaultValue( {
			"google", "github" }) @Nullable List<String> enabledProviders,
			@DefaultValue("http://127.0.0.1:8000") @NotBlank String redirectBaseUrl,
			@DefaultValue("10m") @NotNull Duration authorizationRequestTtl,
			@DefaultValue("10s") @NotNull Duration httpTimeout, @DefaultValue @Valid @NotNull Provider github,
			@DefaultValue @Valid @NotNull Provider google){

		OAuth {
			enabledProviders = cleanList(enabledProviders, true);
			redirectBaseUrl = stripTrailingSlash(redirectBaseUrl.strip());
		}

	}

	/**
	 * One provider's client credentials and endpoints. The endpoints default to the
	 * provider's real ones; tests point them at a stand-in.
	 *
	 * @param clientId client id ({@code OAUTH_<P>_CLIENT_ID})
	 * @param clientSecret client secret ({@code OAUTH_<P>_CLIENT_SECRET})
	 * @param authorizationUri consent page
	 * @param tokenUri code-for-token exchange
	 * @param userInfoUri profile of the signed-in user
	 * @param emailsUri GitHub only: the user's addresses with their verification state
	 * @param jwkSetUri Google only: keys that sign ID tokens
	 * @param issuerUri Google only: the {@code iss} every ID token must carry
	 */
	record Provider(@Nullable String clientId, @Nullable String clientSecret, @Nullable String authorizationUri,
			@Nullable String tokenUri, @Nullable String userInfoUri, @Nullable String emailsUri,
			@Nullable String jwkSetUri, @Nullable String issuerUri) {

		Provider {
			clientId = blankToNull(clientId);
			clientSecret = blankToNull(clientSecret);
			authorizationUri = blankToNull(authorizationUri);
			tokenUri = blankToNull(tokenUri);
			userInfoUri = blankToNull(userInfoUri);
			emailsUri = blankToNull(emailsUri);
			jwkSetUri = blankToNull(jwkSetUri);
			issuerUri = blankToNull(issuerUri);
		}

		private static @Nullable String blankToNull(@Nullable String value) {
			return (value == null || value.isBlank()) ? null : value.strip();
		}

	}

}
