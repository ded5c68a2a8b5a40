package com.ragchat.auth;

/**
 * What the accounts feature refuses, named for what happened. {@link AuthProblemAdvice}
 * turns each into its problem (API.md §3.2); the message is the detail the user reads. No
 * stack trace: these are answers, not failures.
 */
final class AccountRefusals {

	private AccountRefusals() {
	}

	/** Base of the refusals: a user-facing message and no stack trace. */
	abstract static class Refusal extends RuntimeException {

		private static final long serialVersionUID = 1L;

		Refusal(String detail) {
			super(detail, null, false, false);
		}

	}

	/** Registration with a username that exists (case-insensitively). */
	static final class UsernameTaken extends Refusal {

		private static final long serialVersionUID = 1L;

		UsernameTaken() {
			super("Username already registered");
		}

	}

	/** Registration with an email that exists (case-insensitively). */
	static final class EmailTaken extends Refusal {

		private static final long serialVersionUID = 1L;

		EmailTaken() {
			super("Email already registered");
		}

	}

	/** Username or email and password that do not match an account. */
	static final class IncorrectCredentials extends Refusal {

		private static final long serialVersionUID = 1L;

		IncorrectCredentials() {
			super(AuthController.INCORRECT_CREDENTIALS);
		}

	}

	/**
	 * A password sign-in for a name (or email) that failed too often lately: it must wait
	 * (429 with {@code Retry-After}).
	 */
	static final class SignInThrottled extends Refusal {

		private static final long serialVersionUID = 1L;

		private final long retryAfterSeconds;

		SignInThrottled(long retryAfterSeconds) {
			super("Too many failed sign-ins for this account. Please wait " + retryAfterSeconds
					+ " s before trying again.");
			this.retryAfterSeconds = retryAfterSeconds;
		}

		long retryAfterSeconds() {
			return this.retryAfterSeconds;
		}

	}

	/** Deleting an API key the caller does not have (404). */
	static final class UnknownApiKey extends Refusal {

		private static final long serialVersionUID = 1L;

		UnknownApiKey() {
			super("API key not found");
		}

	}

	/** Managing API keys with an API key rather than a sign-in (403). */
	static final class KeyCannotManageKeys extends Refusal {

		private static final long serialVersionUID = 1L;

		KeyCannotManageKeys() {
			super("API keys are managed after signing in, not with an API key.");
		}

	}

	/** A valid token whose account was deleted since. */
	static final class AccountGone extends Refusal {

		private static final long serialVersionUID = 1L;

		AccountGone() {
			super("Your account no longer exists. Please sign in.");
		}

	}

	/** A password change on an account that signs in through a provider. */
	static final class NoPasswordToChange extends Refusal {

		private static final long serialVersionUID = 1L;

		NoPasswordToChange(String authProvider) {
			super("This account signs in with " + authProvider + " and has no password to change.");
		}

	}

	/** A password change whose current password is wrong. */
	static final class WrongCurrentPassword extends Refusal {

		private static final long serialVersionUID = 1L;

		WrongCurrentPassword() {
			super(AccountService.WRONG_CURRENT_PASSWORD);
		}

	}

	/**
	 * A provider identity whose email belongs to another account: accounts are never
	 * linked silently.
	 */
	static final class EmailBelongsToAnotherAccount extends Refusal {

		private static final long serialVersionUID = 1L;

		EmailBelongsToAnotherAccount() {
			super(AccountService.EMAIL_CONFLICT);
		}

	}

	/** An OAuth route naming a provider this service does not know. */
	static final class UnknownOAuthProvider extends Refusal {

		private static final long serialVersionUID = 1L;

		UnknownOAuthProvider() {
			super("Unknown OAuth provider.");
		}

	}

	/** A handoff code that was never issued, was used, or expired. */
	static final class InvalidHandoffCode extends Refusal {

		private static final long serialVersionUID = 1L;

		InvalidHandoffCode() {
			super("Invalid or expired handoff code");
		}

	}

}
