package com.ragchat.auth;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.jspecify.annotations.Nullable;

/** A person who can sign in, with a password, an OAuth identity, or both. */
@Entity
@Table(name = "users")
class UserAccount {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private @Nullable Long id;

	@Column(nullable = false, length = 64)
	private String username;

	/**
	 * Null once an unverified claim on the address was released to its verified owner.
	 */
	@Column(length = 320)
	private @Nullable String email;

	/** Whether a provider proved the email; a local registration's email is a claim. */
	@Column(nullable = false)
	private boolean emailVerified;

	private @Nullable String passwordHash;

	@Column(nullable = false, length = 16)
	private String role;

	@Column(nullable = false, length = 16)
	private String authProvider;

	private @Nullable String providerSubject;

	@Column(nullable = false)
	private Instant createdAt;

	@Column(nullable = false)
	private Instant updatedAt;

	/** The tenant whose documents and assistant profile the user gets; null: none. */
	private @Nullable Long tenantId;

	/** Tokens carry it; a token whose version differs no longer signs anybody in. */
	@Column(nullable = false)
	private int tokenVersion;

	protected UserAccount() {
		this.username = "";
		this.email = "";
		this.role = "user";
		this.authProvider = "local";
		this.createdAt = Instant.EPOCH;
		this.updatedAt = Instant.EPOCH;
	}

	UserAccount(String username, String email, @Nullable String passwordHash, String role, String authProvider,
			@Nullable String providerSubject, Instant now) {
		this.username = username;
		this.email = email;
		this.passwordHash = passwordHash;
		this.role = role;
		this.authProvider = authProvider;
		this.providerSubject = providerSubject;
		// Providers hand over verified addresses only (OAuthLogin refuses the others).
		this.emailVerified = !AccountService.LOCAL.equals(authProvider);
		this.createdAt = now;
		this.updatedAt = now;
	}

	@Nullable Long getId() {
		return this.id;
	}

	String getUsername() {
		return this.username;
	}

	@Nullable String getEmail() {
		return this.email;
	}

	boolean isEmailVerified() {
		return this.emailVerified;
	}

	/**
	 * Drops the account's unverified claim on its email, because the address's
	 * provider-verified owner signs in. The account keeps working by its username.
	 */
	void releaseUnverifiedEmail(Instant now) {
		if (this.emailVerified) {
			throw new IllegalStateException("a verified email is never released");
		}
		this.email = null;
		this.updatedAt = now;
	}

	@Nullable Long getTenantId() {
		return this.tenantId;
	}

	void setTenantId(@Nullable Long tenantId, Instant now) {
		this.tenantId = tenantId;
		this.updatedAt = now;
	}

	@Nullable String getPasswordHash() {
		return this.passwordHash;
	}

	String getRole() {
		return this.role;
	}

	String getAuthProvider() {
		return this.authProvider;
	}

	@Nullable String getProviderSubject() {
		return this.providerSubject;
	}

	Instant getCreatedAt() {
		return this.createdAt;
	}

	Instant getUpdatedAt() {
		return this.updatedAt;
	}

	void changeRole(String role, Instant now) {
		this.role = role;
		this.updatedAt = now;
	}

	void changePasswordHash(String passwordHash, Instant now) {
		this.passwordHash = passwordHash;
		this.updatedAt = now;
	}

	int getTokenVersion() {
		return this.tokenVersion;
	}

	/** Sets a new password and invalidates every token issued before. */
	void replacePassword(String passwordHash, Instant now) {
		changePasswordHash(passwordHash, now);
		this.tokenVersion++;
	}

}
