package com.ragchat.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

import org.jspecify.annotations.Nullable;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * Password hashes: Spring Security's BCrypt over the Base64 of the password's SHA-256.
 * BCrypt reads at most 72 bytes (Spring's encoder refuses longer input), while passwords
 * may have 128 characters; the digest keeps every character significant and always fits.
 * <p>
 * Checking a password against a missing hash (unknown user, OAuth-only account) still
 * runs one full BCrypt comparison against a dummy hash of the same cost, so a failed
 * sign-in takes the same time whatever the reason.
 */
class PasswordHasher {

	/**
	 * One generator for the process: seeding a new one per use costs entropy for nothing.
	 */
	private static final SecureRandom RANDOM = new SecureRandom();

	private final BCryptPasswordEncoder bcrypt;

	private final String dummyHash;

	PasswordHasher(int cost) {
		this.bcrypt = new BCryptPasswordEncoder(BCryptPasswordEncoder.BCryptVersion.$2B, cost);
		byte[] random = new byte[24];
		RANDOM.nextBytes(random);
		this.dummyHash = this.bcrypt.encode(prehash(Base64.getEncoder().encodeToString(random)));
	}

	String hash(String password) {
		return this.bcrypt.encode(prehash(password));
	}

	/**
	 * Whether {@code password} matches {@code hash}; always does the work of one BCrypt
	 * comparison, also when there is no hash.
	 */
	boolean matches(String password, @Nullable String hash) {
		if (hash == null || hash.isEmpty()) {
			this.bcrypt.matches(prehash(password), this.dummyHash);
			return false;
		}
		return this.bcrypt.matches(prehash(password), hash);
	}

	/** Whether a stored hash was made with a lower cost than the configured one. */
	boolean needsRehash(String hash) {
		return this.bcrypt.upgradeEncoding(hash);
	}

	static String prehash(String password) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8));
			return Base64.getEncoder().encodeToString(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is unavailable", ex);
		}
	}

}
