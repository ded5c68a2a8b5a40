package com.ragchat.tenant;

/**
 * The routes of tenants and profiles, each path spelled once: the controllers map these
 * constants and {@link TenantSecurity} keeps the admin ones for admins.
 */
final class TenantRoutes {

	static final String TENANTS = "/api/admin/tenants";

	static final String TENANT = TENANTS + "/{id}";

	/** A user's tenant (under the admin-only user routes). */
	static final String USER_TENANT = "/api/admin/users/{username}/tenant";

	/** The global profile. */
	static final String PROFILE = "/api/admin/profile";

	/** The signed-in user's assistant: name, topics, example questions. */
	static final String ASSISTANT = "/api/assistant";

	private TenantRoutes() {
	}

}
