package com.ragchat.support;

import java.util.Arrays;
import java.util.Map;
import java.util.UUID;

/**
 * Signed-in users for full-application tests, made the way a client makes them: register
 * over real HTTP, sign in with {@code login-json} (cookies and CSRF value) and with
 * {@code token} (a bearer token). Each call to {@link #register(ApiClient)} creates a new
 * user with a unique name, so tests never see each other's data.
 * <p>
 * Use the header arrays with {@link ApiClient}, e.g.
 * {@code api.postJson("/api/chat/sessions", body, user.cookieHeaders())} or
 * {@code api.get("/api/chat/sessions", user.bearerHeaders())}.
 */
public final class TestUsers {

	/**
	 * The admin of the test suite: listed in {@code ADMIN_USERNAMES} by
	 * {@code src/test/resources/config/application.yml}.
	 */
	public static final String ADMIN_USERNAME = "test-admin";

	private static final String ADMIN_PASSWORD = "test-admin-password-1";

	private TestUsers() {
	}

	/** Registers a new user with a unique name and signs it in both ways. */
	public static TestUser register(ApiClient api) {
		return registerWithHeaders(api);
	}

	/**
	 * Like {@link #register(ApiClient)}, sending {@code headers} (name/value pairs) with
	 * each of its requests, e.g. {@code "X-Forwarded-For", "198.51.100.7"}.
	 */
	public static TestUser registerWithHeaders(ApiClient api, String... headers) {
		String username = "u_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
		String password = "pw-" + UUID.randomUUID();
		return register(api, username, username + "@example.com", password, headers);
	}

	/** Registers the given user and signs it in both ways. */
	public static TestUser register(ApiClient api, String username, String email, String password, String... headers) {
		ApiClient.Response registered = api.postJson("/api/auth/register",
				Map.of("username", username, "email", email, "password", password), headers);
		if (registered.status() != 200) {
			throw new IllegalStateException("registration of " + username + " failed: " + registered);
		}
		return signIn(api, username, password, email, headers);
	}

	/**
	 * The suite's admin ({@link #ADMIN_USERNAME}), registered on first use in the
	 * database the application under test uses, and signed in.
	 */
	public static TestUser admin(ApiClient api) {
		String email = ADMIN_USERNAME + "@example.com";
		ApiClient.Response registered = api.postJson("/api/auth/register",
				Map.of("username", ADMIN_USERNAME, "email", email, "password", ADMIN_PASSWORD));
		if (registered.status() != 200 && !registered.body().contains("already registered")) {
			throw new IllegalStateException("registration of the admin failed: " + registered);
		}
		return signIn(api, ADMIN_USERNAME, ADMIN_PASSWORD, email);
	}

	/** Signs an existing user in with {@code login-json} and with {@code token}. */
	public static TestUser signIn(ApiClient api, String username, String password, String email, String... headers) {
		ApiClient.Response login = api.postJson("/api/auth/login-json",
				Map.of("username", username, "password", password), headers);
		if (login.status() != 200) {
			throw new IllegalStateException("login-json for " + username + " failed: " + login);
		}
		String accessToken = cookieValue(login, "access_token");
		String csrfToken = login.json().get("csrf_token").asString();
		long id = login.json().get("user_id").asLong();
		ApiClient.Response token = api.postForm("/api/auth/token", Map.of("username", username, "password", password),
				headers);
		if (token.status() != 200) {
			throw new IllegalStateException("token for " + username + " failed: " + token);
		}
		return new TestUser(id, username, email, password, accessToken, csrfToken,
				token.json().get("access_token").asString());
	}

	/** The value of cookie {@code name} set by {@code response}. */
	public static String cookieValue(ApiClient.Response response, String name) {
		String line = response.setCookies().get(name);
		if (line == null) {
			throw new IllegalStateException("no " + name + " cookie in " + response.headers("Set-Cookie"));
		}
		int start = line.indexOf('=') + 1;
		int end = line.indexOf(';', start);
		return (end >= 0) ? line.substring(start, end) : line.substring(start);
	}

	/**
	 * What a client holds after signing in.
	 *
	 * @param id user id
	 * @param username username
	 * @param email email address
	 * @param password password
	 * @param accessToken value of the {@code access_token} cookie (from
	 * {@code login-json})
	 * @param csrfToken the CSRF value bound to {@code accessToken}
	 * @param bearerToken a separate token from {@code /api/auth/token}
	 */
	public record TestUser(long id, String username, String email, String password, String accessToken,
			String csrfToken, String bearerToken) {

		/**
		 * Headers of a browser request: the two cookies and {@code X-CSRF-Token}, valid
		 * for any method.
		 */
		public String[] cookieHeaders() {
			return new String[] { "Cookie", cookieHeaderValue(), "X-CSRF-Token", this.csrfToken };
		}

		/** The cookies without {@code X-CSRF-Token}: enough for GET, refused for POST. */
		public String[] cookieHeadersWithoutCsrf() {
			return new String[] { "Cookie", cookieHeaderValue() };
		}

		/** {@code Authorization: Bearer <token>}: exempt from CSRF. */
		public String[] bearerHeaders() {
			return new String[] { "Authorization", "Bearer " + this.bearerToken };
		}

		/** {@code headers} followed by further name/value pairs. */
		public static String[] with(String[] headers, String... more) {
			String[] all = Arrays.copyOf(headers, headers.length + more.length);
			System.arraycopy(more, 0, all, headers.length, more.length);
			return all;
		}

		private String cookieHeaderValue() {
			return "access_token=" + this.accessToken + "; csrf_token=" + this.csrfToken;
		}

		@Override
		public String toString() {
			return "TestUser[id=" + this.id + ", username=" + this.username + "]";
		}

	}

}
