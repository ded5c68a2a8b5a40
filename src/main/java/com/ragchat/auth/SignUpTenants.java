package com.ragchat.auth;

import org.jspecify.annotations.Nullable;

/**
 * Places new OAuth accounts in a tenant by their verified e-mail address's domain.
 * Implemented by the {@code tenant} feature.
 */
@FunctionalInterface
public interface SignUpTenants {

	/** The tenant an account with this verified address joins, or null for none. */
	@Nullable Long tenantFor(String verifiedEmail);

}
