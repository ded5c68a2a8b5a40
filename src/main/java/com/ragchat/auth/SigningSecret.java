package com.ragchat.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.ragchat.platform.InvalidConfigurationException;
import com.ragchat.platform.PlatformProperties;

/**
 * Where the token signing key comes from: {@code SECRET_KEY}, or outside production a key
 * generated once and kept in the data directory (readable by its owner only) so that
 * sign-ins survive a restart. Production refuses to start without a proper key.
 */
final class SigningSecret {

	/**
	 * One generator for the process: seeding a new one per use costs entropy for nothing.
	 */
	private static final SecureRandom RANDOM = new SecureRandom();

	static final int MINIMUM_BYTES = 32;

	static final String FILE_NAME = "secret_key";

	private static final Logger logger = LoggerFactory.getLogger(SigningSecret.class);

	private SigningSecret() {
	}

	static byte[] resolve(@Nullable String configured, PlatformProperties platform) {
		if (configured != null) {
			byte[] bytes = configured.getBytes(StandardCharsets.UTF_8);
			if (bytes.length < MINIMUM_BYTES) {
				throw new InvalidConfigurationException("SECRET_KEY",
						"must be at least " + MINIMUM_BYTES + " bytes long (it has " + bytes.length + ")");
			}
			String weakness = weakness(configured);
			if (weakness != null) {
				if (platform.isProduction()) {
					throw new InvalidConfigurationException("SECRET_KEY",
							weakness + ": use a random value, e.g. openssl rand -base64 48");
				}
				logger.warn("SECRET_KEY {}; production would refuse it", weakness);
			}
			return bytes;
		}
		if (platform.isProduction()) {
			throw new InvalidConfigurationException("SECRET_KEY",
					"is required in production: set a random value of at least " + MINIMUM_BYTES + " bytes");
		}
		return loadOrGenerate(platform.dataDir().resolve(FILE_NAME));
	}

	/** Words that mark a value copied from documentation or an example file. */
	private static final java.util.List<String> PLACEHOLDERS = java.util.List.of("changeme", "change-me", "change_me",
			"change-this", "changethis", "replace-me", "replaceme", "your-secret", "your_secret", "yoursecret",
			"secret-key", "secret_key", "secretkey", "placeholder", "example", "dummy", "insecure", "do-not-use",
			"test-only", "default", "password", "xxxxxxxx");

	/**
	 * Estimated bits of a key, from the frequency of its characters (Shannon): a random
	 * 32-byte value in base64 estimates well above 128; {@code aaaa…} or a word repeated
	 * estimates far below.
	 */
	static final double MINIMUM_ESTIMATED_BITS = 128;

	/** Why a configured key is weak (a placeholder, too little entropy), or null. */
	static @Nullable String weakness(String key) {
		String lower = key.toLowerCase(java.util.Locale.ROOT);
		for (String placeholder : PLACEHOLDERS) {
			if (lower.contains(placeholder)) {
				return "looks like a placeholder (contains \"" + placeholder + "\")";
			}
		}
		int[] counts = key.codePoints()
			.collect(java.util.HashMap<Integer, Integer>::new, (map, c) -> map.merge(c, 1, Integer::sum),
					java.util.HashMap::putAll)
			.values()
			.stream()
			.mapToInt(Integer::intValue)
			.toArray();
		int length = key.codePointCount(0, key.length());
		double bitsPerCharacter = 0;
		for (int count : counts) {
			double p = (double) count / length;
			bitsPerCharacter -= p * (Math.log(p) / Math.log(2));
		}
		if (counts.length < 12 || bitsPerCharacter * length < MINIMUM_ESTIMATED_BITS) {
			return "has too little entropy (" + counts.length + " distinct characters, about "
					+ Math.round(bitsPerCharacter * length) + " bits)";
		}
		return null;
	}

	private static byte[] loadOrGenerate(Path file) {
		try {
			if (!Files.exists(file)) {
				generate(file);
			}
			byte[] bytes = Files.readString(file, StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8);
			if (bytes.length < MINIMUM_BYTES) {
				throw new InvalidConfigurationException("SECRET_KEY", "is not set and the generated key in " + file
						+ " is shorter than " + MINIMUM_BYTES + " bytes; delete the file or set SECRET_KEY");
			}
			logger.warn("SECRET_KEY is not set: signing tokens with the development key kept in {}. "
					+ "Set SECRET_KEY for any shared or production deployment.", file.toAbsolutePath());
			return bytes;
		}
		catch (IOException ex) {
			throw new InvalidConfigurationException("SECRET_KEY", "is not set and no development key could be kept in "
					+ file.toAbsolutePath() + " (" + ex.getClass().getSimpleName() + ")");
		}
	}

	private static void generate(Path file) throws IOException {
		Path directory = file.toAbsolutePath().getParent();
		Files.createDirectories(directory);
		byte[] random = new byte[48];
		RANDOM.nextBytes(random);
		String key = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
		// Written beside the target and moved into place, so that another instance
		// sharing the data directory never reads a half-written key.
		Path temporary;
		if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
			Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
			temporary = Files.createTempFile(directory, FILE_NAME, ".tmp",
					PosixFilePermissions.asFileAttribute(ownerOnly));
		}
		else {
			temporary = Files.createTempFile(directory, FILE_NAME, ".tmp");
		}
		try {
			Files.writeString(temporary, key + "\n", StandardCharsets.UTF_8);
			Files.move(temporary, file);
		}
		catch (FileAlreadyExistsException ex) {
			// Another instance was faster: its key is the one to use.
		}
		finally {
			Files.deleteIfExists(temporary);
		}
	}

}
