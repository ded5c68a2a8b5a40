package com.ragchat.auth;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;

/**
 * OAuth authorization requests between the redirect to the provider and its callback,
 * kept in the database under their {@code state} so that the callback may reach any
 * replica. A request is taken (deleted) when its callback arrives, so a {@code state} is
 * good for one callback only, and only on the provider it was made for.
 */
class OAuthAuthorizationRequests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final JdbcTemplate jdbc;

	private final AuthClock clock;

	private final Duration ttl;

	OAuthAuthorizationRequests(JdbcTemplate jdbc, AuthClock clock, Duration ttl) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.ttl = ttl;
	}

	/**
	 * Keeps {@code request} until its callback, bound to the browser whose binding cookie
	 * hashes to {@code browserHash}.
	 */
	void save(String provider, OAuth2AuthorizationRequest request, String browserHash) {
		Stored stored = new Stored(request.getAuthorizationUri(), request.getClientId(), request.getRedirectUri(),
				request.getScopes(), request.getState(), strings(request.getAdditionalParameters()),
				strings(request.getAttributes()), request.getAuthorizationRequestUri(), browserHash);
		this.jdbc.update(
				"insert into oauth_authorization_requests (state, provider, request, expires_at) values (?, ?, ?::jsonb, ?)",
				request.getState(), provider, JSON.writeValueAsString(stored),
				Timestamp.from(this.clock.now().plus(this.ttl)));
	}

	/**
	 * The pending request with this state for this provider, removed from the store; only
	 * when {@code browserHash} (of the callback's binding cookie) is the one it was saved
	 * with. A state presented from another browser is used up all the same.
	 */
	Optional<OAuth2AuthorizationRequest> take(String provider, String state, @Nullable String browserHash) {
		if (state.isEmpty() || state.length() > 255) {
			return Optional.empty();
		}
		record Row(String provider, String request, Instant expiresAt) {
		}
		List<Row> rows = this.jdbc.query(
				"delete from oauth_authorization_requests where state = ? returning provider, request::text, expires_at",
				(rs, row) -> new Row(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant()), state);
		if (rows.isEmpty() || !rows.get(0).provider().equals(provider)
				|| !rows.get(0).expiresAt().isAfter(this.clock.now())) {
			return Optional.empty();
		}
		Stored stored = JSON.readValue(rows.get(0).request(), Stored.class);
		if (!BrowserBinding.matches(stored.browserHash(), browserHash)) {
			return Optional.empty();
		}
		return Optional.of(OAuth2AuthorizationRequest.authorizationCode()
			.authorizationUri(stored.authorizationUri())
			.clientId(stored.clientId())
			.redirectUri(stored.redirectUri())
			.scopes(stored.scopes())
			.state(stored.state())
			.additionalParameters(new LinkedHashMap<>(stored.additionalParameters()))
			.attributes(new LinkedHashMap<>(stored.attributes()))
			.authorizationRequestUri(stored.authorizationRequestUri())
			.build());
	}

	int prune(Instant now) {
		return this.jdbc.update("delete from oauth_authorization_requests where expires_at < ?", Timestamp.from(now));
	}

	private static Map<String, String> strings(Map<String, Object> values) {
		Map<String, String> result = new LinkedHashMap<>();
		values.forEach((key, value) -> {
			if (value != null) {
				result.put(key, value.toString());
			}
		});
		return result;
	}

	/**
	 * What is kept of a request: everything needed to rebuild it, including the PKCE
	 * verifier and the OpenID nonce among its attributes.
	 */
	record Stored(String authorizationUri, String clientId, String redirectUri, Set<String> scopes, String state,
			Map<String, String> additionalParameters, Map<String, String> attributes, String authorizationRequestUri,
			@Nullable String browserHash) {

	}

}
