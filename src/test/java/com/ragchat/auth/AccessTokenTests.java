package com.ragchat.auth;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;

import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.ragchat.support.ApiClient;
import com.ragchat.support.TestUsers;
import com.ragchat.support.TestUsers.TestUser;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tokens that must not sign anybody in: expired, tampered with, signed with another key
 * or not signed at all. Time is moved by {@link MutableClock}, not waited for.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(MutableClock.Configuration.class)
class AccessTokenTests {

	@LocalServerPort
	int port;

	@Autowired
	MutableClock clock;

	ApiClient api() {
		return new ApiClient(this.port);
	}

	@AfterEach
	void resetClock() {
		this.clock.reset();
	}

	@Test
	void aTokenWorksUntilItExpires() {
		TestUser user = TestUsers.register(api());
		this.clock.advance(Duration.ofMinutes(239));
		assertThat(me(user.bearerToken())).isEqualTo(200);
		assertThat(api().get("/api/auth/me", user.cookieHeadersWithoutCsrf()).status()).isEqualTo(200);
		this.clock.advance(Duration.ofMinutes(2));
		assertThat(me(user.bearerToken())).isEqualTo(401);
		ApiClient.Response cookie = api().get("/api/auth/me", user.cookieHeadersWithoutCsrf());
		assertThat(cookie.status()).isEqualTo(401);
		assertThat(cookie.header("WWW-Authenticate")).isEqualTo("Bearer");
	}

	@Test
	void aTokenWhosePayloadWasChangedIsRefused() {
		TestUser victim = TestUsers.register(api());
		TestUser attacker = TestUsers.register(api());
		String[] parts = attacker.bearerToken().split("\\.");
		String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
		String forged = payload.replace("\"sub\":\"" + attacker.id() + "\"", "\"sub\":\"" + victim.id() + "\"");
		assertThat(forged).isNotEqualTo(payload);
		String token = parts[0] + "."
				+ Base64.getUrlEncoder().withoutPadding().encodeToString(forged.getBytes(StandardCharsets.UTF_8)) + "."
				+ parts[2];
		assertThat(me(token)).isEqualTo(401);
		assertThat(api().get("/api/auth/me", "Cookie", "access_token=" + token).status()).isEqualTo(401);
	}

	@Test
	void aTokenWithAnAlteredSignatureIsRefused() {
		TestUser user = TestUsers.register(api());
		String token = user.bearerToken();
		char last = token.charAt(token.length() - 2);
		String altered = token.substring(0, token.length() - 2) + (last == 'A' ? 'B' : 'A')
				+ token.charAt(token.length() - 1);
		assertThat(me(altered)).isEqualTo(401);
	}

	@Test
	void aTokenSignedWithAnotherKeyIsRefused() {
		TestUser user = TestUsers.register(api());
		String token = Jwts.builder()
			.subject(Long.toString(user.id()))
			.claim("name", user.username())
			.issuedAt(new Date())
			.expiration(new Date(System.currentTimeMillis() + 600_000))
			.id(UUID.randomUUID().toString())
			.signWith(Keys.hmacShaKeyFor("another-key-of-at-least-32-bytes-length!".getBytes(StandardCharsets.UTF_8)),
					Jwts.SIG.HS256)
			.compact();
		assertThat(me(token)).isEqualTo(401);
	}

	@Test
	void anUnsignedTokenIsRefused() {
		TestUser user = TestUsers.register(api());
		Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
		String header = base64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
		long now = System.currentTimeMillis() / 1000;
		String payload = base64.encodeToString(
				("{\"sub\":\"" + user.id() + "\",\"name\":\"" + user.username() + "\",\"iat\":" + now + ",\"exp\":"
						+ (now + 600) + ",\"jti\":\"" + UUID.randomUUID() + "\"}")
					.getBytes(StandardCharsets.UTF_8));
		assertThat(me(header + "." + payload + ".")).isEqualTo(401);
		assertThat(me("garbage")).isEqualTo(401);
	}

	@Test
	void aRevokedTokenStaysRevokedAndOthersAreUnaffected() {
		TestUser user = TestUsers.register(api());
		api().postJson("/api/auth/logout", "", user.bearerHeaders());
		assertThat(me(user.bearerToken())).isEqualTo(401);
		this.clock.advance(Duration.ofMinutes(60));
		assertThat(me(user.bearerToken())).isEqualTo(401);
		assertThat(api().get("/api/auth/me", user.cookieHeadersWithoutCsrf()).status()).isEqualTo(200);
	}

	int me(String token) {
		return api().get("/api/auth/me", "Authorization", "Bearer " + token).status();
	}

}
