package com.ragchat.auth;

import org.jspecify.annotations.Nullable;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;

/**
 * A request authenticated by a personal API key (a bearer header, so exempt from the CSRF
 * check like any bearer token). Rate limits count it per key
 * ({@link #keyId(Authentication)}).
 */
public final class ApiKeyAuthentication extends AbstractAuthenticationToken {

	private static final long serialVersionUID = 1L;

	private final AuthenticatedUser principal;

	private final long keyId;

	ApiKeyAuthentication(AuthenticatedUser principal, long keyId) {
		super(principal.admin() ? AuthorityUtils.createAuthorityList("ROLE_USER", "ROLE_ADMIN")
				: AuthorityUtils.createAuthorityList("ROLE_USER"));
		this.principal = principal;
		this.keyId = keyId;
		setAuthenticated(true);
	}

	@Override
	public Object getCredentials() {
		return "";
	}

	@Override
	public AuthenticatedUser getPrincipal() {
		return this.principal;
	}

	/** The key's id when {@code authentication} came from an API key, else -1. */
	public static long keyId(@Nullable Authentication authentication) {
		return (authentication instanceof ApiKeyAuthentication key) ? key.keyId : -1;
	}

}
