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
			return bytes;
		}
		if (platform.isProduction()) {
			throw new InvalidConfigurationException("SECRET_KEY",
					"is required in production: set a random value of at least " + MINIMUM_BYTES + " bytes");
		}
		return loadOrGenerate(platform.dataDir().resolve(FILE_NAME));
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
