package com.ragchat.auth;

import java.util.Locale;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.server.ResponseStatusException;

/**
 * Accounts: registration, password sign-in, the signed-in user's own profile, and the
 * mapping of OAuth identities to accounts. Every lookup starts from what the caller
 * proved (a password, a verified token, a provider identity), never from an id the caller
 * chose.
 */
@Service
class AccountService {

	static final String LOCAL = "local";

	private static final Logger logger = LoggerFactory.getLogger(AccountService.class);

	private final UserAccountRepository users;

	private final PasswordHasher passwords;

	private final AuthProperties properties;

	private final AuthClock clock;

	AccountService(UserAccountRepository users, PasswordHasher passwords, AuthProperties properties, AuthClock clock) {
		this.users = users;
		this.passwords = passwords;
		this.properties = properties;
		this.clock = clock;
	}

	/** Creates a local account; the username is checked before the email. */
	@Transactional
	long register(String username, String email, String password) {
		String cleanEmail = email.strip();
		if (this.users.existsByUsernameIgnoreCase(username)) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "Username already registered");
		}
		if (this.users.existsByEmailIgnoreCase(cleanEmail)) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "Email already registered");
		}
		UserAccount account = new UserAccount(username, cleanEmail, this.passwords.hash(password), roleFor(username),
				LOCAL, null, this.clock.now());
		try {
			account = this.users.saveAndFlush(account);
		}
		catch (DataIntegrityViolationException ex) {
			// Another registration with the same name or email won the race.
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, this.users.existsByUsernameIgnoreCase(username)
					? "Username already registered" : "Email already registered");
		}
		logger.info("Registered user {}", account.getUsername());
		return id(account);
	}

	/**
	 * The account whose username (or email) and password match. Unknown users, OAuth-only
	 * accounts and wrong passwords all cost one password comparison and give the same
	 * answer, so neither the reply nor its timing tells them apart.
	 */
	@Transactional
	Optional<SignedInUser> authenticate(String identifier, String password) {
		String name = identifier.strip();
		Optional<UserAccount> found = name.contains("@") ? this.users.findByEmailIgnoreCase(name)
				: this.users.findByUsernameIgnoreCase(name);
		@Nullable String hash = found.map(UserAccount::getPasswordHash).orElse(null);
		if (!this.passwords.matches(password, hash) || found.isEmpty()) {
			logger.info("Password sign-in refused");
			return Optional.empty();
		}
		UserAccount account = found.get();
		if (hash != null && this.passwords.needsRehash(hash)) {
			account.changePasswordHash(this.passwords.hash(password), this.clock.now());
		}
		syncRole(account);
		logger.info("User {} signed in with a password", account.getUsername());
		return Optional.of(signedIn(account));
	}

	/** The account behind a verified token or handoff code, if it still exists. */
	@Transactional
	Optional<SignedInUser> signedInUser(long userId) {
		return this.users.findById(userId).map((account) -> {
			syncRole(account);
			return signedIn(account);
		});
	}

	@Transactional(readOnly = true)
	Optional<Profile> profile(long userId) {
		return this.users.findById(userId)
			.map((account) -> new Profile(id(account), account.getUsername(), account.getEmail(),
					account.getAuthProvider(), roleFor(account.getUsername())));
	}

	boolean isAdmin(String username) {
		return this.properties.isAdmin(username);
	}

	private void syncRole(UserAccount account) {
		String role = roleFor(account.getUsername());
		if (!role.equals(account.getRole())) {
			account.changeRole(role, this.clock.now());
		}
	}

	String roleFor(String username) {
		return this.properties.isAdmin(username) ? "admin" : "user";
	}

	private SignedInUser signedIn(UserAccount account) {
		return new SignedInUser(id(account), account.getUsername(), this.properties.isAdmin(account.getUsername()));
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
	record SignedInUser(long id, String username, boolean admin) {

	}

	/** What {@code /api/auth/me} shows the signed-in user about themselves. */
	record Profile(long id, String username, String email, String authProvider, String role) {

	}

}
