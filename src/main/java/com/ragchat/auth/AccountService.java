package com.ragchat.auth;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Accounts: registration, password sign-in, the signed-in user's own profile, and the
 * mapping of OAuth identities to accounts. Every lookup starts from what the caller
 * proved (a password, a verified token, a provider identity), never from an id the caller
 * chose.
 */
@Service
class AccountService {

	static final String LOCAL = "local";

	static final String ADMIN = "admin";

	static final String USER = "user";

	static final String EMAIL_CONFLICT = "An account with this email already exists. Sign in with your password "
			+ "(or the provider you used before) instead.";

	static final String WRONG_CURRENT_PASSWORD = "Current password is incorrect";

	private static final Logger logger = LoggerFactory.getLogger(AccountService.class);

	private final UserAccountRepository users;

	private final PasswordHasher passwords;

	private final AdminBootstrap adminBootstrap;

	private final AuthClock clock;

	private final SignInThrottle throttle;

	private final SignUpTenants signUpTenants;

	private final TokenRevocations revocations;

	AccountService(UserAccountRepository users, PasswordHasher passwords, AdminBootstrap adminBootstrap,
			AuthClock clock, SignInThrottle throttle, ObjectProvider<SignUpTenants> signUpTenants,
			TokenRevocations revocations) {
		this.revocations = revocations;
		this.users = users;
		this.passwords = passwords;
		this.adminBootstrap = adminBootstrap;
		this.clock = clock;
		this.throttle = throttle;
		this.signUpTenants = signUpTenants.getIfAvailable(() -> (email) -> null);
	}

	/**
	 * Creates a local account; the username is checked before the email. Not one
	 * transaction on purpose: the password hash takes tens of milliseconds and must not
	 * hold a pooled connection; the unique indexes settle any race. A name listed in
	 * {@code ADMIN_USERNAMES} registered without the bootstrap token (where one is
	 * needed) is refused exactly like a taken name (see {@link AdminBootstrap}).
	 */
	long register(String username, String email, String password, @Nullable String bootstrapToken) {
		String cleanEmail = email.strip();
		AdminBootstrap.Decision decision = this.adminBootstrap.decide(username, bootstrapToken);
		if (decision == AdminBootstrap.Decision.REFUSED || this.users.existsByUsernameIgnoreCase(username)) {
			throw new AccountRefusals.UsernameTaken();
		}
		if (this.users.existsByEmailIgnoreCase(cleanEmail)) {
			throw new AccountRefusals.EmailTaken();
		}
		String role = (decision == AdminBootstrap.Decision.ADMIN) ? ADMIN : USER;
		UserAccount account = new UserAccount(username, cleanEmail, this.passwords.hash(password), role, LOCAL, null,
				this.clock.now());
		try {
			account = this.users.saveAndFlush(account);
		}
		catch (DataIntegrityViolationException ex) {
			// Another registration with the same name or email won the race.
			throw this.users.existsByUsernameIgnoreCase(username) ? new AccountRefusals.UsernameTaken()
					: new AccountRefusals.EmailTaken();
		}
		logger.info("Registered user {}", account.getUsername());
		return id(account);
	}

	/**
	 * The account whose username (or email) and password match. Unknown users, OAuth-only
	 * accounts and wrong passwords all cost one password comparison and give the same
	 * answer, so neither the reply nor its timing tells them apart. Each failure counts
	 * towards the identifier's backoff ({@link SignInThrottle}), known or not.
	 * @throws AccountRefusals.SignInThrottled while the identifier has to wait
	 */
	Optional<SignedInUser> authenticate(String identifier, String password) {
		// No transaction around the comparison: it takes tens of milliseconds and must
		// not hold a pooled connection meanwhile.
		String name = identifier.strip();
		long wait = this.throttle.secondsToWait(name);
		if (wait > 0) {
			logger.info("Password sign-in refused: too many failures for this name, {} s to wait", wait);
			throw new AccountRefusals.SignInThrottled(wait);
		}
		Optional<UserAccount> found = name.contains("@") ? this.users.findByEmailIgnoreCase(name)
				: this.users.findByUsernameIgnoreCase(name);
		@Nullable String hash = found.map(UserAccount::getPasswordHash).orElse(null);
		if (!this.passwords.matches(password, hash) || found.isEmpty()) {
			logger.info("Password sign-in refused");
			this.throttle.failed(name);
			return Optional.empty();
		}
		this.throttle.succeeded(name);
		UserAccount account = found.get();
		if (hash != null && this.passwords.needsRehash(hash)) {
			account.changePasswordHash(this.passwords.hash(password), this.clock.now());
			this.users.save(account);
		}
		logger.info("User {} signed in with a password", account.getUsername());
		return Optional.of(signedIn(account));
	}

	/**
	 * Replaces the signed-in user's password after checking the current one, and
	 * invalidates every token issued before (other devices are signed out). The caller
	 * gets a fresh token for the returned user.
	 * @throws AccountRefusals.WrongCurrentPassword when the current password is wrong
	 * @throws AccountRefusals.NoPasswordToChange when the account has no password (it
	 * signs in through a provider)
	 * @throws AccountRefusals.AccountGone when the account no longer exists
	 */
	SignedInUser changePassword(long userId, String currentPassword, String newPassword) {
		// Hashing outside any transaction: it must not hold a pooled connection.
		UserAccount account = this.users.findById(userId).orElseThrow(AccountRefusals.AccountGone::new);
		if (account.getPasswordHash() == null) {
			this.passwords.matches(currentPassword, null);
			throw new AccountRefusals.NoPasswordToChange(account.getAuthProvider());
		}
		if (!this.passwords.matches(currentPassword, account.getPasswordHash())) {
			logger.info("Password change refused for user {}: wrong current password", account.getUsername());
			throw new AccountRefusals.WrongCurrentPassword();
		}
		account.replacePassword(this.passwords.hash(newPassword), this.clock.now());
		account = this.users.save(account);
		// This replica at once; the others when the change's notification reaches them.
		this.revocations.accountChanged(userId);
		logger.info("User {} changed their password; earlier tokens are revoked", account.getUsername());
		return signedIn(account);
	}

	/** The account behind a verified token or handoff code, if it still exists. */
	@Transactional(readOnly = true)
	Optional<SignedInUser> signedInUser(long userId) {
		return this.users.findById(userId).map(AccountService::signedIn);
	}

	@Transactional(readOnly = true)
	Optional<Profile> profile(long userId) {
		return this.users.findById(userId)
			.map((account) -> new Profile(id(account), account.getUsername(), account.getEmail(),
					account.getAuthProvider(), account.getRole()));
	}

	/**
	 * The account of an OAuth identity: found by (provider, subject), or created with a
	 * generated username and no password. Accounts are never linked silently: an identity
	 * whose email another account has verified (through a provider) is refused with 409,
	 * since linking would hand that account to whoever controls a provider account with
	 * the same address. A local account's email was never verified: it does not keep the
	 * provider-verified owner out (SECURITY.md "Emails"), the owner gets an account of
	 * their own and the local account loses its claim on the address.
	 */
	@Transactional
	SignedInUser signInWithProvider(String provider, String subject, String email) {
		Optional<UserAccount> linked = this.users.findByAuthProviderAndProviderSubject(provider, subject);
		if (linked.isPresent()) {
			UserAccount account = linked.get();
			logger.info("User {} signed in with {}", account.getUsername(), provider);
			return signedIn(account);
		}
		Optional<UserAccount> holder = this.users.findByEmailIgnoreCase(email);
		if (holder.isPresent()) {
			UserAccount other = holder.get();
			if (other.isEmailVerified()) {
				logger.info("{} sign-in refused: its email belongs to another account", provider);
				throw new AccountRefusals.EmailBelongsToAnotherAccount();
			}
			// Nobody proved the local registration's email: it must not keep the
			// address's
			// verified owner out, nor may the owner be signed into that account.
			other.releaseUnverifiedEmail(this.clock.now());
			this.users.saveAndFlush(other);
			logger.warn("User {} registered an email nobody verified; it is released to a verified {} sign-in",
					other.getUsername(), provider);
		}
		String username = availableUsername(email, provider);
		// Always an ordinary user: the admin role comes from the bootstrap or an admin.
		UserAccount created = new UserAccount(username, email, null, USER, provider, subject, this.clock.now());
		// The provider verified the address: its domain may place the user in a tenant.
		Long tenant = this.signUpTenants.tenantFor(email);
		if (tenant != null) {
			created.setTenantId(tenant, this.clock.now());
		}
		UserAccount account = this.users.saveAndFlush(created);
		logger.info("Registered user {} through {}{}", account.getUsername(), provider,
				(tenant != null) ? " into tenant " + tenant : "");
		return signedIn(account);
	}

	/**
	 * The email's local part (reduced to the characters a username may have) with the
	 * provider, and a numeric suffix when that is taken.
	 */
	private String availableUsername(String email, String provider) {
		String local = email.substring(0, Math.max(0, email.indexOf('@'))).replaceAll("[^A-Za-z0-9._-]", "_");
		if (local.isEmpty()) {
			local = "user";
		}
		String suffix = "_" + provider;
		String base = local.substring(0, Math.min(local.length(), 64 - suffix.length() - 6)) + suffix;
		if (isFree(base)) {
			return base;
		}
		for (int n = 2; n < 100000; n++) {
			String candidate = base + "_" + n;
			if (isFree(candidate)) {
				return candidate;
			}
		}
		throw new IllegalStateException("no free username for " + base);
	}

	/** Free, and not a name reserved for the admin bootstrap. */
	private boolean isFree(String username) {
		return !this.adminBootstrap.isReserved(username) && !this.users.existsByUsernameIgnoreCase(username);
	}

	/**
	 * Gives the account named {@code username} the role {@code role}. Serialised against
	 * other role changes (the admins are locked), so two admins demoting each other at
	 * once cannot leave the service without one.
	 * @return the account's profile with its new role
	 * @throws UnknownAccountException no account has that name
	 * @throws LastAdminException the change would leave no admin
	 */
	@Transactional
	Profile changeRole(String actor, String username, String role) {
		List<UserAccount> admins = this.users.lockAdmins();
		UserAccount account = this.users.findByUsernameIgnoreCase(username)
			.orElseThrow(() -> new UnknownAccountException(username));
		if (role.equals(account.getRole())) {
			return profileOf(account);
		}
		if (USER.equals(role) && admins.size() <= 1) {
			throw new LastAdminException();
		}
		account.changeRole(role, this.clock.now());
		this.users.save(account);
		this.revocations.accountChanged(id(account));
		logger.info("User {} gave {} the role {}", actor, account.getUsername(), role);
		return profileOf(account);
	}

	private static Profile profileOf(UserAccount account) {
		return new Profile(id(account), account.getUsername(), account.getEmail(), account.getAuthProvider(),
				account.getRole());
	}

	private static SignedInUser signedIn(UserAccount account) {
		return new SignedInUser(id(account), account.getUsername(), ADMIN.equals(account.getRole()),
				account.getTokenVersion());
	}

	static long id(UserAccount account) {
		Long id = account.getId();
		if (id == null) {
			throw new IllegalStateException("account has not been saved");
		}
		return id;
	}

	static String normalize(String value) {
		return value.strip().toLowerCase(Locale.ROOT);
	}

	/** Who signed in. */
	record SignedInUser(long id, String username, boolean admin, int tokenVersion) {

	}

	/** No account has the name an admin asked about (404). */
	static class UnknownAccountException extends RuntimeException {

		UnknownAccountException(String username) {
			super("No user named " + username);
		}

	}

	/** A role change that would leave the service without an admin (409). */
	static class LastAdminException extends RuntimeException {

		LastAdminException() {
			super("The last admin cannot give up the admin role");
		}

	}

	/** What {@code /api/auth/me} shows the signed-in user about themselves. */
	record Profile(long id, String username, @Nullable String email, String authProvider, String role) {

	}

}
