package com.ragchat.auth;

import java.io.IOException;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.ragchat.platform.ProblemResponses;

import org.springframework.dao.DataAccessException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates a request by its access token or a personal API key
 * ({@code Bearer rck_…}, see {@link ApiKeys}): the bearer header when present (then the
 * cookie is ignored, so a bad bearer header leaves the request unauthenticated and a
 * protected route answers 401), otherwise the {@code access_token} cookie. It never
 * rejects a request itself: rate limits (429) are checked after it and before the 401, as
 * the contract orders them.
 */
class TokenAuthenticationFilter extends OncePerRequestFilter {

	private static final Logger logger = LoggerFactory.getLogger(TokenAuthenticationFilter.class);

	private final AccessTokens tokens;

	private final TokenRevocations revocations;

	private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

	// Lets the async dispatch of a streamed response see the same authentication.
	private final RequestAttributeSecurityContextRepository repository = new RequestAttributeSecurityContextRepository();

	private final ApiKeys apiKeys;

	TokenAuthenticationFilter(AccessTokens tokens, TokenRevocations revocations, ApiKeys apiKeys) {
		this.tokens = tokens;
		this.revocations = revocations;
		this.apiKeys = apiKeys;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String bearer = AuthCookies.bearerToken(request);
		AccessTokenAuthentication.Carrier carrier = (bearer != null) ? AccessTokenAuthentication.Carrier.BEARER
				: AccessTokenAuthentication.Carrier.COOKIE;
		String presented = (bearer != null) ? bearer : AuthCookies.accessToken(request);
		if (bearer != null && bearer.startsWith(ApiKeys.PREFIX)) {
			Optional<ApiKeys.Owner> owner;
			try {
				owner = this.apiKeys.authenticate(bearer);
			}
			catch (DataAccessException ex) {
				if (!ProblemResponses.isDatabaseUnavailable(ex)) {
					throw ex;
				}
				logger.warn("Database unavailable while checking an API key on {} {}", request.getMethod(),
						request.getRequestURI());
				ProblemResponses.write(response, ProblemResponses.databaseUnavailable());
				return;
			}
			if (owner.isPresent()) {
				ApiKeys.Owner key = owner.get();
				AuthenticatedUser user = new AuthenticatedUser(key.userId(), key.username(),
						AccountService.ADMIN.equals(key.role()));
				SecurityContext context = this.contexts.createEmptyContext();
				context.setAuthentication(new ApiKeyAuthentication(user, key.keyId()));
				this.contexts.setContext(context);
				this.repository.saveContext(context, request, response);
			}
			chain.doFilter(request, response);
			return;
		}
		if (presented != null) {
			Optional<AccessTokens.VerifiedToken> verified = this.tokens.verify(presented);
			Optional<String> role;
			try {
				role = verified.isPresent() ? this.revocations.currentRole(verified.get()) : Optional.empty();
			}
			catch (DataAccessException ex) {
				if (!ProblemResponses.isDatabaseUnavailable(ex)) {
					throw ex;
				}
				// Not a 401: the token may be fine, and the web client would sign the
				// user out. One line in the log, not a stack trace per request of an
				// outage.
				logger.warn("Database unavailable while checking a token on {} {}", request.getMethod(),
						request.getRequestURI());
				ProblemResponses.write(response, ProblemResponses.databaseUnavailable());
				return;
			}
			if (verified.isPresent() && role.isPresent()) {
				AccessTokens.VerifiedToken token = verified.get();
				// The role stored on the account, never one derived from the name.
				AuthenticatedUser user = new AuthenticatedUser(token.userId(), token.username(),
						AccountService.ADMIN.equals(role.get()));
				SecurityContext context = this.contexts.createEmptyContext();
				context.setAuthentication(new AccessTokenAuthentication(user, token, carrier));
				this.contexts.setContext(context);
				this.repository.saveContext(context, request, response);
			}
		}
		chain.doFilter(request, response);
	}

}
