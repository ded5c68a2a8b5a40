package com.ragchat.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.http.ResponseCookie;

/**
 * Binds an OAuth sign-in to the browser that started it (login CSRF). The start route
 * sets a random value in an HttpOnly cookie scoped to {@code /api/auth/oauth}; its
 * SHA-256 is stored with the pending {@code state} and later with the handoff code. The
 * callback and the handoff redemption succeed only in a browser that presents the same
 * cookie, so a callback or handoff link made by an attacker does not sign a victim into
 * the attacker's account.
 * <p>
 * {@code SameSite=Lax}: the cookie survives the top-level redirect back from the provider
 * and the web client's same-site {@code fetch}, and is not sent on cross-site
 * subrequests. When the auth cookies are {@code SameSite=None} (a web client on another
 * site, which needs {@code Secure}), this cookie is too, or the handoff could never carry
 * it.
 */
class BrowserBinding {

	static final String COOKIE = "oauth_browser";

	static final String PATH = AuthRoutes.OAUTH;

	private static final SecureRandom RANDOM = new SecureRandom();

	private final boolean secure;

	private final String sameSite;

	BrowserBinding(boolean secure, String authSameSite) {
		this.secure = secure;
		this.sameSite = "None".equals(authSameSite) ? "None" : "Lax";
	}

	/** A fresh random value for a new sign-in. */
	String newValue() {
		byte[] bytes = new byte[32];
		RANDOM.nextBytes(bytes);
		return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	/** The {@code Set-Cookie} value that binds the browser, for {@code lifetime}. */
	String cookie(String value, Duration lifetime) {
		return ResponseCookie.from(COOKIE, value)
			.path(PATH)
			.maxAge(lifetime)
			.httpOnly(true)
			.secure(this.secure)
			.sameSite(this.sameSite)
			.build()
			.toString();
	}

	/** The {@code Set-Cookie} value that removes the binding once it has served. */
	String clear() {
		return cookie("", Duration.ZERO);
	}

	/** The hash of the binding cookie this request carries, if any. */
	static @Nullable String presentedHash(HttpServletRequest request) {
		Cookie[] cookies = request.getCookies();
		if (cookies == null) {
			return null;
		}
		for (Cookie cookie : cookies) {
			if (COOKIE.equals(cookie.getName()) && !cookie.getValue().isEmpty() && cookie.getValue().length() <= 128) {
				return hash(cookie.getValue());
			}
		}
		return null;
	}

	static String hash(String value) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is unavailable", ex);
		}
	}

	/** Whether the presented hash is the stored one (both present), in constant time. */
	static boolean matches(@Nullable String stored, @Nullable String presented) {
		return stored != null && presented != null && MessageDigest.isEqual(stored.getBytes(StandardCharsets.US_ASCII),
				presented.getBytes(StandardCharsets.US_ASCII));
	}

}
