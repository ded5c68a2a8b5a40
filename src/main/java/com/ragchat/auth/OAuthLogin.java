package com.ragchat.auth;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.http.converter.FormHttpMessageConverter;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.client.authentication.OAuth2LoginAuthenticationProvider;
import org.springframework.security.oauth2.client.authentication.OAuth2LoginAuthenticationToken;
import org.springframework.security.oauth2.client.endpoint.RestClientAuthorizationCodeTokenResponseClient;
import org.springframework.security.oauth2.client.http.OAuth2ErrorResponseErrorHandler;
import org.springframework.security.oauth2.client.oidc.authentication.OidcAuthorizationCodeAuthenticationProvider;
import org.springframework.security.oauth2.client.oidc.authentication.OidcIdTokenDecoderFactory;
import org.springframework.security.oauth2.client.oidc.authentication.OidcIdTokenValidator;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.userinfo.DefaultOAuth2UserService;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserRequest;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationExchange;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationResponse;
import org.springframework.security.oauth2.core.http.converter.OAuth2AccessTokenResponseHttpMessageConverter;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.oauth2.core.user.DefaultOAuth2User;
import org.springframework.security.oauth2.core.user.OAuth2User;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoderFactory;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.core.converter.ClaimTypeConverter;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;

/**
 * The server side of an OAuth sign-in, with Spring Security's OAuth client doing the
 * protocol: code-for-token exchange (with the PKCE verifier), user info, and for Google
 * the ID token's signature (keys from the provider's JWKS), issuer, audience, expiry and
 * nonce. What comes out is a verified {@link Identity}: the provider's subject and an
 * email address the provider says is verified.
 * <p>
 * Every call to a provider has connect and read timeouts.
 */
class OAuthLogin {

	private final AuthenticationManager authentication;

	OAuthLogin(AuthProperties.OAuth oauth) {
		Duration timeout = oauth.httpTimeout();
		JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(
				HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build());
		requests.setReadTimeout(timeout);

		RestClientAuthorizationCodeTokenResponseClient tokens = new RestClientAuthorizationCodeTokenResponseClient();
		tokens.setRestClient(RestClient.builder().requestFactory(requests).configureMessageConverters((converters) -> {
			converters.addCustomConverter(new FormHttpMessageConverter());
			converters.addCustomConverter(new OAuth2AccessTokenResponseHttpMessageConverter());
		}).defaultStatusHandler(new OAuth2ErrorResponseErrorHandler()).build());

		RestTemplate userInfoClient = new RestTemplate(requests);
		userInfoClient.setErrorHandler(new OAuth2ErrorResponseErrorHandler());
		DefaultOAuth2UserService userInfo = new DefaultOAuth2UserService();
		userInfo.setRestOperations(userInfoClient);

		OidcUserService oidcUsers = new OidcUserService();
		oidcUsers.setOauth2UserService(userInfo);
		OidcAuthorizationCodeAuthenticationProvider oidc = new OidcAuthorizationCodeAuthenticationProvider(tokens,
				oidcUsers);
		oidc.setJwtDecoderFactory(new IdTokenDecoders(new RestTemplate(requests)));

		OAuth2LoginAuthenticationProvider plain = new OAuth2LoginAuthenticationProvider(tokens, new GitHubUserService(
				userInfo, RestClient.builder().requestFactory(requests).build(), oauth.github().emailsUri()));
		this.authentication = new ProviderManager(oidc, plain);
	}

	/**
	 * Completes the sign-in the provider's callback reports.
	 * @throws org.springframework.security.core.AuthenticationException when the provider
	 * refuses, a check fails, or the profile has no verified email
	 */
	Identity complete(ClientRegistration registration, OAuth2AuthorizationRequest request,
			Map<String, String> callbackParameters) {
		String state = request.getState();
		String error = callbackParameters.get("error");
		OAuth2AuthorizationResponse response = (error != null)
				? OAuth2AuthorizationResponse.error(error).redirectUri(request.getRedirectUri()).state(state).build()
				: OAuth2AuthorizationResponse.success(callbackParameters.getOrDefault("code", ""))
					.redirectUri(request.getRedirectUri())
					.state(state)
					.build();
		Authentication result = this.authentication.authenticate(
				new OAuth2LoginAuthenticationToken(registration, new OAuth2AuthorizationExchange(request, response)));
		OAuth2User user = (OAuth2User) result.getPrincipal();
		return identity(registration.getRegistrationId(), user);
	}

	private static Identity identity(String provider, OAuth2User user) {
		String subject;
		String email;
		boolean verified;
		if (user instanceof OidcUser oidc) {
			subject = oidc.getSubject();
			email = oidc.getEmail();
			verified = Boolean.TRUE.equals(oidc.getEmailVerified());
		}
		else {
			subject = String.valueOf(user.getAttributes().get("id"));
			email = (user.getAttribute("email") instanceof String value) ? value : null;
			verified = Boolean.TRUE.equals(user.getAttribute(GitHubUserService.VERIFIED));
		}
		if (subject == null || subject.isBlank() || "null".equals(subject) || email == null || email.isBlank()
				|| !verified) {
			throw new OAuth2AuthenticationException(new OAuth2Error("no_verified_email"));
		}
		return new Identity(provider, subject, email.strip());
	}

	/**
	 * Who the provider says signed in.
	 *
	 * @param provider {@code github} or {@code google}
	 * @param subject the provider's stable id of the user
	 * @param email an address the provider verified
	 */
	record Identity(String provider, String subject, String email) {

	}

	/**
	 * GitHub's profile, with an email the profile may lack: when the user keeps their
	 * address private, the primary verified one comes from the emails API.
	 */
	static class GitHubUserService implements OAuth2UserService<OAuth2UserRequest, OAuth2User> {

		static final String VERIFIED = "ragchat_email_verified";

		private final DefaultOAuth2UserService profiles;

		private final RestClient client;

		private final @Nullable String emailsUri;

		GitHubUserService(DefaultOAuth2UserService profiles, RestClient client, @Nullable String emailsUri) {
			this.profiles = profiles;
			this.client = client;
			this.emailsUri = emailsUri;
		}

		@Override
		public OAuth2User loadUser(OAuth2UserRequest request) {
			OAuth2User profile = this.profiles.loadUser(request);
			Map<String, Object> attributes = new LinkedHashMap<>(profile.getAttributes());
			// GitHub shows only verified addresses on a profile.
			boolean hasPublicEmail = attributes.get("email") instanceof String email && !email.isBlank();
			if (!hasPublicEmail) {
				Optional<String> primary = primaryVerifiedEmail(request.getAccessToken().getTokenValue());
				primary.ifPresent((email) -> attributes.put("email", email));
				hasPublicEmail = primary.isPresent();
			}
			attributes.put(VERIFIED, hasPublicEmail);
			return new DefaultOAuth2User(profile.getAuthorities(), attributes, "id");
		}

		private Optional<String> primaryVerifiedEmail(String accessToken) {
			if (this.emailsUri == null) {
				return Optional.empty();
			}
			List<Map<String, Object>> emails = this.client.get()
				.uri(this.emailsUri)
				.header(HttpHeaders.AUTHORIZATION, "Bearer " + accessToken)
				.header(HttpHeaders.ACCEPT, "application/vnd.github+json")
				.retrieve()
				.body(new ParameterizedTypeReference<>() {
				});
			if (emails == null) {
				return Optional.empty();
			}
			return emails.stream()
				.filter((entry) -> Boolean.TRUE.equals(entry.get("primary"))
						&& Boolean.TRUE.equals(entry.get("verified")))
				.map((entry) -> entry.get("email"))
				.filter(String.class::isInstance)
				.map(String.class::cast)
				.findFirst();
		}

	}

	/**
	 * ID token decoders as Spring Security's default factory builds them (RS256,
	 * timestamps, issuer, audience and the other OpenID checks), with an HTTP client that
	 * has timeouts for fetching the provider's keys. One per provider, so fetched keys
	 * are cached.
	 */
	static class IdTokenDecoders implements JwtDecoderFactory<ClientRegistration> {

		private final RestTemplate client;

		private final Map<String, JwtDecoder> decoders = new ConcurrentHashMap<>();

		IdTokenDecoders(RestTemplate client) {
			this.client = client;
		}

		@Override
		public JwtDecoder createDecoder(ClientRegistration registration) {
			return this.decoders.computeIfAbsent(registration.getRegistrationId(), (id) -> {
				String jwkSetUri = registration.getProviderDetails().getJwkSetUri();
				if (jwkSetUri == null || jwkSetUri.isBlank()) {
					throw new OAuth2AuthenticationException(new OAuth2Error("missing_signature_verifier"));
				}
				NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(jwkSetUri)
					.jwsAlgorithm(SignatureAlgorithm.RS256)
					.restOperations(this.client)
					.build();
				decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(new JwtTimestampValidator(),
						new OidcIdTokenValidator(registration)));
				decoder.setClaimSetConverter(
						new ClaimTypeConverter(OidcIdTokenDecoderFactory.createDefaultClaimTypeConverters()));
				return decoder;
			});
		}

	}

}
