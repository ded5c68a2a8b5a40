package com.ragchat.ratelimit;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.ragchat.auth.ApiKeyAuthentication;
import com.ragchat.auth.AuthRoutes;
import com.ragchat.auth.AuthenticatedUser;
import com.ragchat.chat.ChatRoutes;
import com.ragchat.openai.OpenAiErrors;
import com.ragchat.openai.OpenAiRoutes;
import com.ragchat.platform.ProblemResponses;
import com.ragchat.platform.Route;
import com.ragchat.ratelimit.RateLimiter.Decision;

import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Enforces the limits of API.md §6 on the routes they cover (declared by the features:
 * {@link AuthRoutes}, {@link ChatRoutes}), before authentication is judged (a flood of
 * bad credentials is refused with 429 first). It runs after the token filter, so the chat
 * limit can count per user as well as per IP. Limited routes carry
 * {@code RateLimit-Limit}, {@code -Remaining} and {@code -Reset}; refusals add
 * {@code Retry-After}.
 */
class RateLimitFilter extends OncePerRequestFilter {

	private static final Logger logger = LoggerFactory.getLogger(RateLimitFilter.class);

	private final List<Scope> scopes;

	private final Scope apiKeys;

	private final RateLimiter limiter;

	private final ClientAddresses addresses;

	RateLimitFilter(RateLimitProperties properties, RateLimiter limiter, ClientAddresses addresses) {
		this.limiter = limiter;
		this.addresses = addresses;
		this.scopes = List.of(
				new Scope("auth-login", properties.loginPerMinute(), Counted.PER_IP, AuthRoutes.SIGN_IN_ATTEMPTS),
				new Scope("auth-register", properties.registerPerMinute(), Counted.PER_IP, AuthRoutes.REGISTRATIONS),
				new Scope("chat-send", properties.chatPerMinute(), Counted.PER_IP_AND_USER,
						concat(ChatRoutes.QUESTIONS, OpenAiRoutes.QUESTIONS)),
				new Scope("session-create", properties.sessionCreatePerMinute(), Counted.PER_USER,
						ChatRoutes.SESSION_CREATION),
				new Scope("session-rename", properties.sessionRenamePerMinute(), Counted.PER_USER,
						ChatRoutes.SESSION_RENAMES),
				new Scope("feedback", properties.feedbackPerMinute(), Counted.PER_USER, ChatRoutes.FEEDBACK_POSTS));
		// Every request made with a personal API key, whatever its route, on top of the
		// route's own scope: a script with a key cannot spend its owner's whole budget.
		this.apiKeys = new Scope("api-key", properties.apiKeyPerMinute(), Counted.PER_API_KEY,
				(request) -> ApiKeyAuthentication.keyId(SecurityContextHolder.getContext().getAuthentication()) >= 0);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		for (Scope scope : scopesOf(request)) {
			Decision decision;
			try {
				decision = check(scope, request);
			}
			catch (DataAccessException ex) {
				// Limits protect the service; they must not take it down with the
				// database.
				logger.warn("Rate limit check for {} skipped: database unavailable ({})", scope.name(),
						ex.getClass().getSimpleName());
				decision = null;
			}
			if (decision == null) {
				continue;
			}
			response.setHeader("RateLimit-Limit", Integer.toString(decision.limit()));
			response.setHeader("RateLimit-Remaining", Integer.toString(decision.remaining()));
			response.setHeader("RateLimit-Reset", Long.toString(decision.resetSeconds()));
			if (!decision.allowed()) {
				response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(decision.retryAfterSeconds()));
				if (OpenAiRoutes.covers(request.getRequestURI())) {
					OpenAiErrors.write(response, HttpStatus.TOO_MANY_REQUESTS.value(),
							"Rate limit exceeded for " + scope.name() + ". Please retry shortly.", "requests",
							"rate_limit_exceeded");
					return;
				}
				ProblemResponses.write(response, ProblemResponses.problem(HttpStatus.TOO_MANY_REQUESTS,
						"Rate limit exceeded for " + scope.name() + ". Please retry shortly."));
				return;
			}
		}
		chain.doFilter(request, response);
	}

	/**
	 * The route's scope, if any, then the API key's; the headers a response carries are
	 * those of the last one checked.
	 */
	private List<Scope> scopesOf(HttpServletRequest request) {
		List<Scope> matched = new ArrayList<>(2);
		for (Scope scope : this.scopes) {
			if (scope.matcher().matches(request)) {
				matched.add(scope);
				break;
			}
		}
		if (this.apiKeys.matcher().matches(request)) {
			matched.add(this.apiKeys);
		}
		return matched;
	}

	/**
	 * Checks every key of the scope (the client's address, IPv6 by its /64, the user, or
	 * the API key), stopping at the first refusal; otherwise reports the tightest bucket.
	 * {@code null} when nothing is counted (a per-user scope without a user: the request
	 * is refused as unauthenticated anyway).
	 */
	private @Nullable Decision check(Scope scope, HttpServletRequest request) {
		List<String> keys = new ArrayList<>(3);
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (scope.counted() == Counted.PER_API_KEY) {
			keys.add("key:" + ApiKeyAuthentication.keyId(authentication));
		}
		if (scope.counted() == Counted.PER_IP || scope.counted() == Counted.PER_IP_AND_USER) {
			keys.add("ip:" + this.addresses.clientKey(request));
		}
		if ((scope.counted() == Counted.PER_USER || scope.counted() == Counted.PER_IP_AND_USER)
				&& authentication != null && authentication.getPrincipal() instanceof AuthenticatedUser user) {
			keys.add("user:" + user.id());
		}
		Decision tightest = null;
		for (String key : keys) {
			Decision decision = this.limiter.take(scope.name(), key, scope.limit(), RateLimitProperties.WINDOW);
			if (!decision.allowed()) {
				return decision;
			}
			if (tightest == null || decision.remaining() < tightest.remaining()) {
				tightest = decision;
			}
		}
		return tightest;
	}

	private static List<Route> concat(List<Route> first, List<Route> second) {
		List<Route> all = new ArrayList<>(first);
		all.addAll(second);
		return all;
	}

	/** What a scope counts requests by. */
	enum Counted {

		PER_IP, PER_USER, PER_IP_AND_USER, PER_API_KEY

	}

	/** A named limit over routes that the features declare. */
	record Scope(String name, int limit, Counted counted, RequestMatcher matcher) {

		Scope(String name, int limit, Counted counted, List<Route> routes) {
			this(name, limit, counted, new OrRequestMatcher(routes.stream().map(Route::matcher).toList()));
		}

	}

}
