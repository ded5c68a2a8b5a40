package com.ragchat.auth;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.IdTokenClaimNames;

/**
 * The OAuth providers this service knows (GitHub and Google) and which of them are ready:
 * enabled by {@code OAUTH_ENABLED_PROVIDERS} and given a client id and secret. Both use
 * PKCE on top of their client secret.
 */
class OAuthClients implements ClientRegistrationRepository {

	static final String GITHUB = "github";

	static final String GOOGLE = "google";

	/** The callback route, in Spring Security's redirect-URI template. */
	static final String CALLBACK_PATH = AuthRoutes.OAUTH_CALLBACK.replace("{provider}", "{registrationId}");

	private final Map<String, ClientRegistration> ready = new LinkedHashMap<>();

	private final Map<String, String> notReady = new LinkedHashMap<>();

	OAuthClients(AuthProperties.OAuth oauth) {
		consider(GITHUB, oauth.github(), oauth);
		consider(GOOGLE, oauth.google(), oauth);
	}

	private void consider(String id, AuthProperties.Provider provider, AuthProperties.OAuth oauth) {
		String prefix = "OAUTH_" + id.toUpperCase(Locale.ROOT) + "_";
		List<String> missing = new ArrayList<>();
		if (!oauth.enabledProviders().contains(id)) {
			missing.add("OAUTH_ENABLED_PROVIDERS (add " + id + ")");
		}
		if (provider.clientId() == null) {
			missing.add(prefix + "CLIENT_ID");
		}
		if (provider.clientSecret() == null) {
			missing.add(prefix + "CLIENT_SECRET");
		}
		if (!missing.isEmpty()) {
			this.notReady.put(id, "OAuth provider \"" + id + "\" is not configured on this server. Missing settings: "
					+ String.join(", ", missing) + ".");
			return;
		}
		this.ready.put(id, GITHUB.equals(id) ? github(provider, oauth) : google(provider, oauth));
	}

	private static ClientRegistration github(AuthProperties.Provider provider, AuthProperties.OAuth oauth) {
		return base(GITHUB, provider, oauth).clientName("GitHub")
			.scope("user:email")
			.userNameAttributeName("id")
			.build();
	}

	private static ClientRegistration google(AuthProperties.Provider provider, AuthProperties.OAuth oauth) {
		return base(GOOGLE, provider, oauth).clientName("Google")
			.scope("openid", "email", "profile")
			.userNameAttributeName(IdTokenClaimNames.SUB)
			.jwkSetUri(provider.jwkSetUri())
			.issuerUri(provider.issuerUri())
			.build();
	}

	private static ClientRegistration.Builder base(String id, AuthProperties.Provider provider,
			AuthProperties.OAuth oauth) {
		return ClientRegistration.withRegistrationId(id)
			.clientId(provider.clientId())
			.clientSecret(provider.clientSecret())
			.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
			.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
			.redirectUri(oauth.redirectBaseUrl() + CALLBACK_PATH)
			.authorizationUri(provider.authorizationUri())
			.tokenUri(provider.tokenUri())
			.userInfoUri(provider.userInfoUri())
			.clientSettings(ClientRegistration.ClientSettings.builder().requireProofKey(true).build());
	}

	@Override
	public @Nullable ClientRegistration findByRegistrationId(String registrationId) {
		return this.ready.get(registrationId);
	}

	/**
	 * The registration of a ready provider; 404 for a provider this service does not
	 * know. A known provider that cannot be used yet is reported by
	 * {@link #unavailableReason(String)}.
	 */
	ClientRegistration require(String provider) {
		ClientRegistration registration = this.ready.get(provider);
		if (registration == null) {
			throw new AccountRefusals.UnknownOAuthProvider();
		}
		return registration;
	}

	/**
	 * Why a known provider cannot be used (the settings it misses), or {@code null} when
	 * it is ready or unknown.
	 */
	@Nullable String unavailableReason(String provider) {
		return this.notReady.get(provider);
	}

}
