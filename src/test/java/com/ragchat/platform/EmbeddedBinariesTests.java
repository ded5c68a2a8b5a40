package com.ragchat.platform;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The embedded PostgreSQL binaries (issue 14): the build takes those of the platform that
 * builds it only, and a jar without binaries for the platform it runs on fails with one
 * line naming DATABASE_URL.
 */
class EmbeddedBinariesTests {

	/**
	 * The archives the binaries artifacts carry, by operating system (library's names).
	 */
	private static final Map<String, List<String>> ARCHIVES = Map.of("linux",
			List.of("postgres-linux-x86_64.txz", "postgres-linux-arm_64.txz", "postgres-linux-x86_64-alpine_linux.txz",
					"postgres-linux-arm_64-alpine_linux.txz"),
			"darwin", List.of("postgres-darwin-x86_64.txz", "postgres-darwin-arm_64.txz"), "windows",
			List.of("postgres-windows-x86_64.txz"));

	@Test
	void theClassPathCarriesTheBinariesOfThisOperatingSystemOnly() {
		String osName = System.getProperty("os.name").toLowerCase(Locale.ROOT);
		String system = osName.startsWith("linux") ? "linux"
				: osName.startsWith("mac") ? "darwin" : osName.startsWith("windows") ? "windows" : null;
		assumeTrue(system != null, "no platform profile for " + osName);
		ClassLoader loader = getClass().getClassLoader();
		ARCHIVES.forEach((os, archives) -> {
			List<String> present = archives.stream().filter((name) -> loader.getResource(name) != null).toList();
			if (os.equals(system)) {
				assertThat(present).as("binaries for this system (%s)", os).isNotEmpty();
			}
			else {
				assertThat(present).as("binaries for another system (%s): pom.xml's platform-* profiles", os).isEmpty();
			}
		});
	}

	@Test
	void missingBinariesFailWithOneLineNamingDatabaseUrl() {
		PgBinaryResolver none = (system, architecture) -> {
			throw new IllegalStateException("Missing embedded postgres binaries");
		};
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> EmbeddedPostgresServer.binaries(none).getPgBinary("Darwin", "arm_64"))
			.satisfies((ex) -> {
				assertThat(ex.setting()).isEqualTo("DATABASE_URL");
				assertThat(ex.getMessage()).doesNotContain("\n")
					.contains("no embedded PostgreSQL for Darwin arm_64 (Missing embedded postgres binaries)")
					.contains("set DATABASE_URL");
			});
	}

	@Test
	void foundBinariesArePassedOn() throws IOException {
		InputStream archive = new ByteArrayInputStream(new byte[] { 1 });
		PgBinaryResolver one = (system, architecture) -> archive;
		assertThat(EmbeddedPostgresServer.binaries(one).getPgBinary("Linux", "x86_64")).isSameAs(archive);
	}

}
