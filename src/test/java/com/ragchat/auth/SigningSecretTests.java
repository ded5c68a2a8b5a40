package com.ragchat.auth;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.ragchat.platform.InvalidConfigurationException;
import com.ragchat.platform.PlatformProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

public class SigningSecretTests {

	/** A random key (48 bytes of base64url), as production should have. */
	public static final String RANDOM_KEY = "Zq4x9Lw2Pm7Rt5Yb8Nc3Vd6Hf1Gk0Js-Ua_EoIiTyQeWrXzAbCdMnOpSvBu";

	@Test
	void productionRefusesPlaceholdersAndLowEntropyKeysOfAnyLength() {
		for (String key : new String[] { "your-secret-key-here-change-in-production", "changeme".repeat(6),
				"a".repeat(64), "abababababababababababababababababababab", "test-only-signing-key-0123456789-abcdefgh",
				"passwordpasswordpasswordpassword1" }) {
			assertThatThrownBy(() -> SigningSecret.resolve(key, platform("production"))).as(key)
				.isInstanceOf(InvalidConfigurationException.class)
				.hasMessageContaining("SECRET_KEY")
				.hasMessageNotContaining(key);
			// Elsewhere it is only a warning.
			assertThat(SigningSecret.resolve(key, platform("development"))).hasSize(key.length());
		}
		assertThat(SigningSecret.resolve(RANDOM_KEY, platform("production"))).hasSize(RANDOM_KEY.length());
	}

	@TempDir
	Path dataDir;

	@Test
	void aConfiguredKeyIsUsedAsItIs() {
		String key = "0123456789abcdef0123456789abcdef";
		assertThat(SigningSecret.resolve(key, platform("production"))).isEqualTo(key.getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void productionRefusesToStartWithoutAKey() {
		assertThatThrownBy(() -> SigningSecret.resolve(null, platform("production")))
			.isInstanceOf(InvalidConfigurationException.class)
			.hasMessageContaining("SECRET_KEY")
			.hasMessageContaining("required in production");
		assertThat(this.dataDir.resolve(SigningSecret.FILE_NAME)).doesNotExist();
	}

	@Test
	void aShortKeyIsRefusedEverywhere() {
		for (String env : new String[] { "production", "development" }) {
			assertThatThrownBy(() -> SigningSecret.resolve("too-short", platform(env)))
				.isInstanceOf(InvalidConfigurationException.class)
				.hasMessageContaining("at least 32 bytes")
				.hasMessageNotContaining("too-short");
		}
	}

	@Test
	void developmentGeneratesAKeyOnceAndKeepsItPrivate() throws Exception {
		byte[] first = SigningSecret.resolve(null, platform("development"));
		byte[] second = SigningSecret.resolve(null, platform("development"));
		assertThat(first.length).isGreaterThanOrEqualTo(32);
		assertThat(second).isEqualTo(first);
		Path file = this.dataDir.resolve(SigningSecret.FILE_NAME);
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
		try (var files = Files.list(this.dataDir)) {
			assertThat(files).containsExactly(file);
		}
	}

	private PlatformProperties platform(String env) {
		return new PlatformProperties(env, this.dataDir, null);
	}

}
