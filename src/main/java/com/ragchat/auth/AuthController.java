package com.ragchat.auth;

import java.util.Optional;
import java.util.OptionalLong;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/** The {@link AuthRoutes} of API.md §3.2, apart from the OAuth redirects. */
@RestController
class AuthController {

	static final String INCORRECT_CREDENTIALS = "Incorrect username or password";

	private static final Logger logger = LoggerFactory.getLogger(AuthController.class);

	private final AccountService accounts;

	private final AccessTokens tokens;

	private final TokenRevocations revocations;

	private final HandoffCodes handoffCodes;

	private final AuthCookies cookies;

	private final BrowserBinding binding;

	AuthController(AccountService accounts, AccessTokens tokens, TokenRevocations revocations,
			HandoffCodes handoffCodes, AuthCookies cookies, BrowserBinding binding) {
		this.binding = binding;
		this.accounts = accounts;
		this.tokens = tokens;
		this.revocations = revocations;
		this.handoffCodes = handoffCodes;
		this.cookies = cookies;
	}

	@PostMapping(AuthRoutes.REGISTER)
	ResponseEntity<RegisterResponse> register(@Valid @RequestBody RegisterRequest request,
			@RequestHeader(name = AdminBootstrap.HEADER, required = false) @Nullable String bootstrapToken) {
		long id = this.accounts.register(request.username(), request.email(), request.password(), bootstrapToken);
		// 200, not 201: the earlier service's user-seeding script accepts nothing else.
		return ResponseEntity.ok(new RegisterResponse("User registered successfully", id));
	}

	@PostMapping(AuthRoutes.LOGIN_JSON)
	ResponseEntity<LoginResponse> loginJson(@Valid @RequestBody LoginRequest request) {
		return cookieSignIn(request.username(), request.password());
	}

	@PostMapping(AuthRoutes.LOGIN)
	ResponseEntity<LoginResponse> login(@Valid @ModelAttribute LoginRequest form) {
		return cookieSignIn(form.username(), form.password());
	}

	/** The OAuth2 password grant shape: a bearer token in the body, no cookie. */
	@PostMapping(AuthRoutes.TOKEN)
	TokenResponse token(@Valid @ModelAttribute LoginRequest form) {
		AccountService.SignedInUser user = this.accounts.authenticate(form.username(), form.password())
			.orElseThrow(AccountRefusals.IncorrectCredentials::new);
		AccessTokens.IssuedToken token = this.tokens.issue(user.id(), user.username(), user.tokenVersion());
		return new TokenResponse(token.value(), "bearer", user.id(), user.username(),
				this.tokens.lifetime().toSeconds());
	}

	/**
	 * Signs out: clears both cookies and revokes every valid token presented (cookie and
	 * bearer). Needs no valid token, so a client whose token already expired can still
	 * clear its cookies.
	 */
	@PostMapping(AuthRoutes.LOGOUT)
	ResponseEntity<StatusResponse> logout(HttpServletRequest request) {
		revokeIfValid(AuthCookies.bearerToken(request));
		revokeIfValid(AuthCookies.accessToken(request));
		return ResponseEntity.ok().headers(this.cookies.signOut()).body(new StatusResponse("success"));
	}

	@GetMapping(AuthRoutes.ME)
	AccountService.Profile me(@AuthenticationPrincipal AuthenticatedUser user) {
		// A token can outlive its account; such a token no longer signs anybody in.
		return this.accounts.profile(user.id()).orElseThrow(AccountRefusals.AccountGone::new);
	}

	/**
	 * Changes the password (current one required) and signs every other device out: all
	 * earlier tokens stop working on every replica. This client gets fresh cookies.
	 */
	@PostMapping(AuthRoutes.PASSWORD)
	ResponseEntity<LoginResponse> changePassword(@AuthenticationPrincipal AuthenticatedUser user,
			@Valid @RequestBody PasswordChangeRequest request) {
		AccountService.SignedInUser changed = this.accounts.changePassword(user.id(), request.currentPassword(),
				request.newPassword());
		AccessTokens.IssuedToken token = this.tokens.issue(changed.id(), changed.username(), changed.tokenVersion());
		return ResponseEntity.ok()
			.headers(this.cookies.signIn(token, this.tokens.lifetime()))
			.body(new LoginResponse(changed.id(), changed.username(), "success", token.csrfToken()));
	}

	@PostMapping(AuthRoutes.OAUTH_HANDOFF)
	ResponseEntity<HandoffResponse> handoff(@Valid @RequestBody HandoffRequest request,
			HttpServletRequest servletRequest) {
		// Only the browser that started the sign-in (its binding cookie) can redeem it.
		OptionalLong userId = this.handoffCodes.redeem(request.code(), BrowserBinding.presentedHash(servletRequest));
		Optional<AccountService.SignedInUser> user = userId.isPresent() ? this.accounts.signedInUser(userId.getAsLong())
				: Optional.empty();
		if (user.isEmpty()) {
			throw new AccountRefusals.InvalidHandoffCode();
		}
		AccessTokens.IssuedToken token = this.tokens.issue(user.get().id(), user.get().username(),
				user.get().tokenVersion());
		logger.info("User {} signed in through an OAuth handoff", user.get().username());
		return ResponseEntity.ok()
			.headers(this.cookies.signIn(token, this.tokens.lifetime()))
			.header(HttpHeaders.SET_COOKIE, this.binding.clear())
			.body(new HandoffResponse("ok", token.csrfToken()));
	}

	private ResponseEntity<LoginResponse> cookieSignIn(String username, String password) {
		AccountService.SignedInUser user = this.accounts.authenticate(username, password)
			.orElseThrow(AccountRefusals.IncorrectCredentials::new);
		AccessTokens.IssuedToken token = this.tokens.issue(user.id(), user.username(), user.tokenVersion());
		return ResponseEntity.ok()
			.headers(this.cookies.signIn(token, this.tokens.lifetime()))
			.body(new LoginResponse(user.id(), user.username(), "success", token.csrfToken()));
	}

	private void revokeIfValid(@Nullable String token) {
		if (token != null) {
			this.tokens.verify(token).ifPresent((verified) -> {
				this.revocations.revoke(verified.jti(), verified.expiresAt());
				logger.info("User {} signed out", verified.username());
			});
		}
	}

	record PasswordChangeRequest(@NotBlank @Size(max = 128) String currentPassword,
			@NotNull @Size(min = 8, max = 128) String newPassword) {

		@Override
		public String toString() {
			return "PasswordChangeRequest[…]";
		}

	}

	record RegisterRequest(
			@NotNull @Pattern(regexp = "[A-Za-z0-9._-]{3,64}",
					message = "must be 3 to 64 characters: letters, digits, '.', '_' or '-'") String username,
			// No NUL (PostgreSQL text cannot hold it) and no unpaired surrogate (not
			// text).
			@NotBlank @Size(max = 320) @Email(
					regexp = "[^@\\s\\x00\\uD800-\\uDFFF]+@[^@\\s\\x00\\uD800-\\uDFFF]+\\.[^@\\s\\x00\\uD800-\\uDFFF]+",
					message = "must be a well-formed email address") String email,
			@NotNull @Size(min = 8, max = 128, message = "must be 8 to 128 characters long") String password) {

		@Override
		public String toString() {
			return "RegisterRequest[username=" + this.username + "]";
		}

	}

	/** Username or email, and password; used by the JSON and form routes alike. */
	record LoginRequest(
			// PostgreSQL text cannot hold NUL: no account has one, and a lookup with it
			// would fail.
			@NotBlank @Size(max = 320) @Pattern(regexp = "[^\\x00]*",
					message = "must not contain NUL characters") String username,
			@NotEmpty @Size(max = 1024) String password) {

		@Override
		public String toString() {
			return "LoginRequest[username=" + this.username + "]";
		}

	}

	record HandoffRequest(@NotNull @Size(min = 16, max = 256) String code) {

		@Override
		public String toString() {
			return "HandoffRequest";
		}

	}

	record RegisterResponse(String message, long id) {

	}

	record LoginResponse(long userId, String username, String status, String csrfToken) {

	}

	record TokenResponse(String accessToken, String tokenType, long userId, String username, long expiresIn) {

		@Override
		public String toString() {
			return "TokenResponse[userId=" + this.userId + "]";
		}

	}

	record StatusResponse(String status) {

	}

	record HandoffResponse(String status, String csrfToken) {

	}

}
