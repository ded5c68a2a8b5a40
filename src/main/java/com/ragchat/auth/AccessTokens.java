package com.ragchat.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Optional;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import io.jsonwebtoken.Claims;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import org.jspecify.annotations.Nullable;

/**
 * Issues and verifies access tokens: HS256 JWTs with {@code sub} (user id), {@code name},
 * {@code iat}, {@code exp}, {@code jti} and the account's token version {@code ver}. Each
 * token has a CSRF value bound to it (an HMAC of its {@code jti} under a key derived from
 * the signing key), so the CSRF check needs no server state.
 */
class AccessTokens {

	private static final String NAME_CLAIM = "name";

	/** The account's token version when the token was issued (an extra claim). */
	private static final String VERSION_CLAIM = "ver";

	private static final String HMAC = "HmacSHA256";

	private final SecretKey signingKey;

	private final SecretKeySpec csrfKey;

	private final Duration lifetime;

	private final AuthClock clock;

	private final JwtParser parser;

	AccessTokens(byte[] secret, Duration lifetime, AuthClock clock) {
		this.signingKey = Keys.hmacShaKeyFor(secret);
		// A separate key for CSRF values, so a CSRF value is never a signature made
		// with the token key.
		this.csrfKey = new SecretKeySpec(hmac(new SecretKeySpec(secret, HMAC), "ragchat csrf token key v1"), HMAC);
		this.lifetime = lifetime;
		this.clock = clock;
		this.parser = Jwts.parser().verifyWith(this.signingKey).clock(() -> Date.from(clock.now())).build();
	}

	Duration lifetime() {
		return this.lifetime;
	}

	IssuedToken issue(long userId, String username, int tokenVersion) {
		Instant now = this.clock.now();
		Instant expiresAt = now.plus(this.lifetime);
		String jti = UUID.randomUUID().toString();
		String value = Jwts.builder()
			.subject(Long.toString(userId))
			.claim(NAME_CLAIM, username)
			.claim(VERSION_CLAIM, tokenVersion)
			.issuedAt(Date.from(now))
			.expiration(Date.from(expiresAt))
			.id(jti)
			.signWith(this.signingKey, Jwts.SIG.HS256)
			.compact();
		return new IssuedToken(value, userId, username, jti, expiresAt, csrfFor(jti));
	}

	/**
	 * The token's claims when its signature is ours, it has not expired and it carries
	 * every claim we issue; empty otherwise. Revocation is not checked here.
	 */
	Optional<VerifiedToken> verify(@Nullable String value) {
		if (value == null || value.isBlank() || value.length() > 4096) {
			return Optional.empty();
		}
		try {
			Claims claims = this.parser.parseSignedClaims(value).getPayload();
			String subject = claims.getSubject();
			String name = claims.get(NAME_CLAIM, String.class);
			String jti = claims.getId();
			Date expiration = claims.getExpiration();
			Integer version = claims.get(VERSION_CLAIM, Integer.class);
			if (subject == null || name == null || jti == null || expiration == null || claims.getIssuedAt() == null
					|| version == null) {
				return Optional.empty();
			}
			return Optional.of(new VerifiedToken(Long.parseLong(subject), name, jti, expiration.toInstant(), version));
		}
		catch (JwtException | IllegalArgumentException ex) {
			return Optional.empty();
		}
	}

	/** The CSRF value bound to the token with this {@code jti}. */
	String csrfFor(String jti) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(this.csrfKey, jti));
	}

	boolean csrfMatches(VerifiedToken token, @Nullable String presented) {
		if (presented == null || presented.isEmpty()) {
			return false;
		}
		byte[] expected = csrfFor(token.jti()).getBytes(StandardCharsets.UTF_8);
		return MessageDigest.isEqual(expected, presented.strip().getBytes(StandardCharsets.UTF_8));
	}

	private static byte[] hmac(SecretKeySpec key, String message) {
		try {
			Mac mac = Mac.getInstance(HMAC);
			mac.init(key);
			return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is unavailable", ex);
		}
	}

	/** A freshly signed token and what the client gets with it. */
	record IssuedToken(String value, long userId, String username, String jti, Instant expiresAt, String csrfToken) {

		@Override
		public String toString() {
			// Never let a token reach a log line through string conversion.
			return "IssuedToken[userId=" + this.userId + ", username=" + this.username + "]";
		}

	}

	/** The claims of a token whose signature and expiry were checked. */
	record VerifiedToken(long userId, String username, String jti, Instant expiresAt, int tokenVersion) {

	}

}
