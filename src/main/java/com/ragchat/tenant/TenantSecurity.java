package com.ragchat.tenant;

import com.ragchat.platform.HttpSecurityCustomizer;

import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.stereotype.Component;

/** Tenants, memberships and the global profile are for admins only (403 otherwise). */
@Component
class TenantSecurity implements HttpSecurityCustomizer {

	@Override
	public void customize(HttpSecurity http) throws Exception {
		http.authorizeHttpRequests((requests) -> requests
			.requestMatchers(TenantRoutes.TENANTS, TenantRoutes.TENANTS + "/**", TenantRoutes.PROFILE,
					TenantRoutes.USER_TENANT)
			.hasRole("ADMIN"));
	}

}
