package com.ragchat.auth;

import java.util.List;

import com.ragchat.platform.Route;

import static com.ragchat.platform.Route.get;
import static com.ragchat.platform.Route.post;

/**
 * The accounts feature's routes (API.md §3.2), each path spelled once: the controllers
 * are mapped to these constants and the filters ({@link AuthSecurity},
 * {@link CsrfProtectionFilter}, the {@code ratelimit} feature) read the lists below. A
 * new route gets a constant here and, when it is public or limited, a place in a list.
 */
public final class AuthRoutes {

	public static final String REGISTER = "/api/auth/register";

	public static final String LOGIN_JSON = "/api/auth/login-json";

	public static final String LOGIN = "/api/auth/login";

	public static final String TOKEN = "/api/auth/token";

	public static final String LOGOUT = "/api/auth/logout";

	public static final String ME = "/api/auth/me";

	public static final String PASSWORD = "/api/auth/password";

	/** Where OAuth sign-ins start: {@code /{provider}} follows. */
	public static final String OAUTH = "/api/auth/oauth";

	public static final String OAUTH_START = OAUTH + "/{provider}";

	public static final String OAUTH_CALLBACK = OAUTH_START + "/callback";

	public static final String OAUTH_HANDOFF = OAUTH + "/handoff";

	/** The signed-in user's personal API keys. */
	public static final String API_KEYS = "/api/auth/api-keys";

	public static final String API_KEY = API_KEYS + "/{id}";

	/**
	 * Routes anyone may call: those a client calls before it has a token, and logout
	 * (which must work with an expired one). Also exempt from the CSRF check.
	 */
	public static final List<Route> PUBLIC = List.of(post(REGISTER), post(LOGIN_JSON), post(LOGIN), post(TOKEN),
			post(LOGOUT), post(OAUTH_HANDOFF), get(OAUTH_START), get(OAUTH_CALLBACK));

	/**
	 * Every route that checks a password or a code, or starts a sign-in: the
	 * {@code auth-login} rate-limit scope ({@code RATE_LIMIT_LOGIN_PER_MINUTE}).
	 */
	public static final List<Route> SIGN_IN_ATTEMPTS = List.of(post(LOGIN_JSON), post(LOGIN), post(TOKEN),
			post(PASSWORD), post(OAUTH_HANDOFF), get(OAUTH_START), get(OAUTH_CALLBACK));

	/**
	 * Account creation: the {@code auth-register} rate-limit scope
	 * ({@code RATE_LIMIT_REGISTER_PER_MINUTE}).
	 */
	public static final List<Route> REGISTRATIONS = List.of(post(REGISTER));

	private AuthRoutes() {
	}

}
