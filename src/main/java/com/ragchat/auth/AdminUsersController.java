package com.ragchat.auth;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Admins manage roles: {@code PUT /api/admin/users/{username}/role} with
 * {@code {"role":"admin"|"user"}}. Admins only (403 otherwise); the last admin cannot
 * give the role up (409). The change applies from the target's next request on.
 */
@RestController
class AdminUsersController {

	/**
	 * The routes of this controller, for the security rule that keeps them admin-only.
	 */
	static final String ROUTES = "/api/admin/users/**";

	static final String ROLE = "/api/admin/users/{username}/role";

	private final AccountService accounts;

	AdminUsersController(AccountService accounts) {
		this.accounts = accounts;
	}

	@PutMapping(ROLE)
	AccountService.Profile changeRole(@AuthenticationPrincipal AuthenticatedUser admin, @PathVariable String username,
			@Valid @RequestBody RoleRequest request) {
		return this.accounts.changeRole(admin.username(), username, request.role());
	}

	record RoleRequest(@NotNull @Pattern(regexp = "admin|user", message = "must be admin or user") String role) {

	}

}
