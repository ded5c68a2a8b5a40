package com.ragchat.auth;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.ragchat.platform.ProblemResponses;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClientException;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The browser's side of OAuth sign-in. The start route sends the browser to the provider
 * with a fresh {@code state} (and PKCE challenge, and for Google a nonce), stored in the
 * database; the callback checks the state, completes the sign-in with the provider, maps
 * the identity to an account and sends the browser to the web client with a one-time
 * handoff code, which the client redeems at {@code POST /api/auth/oauth/handoff} for its
 * cookies. Tokens never appear in a URL.
 */
@RestController
class OAuthController {

	private static final Logger logger = LoggerFactory.getLogger(OAuthController.class);

	private final OAuthClients clients;

	private final DefaultOAuth2AuthorizationRequestResolver resolver;

	private final OAuthAuthorizationRequests pending;

	private final OAuthLogin login;

	private final AccountService accounts;

	private final HandoffCodes handoffCodes;

	private final AuthProperties properties;

	private final BrowserBinding binding;

	OAuthController(OAuthClients clients, OAuthAuthorizationRequests pending, OAuthLogin login, AccountService accounts,
			HandoffCodes handoffCodes, AuthProperties properties, BrowserBinding binding) {
		this.binding = binding;
		this.clients = clients;
		this.resolver = new DefaultOAuth2AuthorizationRequestResolver(clients, AuthRoutes.OAUTH);
		this.pending = pending;
		this.login = login;
		this.accounts = accounts;
		this.handoffCodes = handoffCodes;
		this.properties = properties;
	}

	@GetMapping(AuthRoutes.OAUTH_START)
	ResponseEntity<?> start(@PathVariable String provider, HttpServletRequest request, HttpServletResponse response) {
		String unavailable = this.clients.unavailableReason(provider);
		if (unavailable != null) {
			return notConfigured(unavailable, response);
		}
		this.clients.require(provider);
		OAuth2AuthorizationRequest authorization = this.resolver.resolve(request, provider);
		String browser = this.binding.newValue();
		this.pending.save(provider, authorization, BrowserBinding.hash(browser));
		return ResponseEntity.status(HttpStatus.FOUND)
			.location(URI.create(authorization.getAuthorizationRequestUri()))
			.cacheControl(CacheControl.noStore())
			.header(HttpHeaders.SET_COOKIE,
					this.binding.cookie(browser,
							this.properties.oauth().authorizationRequestTtl().plus(this.properties.handoffCodeTtl())))
			.build();
	}

	@GetMapping(AuthRoutes.OAUTH_CALLBACK)
	ResponseEntity<?> callback(@PathVariable String provider, @RequestParam Map<String, String> parameters,
			HttpServletRequest request, HttpServletResponse response) {
		String unavailable = this.clients.unavailableReason(provider);
		if (unavailable != null) {
			return notConfigured(unavailable, response);
		}
		ClientRegistration registration = this.clients.require(provider);
		String state = parameters.get("state");
		String browser = BrowserBinding.presentedHash(request);
		// A state with NUL was never issued (and PostgreSQL text cannot hold it).
		Optional<OAuth2AuthorizationRequest> authorization = (state != null && state.indexOf('\0') < 0)
				? this.pending.take(provider, state, browser) : Optional.empty();
		if (authorization.isEmpty() || browser == null) {
			logger.info("OAuth callback from {} refused: unknown, used or expired state, or another browser", provider);
			return redirect(frontend("/login").queryParam("oauth_error", "state_mismatch").build().toUri());
		}
		OAuthLogin.Identity identity;
		try {
			identity = this.login.complete(registration, authorization.get(), parameters);
		}
		catch (AuthenticationException | RestClientException | IllegalArgumentException ex) {
			logger.warn("OAuth sign-in with {} failed: {}", provider, reason(ex));
			return redirect(frontend("/login").queryParam("oauth_error", "failed").build().toUri());
		}
		AccountService.SignedInUser user;
		try {
			user = this.accounts.signInWithProvider(identity.provider(), identity.subject(), identity.email());
		}
		catch (DataIntegrityViolationException ex) {
			// A parallel callback for the same identity created the account first.
			user = this.accounts.signInWithProvider(identity.provider(), identity.subject(), identity.email());
		}
		String code = this.handoffCodes.issue(user.id(), browser);
		return redirect(frontend("/oauth/handoff").queryParam("code", code).build().toUri());
	}

	/**
	 * 503 naming the missing settings. Written here rather than thrown, because the
	 * global handler hides the detail of every 5xx it handles, and this one is meant for
	 * the operator reading it.
	 */
	private static ResponseEntity<ProblemDetail> notConfigured(String reason, HttpServletResponse response) {
		ProblemDetail problem = ProblemResponses
			.complete(ProblemResponses.problem(HttpStatus.SERVICE_UNAVAILABLE, reason), response);
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(problem);
	}

	private UriComponentsBuilder frontend(String path) {
		return UriComponentsBuilder.fromUriString(this.properties.frontendUrl()).path(path);
	}

	private static ResponseEntity<Void> redirect(URI location) {
		return ResponseEntity.status(HttpStatus.FOUND).location(location).cacheControl(CacheControl.noStore()).build();
	}

	/** The OAuth error code, or the exception type: never a provider's message. */
	private static String reason(Exception ex) {
		if (ex instanceof OAuth2AuthenticationException oauth) {
			return oauth.getError().getErrorCode();
		}
		return ex.getClass().getSimpleName();
	}

}
