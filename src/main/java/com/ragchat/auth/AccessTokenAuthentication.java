package com.ragchat.auth;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;

/**
 * A request authenticated by an access token, remembering how the token came: a cookie
 * (subject to the CSRF check) or a bearer header (exempt).
 */
class AccessTokenAuthentication extends AbstractAuthenticationToken {

	enum Carrier {

		COOKIE, BEARER

	}

	private final AuthenticatedUser principal;

	private final AccessTokens.VerifiedToken token;

	private final Carrier carrier;

	AccessTokenAuthentication(AuthenticatedUser principal, AccessTokens.VerifiedToken token, Carrier carrier) {
		super(principal.admin() ? AuthorityUtils.createAuthorityList("ROLE_USER", "ROLE_ADMIN")
				: AuthorityUtils.createAuthorityList("ROLE_USER"));
		this.principal = principal;
		this.token = token;
		this.carrier = carrier;
		setAuthenticated(true);
	}

	@Override
	public Object getCredentials() {
		// The token stays out of the security context's public surface.
		return "";
	}

	@Override
	public AuthenticatedUser getPrincipal() {
		return this.principal;
	}

	AccessTokens.VerifiedToken token() {
		return this.token;
	}

	Carrier carrier() {
		return this.carrier;
	}

}
