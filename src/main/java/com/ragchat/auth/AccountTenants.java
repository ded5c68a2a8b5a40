package com.ragchat.auth;

import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Which tenant each account belongs to: read by the chat for every question (so a change
 * applies to the next one), set by admins through the tenant API.
 */
@Service
public class AccountTenants {

	private final UserAccountRepository users;

	private final AuthClock clock;

	private final JdbcClient jdbc;

	AccountTenants(UserAccountRepository users, AuthClock clock, JdbcClient jdbc) {
		this.users = users;
		this.clock = clock;
		this.jdbc = jdbc;
	}

	/**
	 * The user's tenant, or null for none (or an account deleted meanwhile). One
	 * auto-committed query, without a transaction: it is on every question's path.
	 */
	public @Nullable Long tenantOf(long userId) {
		return this.jdbc.sql("select tenant_id from users where id = ?")
			.param(userId)
			.query((rs, row) -> rs.getObject(1, Long.class))
			.optional()
			.orElse(null);
	}

	/**
	 * Moves the account named {@code username} (any case) into {@code tenantId}, or out
	 * of every tenant for null. The caller checks that the tenant exists.
	 * @return the account after the change, empty when no account has that name
	 */
	@Transactional
	public Optional<Membership> assign(String username, @Nullable Long tenantId) {
		return this.users.findByUsernameIgnoreCase(username).map((account) -> {
			account.setTenantId(tenantId, this.clock.now());
			UserAccount saved = this.users.save(account);
			return new Membership(AccountService.id(saved), saved.getUsername(), saved.getTenantId());
		});
	}

	/**
	 * An account's tenant.
	 *
	 * @param userId the account's id
	 * @param username its name
	 * @param tenantId its tenant, or null
	 */
	public record Membership(long userId, String username, @Nullable Long tenantId) {
	}

}
