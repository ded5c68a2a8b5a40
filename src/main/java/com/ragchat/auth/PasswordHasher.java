package com.ragchat.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

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
 * <p>
 * The hashing runs on a few platform threads of its own, never on the virtual thread of
 * the request: tens of milliseconds of pure CPU per call would otherwise pin the carrier
 * threads (one per core) and stall every other request while sign-ins queue. The load
 * harness measured it: under a 100-user ramp, creating a session waited 1.7 s (p95)
 * behind sign-ins.
 */
class PasswordHasher implements AutoCloseable {

	/**
	 * One generator for the process: seeding a new one per use costs entropy for nothing.
	 */
	private static final SecureRandom RANDOM = new SecureRandom();

	private final BCryptPasswordEncoder bcrypt;

	private final String dummyHash;

	private final ExecutorService hashing;

	PasswordHasher(int cost) {
		this.bcrypt = new BCryptPasswordEncoder(BCryptPasswordEncoder.BCryptVersion.$2B, cost);
		byte[] random = new byte[24];
		RANDOM.nextBytes(random);
		this.dummyHash = this.bcrypt.encode(prehash(Base64.getEncoder().encodeToString(random)));
		int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
		AtomicInteger count = new AtomicInteger();
		this.hashing = Executors.newFixedThreadPool(threads, (task) -> {
			Thread thread = new Thread(task, "password-hashing-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
	}

	String hash(String password) {
		return onHashingThread(() -> this.bcrypt.encode(prehash(password)));
	}

	/**
	 * Whether {@code password} matches {@code hash}; always does the work of one BCrypt
	 * comparison, also when there is no hash.
	 */
	boolean matches(String password, @Nullable String hash) {
		if (hash == null || hash.isEmpty()) {
			onHashingThread(() -> this.bcrypt.matches(prehash(password), this.dummyHash));
			return false;
		}
		return onHashingThread(() -> this.bcrypt.matches(prehash(password), hash));
	}

	private <T> T onHashingThread(Callable<T> work) {
		Future<T> result = this.hashing.submit(work);
		try {
			return result.get();
		}
		catch (InterruptedException ex) {
			result.cancel(true);
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while hashing a password", ex);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new IllegalStateException("password hashing failed", ex.getCause());
		}
	}

	@Override
	public void close() {
		this.hashing.shutdownNow();
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
