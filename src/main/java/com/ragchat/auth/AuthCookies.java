package com.ragchat.auth;

import java.time.Duration;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;

/**
 * The two sign-in cookies: {@code access_token} (HttpOnly, the JWT itself) and
 * {@code csrf_token} (readable by the page, which echoes it in {@code X-CSRF-Token}).
 * Both have {@code Path=/}, the configured {@code SameSite} and {@code Secure}, the
 * token's lifetime, and deliberately no {@code Domain}: the development proxy rewrites
 * the host, and a Domain attribute would break sign-in on 127.0.0.1 versus localhost.
 */
class AuthCookies {

	static final String ACCESS_TOKEN = "access_token";

	static final String CSRF_TOKEN = "csrf_token";

	private final boolean secure;

	private final String sameSite;

	AuthCookies(boolean secure, String sameSite) {
		this.secure = secure;
		this.sameSite = sameSite;
	}

	/** {@code Set-Cookie} headers that sign the browser in with {@code token}. */
	HttpHeaders signIn(AccessTokens.IssuedToken token, Duration lifetime) {
		HttpHeaders headers = new HttpHeaders();
		headers.add(HttpHeaders.SET_COOKIE, cookie(ACCESS_TOKEN, token.value(), lifetime, true).toString());
		headers.add(HttpHeaders.SET_COOKIE, cookie(CSRF_TOKEN, token.csrfToken(), lifetime, false).toString());
		return headers;
	}

	/** {@code Set-Cookie} headers that remove both cookies (same path and flags). */
	HttpHeaders signOut() {
		HttpHeaders headers = new HttpHeaders();
		headers.add(HttpHeaders.SET_COOKIE, cookie(ACCESS_TOKEN, "", Duration.ZERO, true).toString());
		headers.add(HttpHeaders.SET_COOKIE, cookie(CSRF_TOKEN, "", Duration.ZERO, false).toString());
		return headers;
	}

	private ResponseCookie cookie(String name, String value, Duration maxAge, boolean httpOnly) {
		return ResponseCookie.from(name, value)
			.path("/")
			.maxAge(maxAge)
			.httpOnly(httpOnly)
			.secure(this.secure)
			.sameSite(this.sameSite)
			.build();
	}

	static @Nullable String accessToken(HttpServletRequest request) {
		Cookie[] cookies = request.getCookies();
		if (cookies == null) {
			return null;
		}
		for (Cookie cookie : cookies) {
			if (ACCESS_TOKEN.equals(cookie.getName()) && !cookie.getValue().isEmpty()) {
				return cookie.getValue();
			}
		}
		return null;
	}

	/**
	 * The bearer token of the {@code Authorization} header: {@code null} when there is no
	 * bearer header, an empty string when the header is malformed.
	 */
	static @Nullable String bearerToken(HttpServletRequest request) {
		String header = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (header == null) {
			return null;
		}
		String value = header.strip();
		if (value.length() >= 6 && value.regionMatches(true, 0, "Bearer", 0, 6)) {
			if (value.length() == 6) {
				return "";
			}
			if (value.charAt(6) == ' ') {
				return value.substring(7).strip();
			}
		}
		return null;
	}

}
