package com.ragchat.platform;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.ragchat.Application;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 20, finding 5: the embedded PostgreSQL trusted every local connection as
 * superuser. Now a local client without the password is refused, the password is kept
 * owner-only, the server listens on loopback only, and production refuses the embedded
 * database unless explicitly allowed.
 */
class EmbeddedDatabaseSecurityTests {

	@Test
	void localConnectionsNeedThePasswordKeptOwnerOnly(@TempDir Path dataDir) throws Exception {
		Path cluster = dataDir.resolve("postgres");
		String[] args = { "--DATABASE_URL=", "--spring.datasource.url=", "--EMBEDDED_DB_DIR=" + cluster };
		int port;
		try (ConfigurableApplicationContext first = start(args)) {
			EmbeddedPostgresServer server = first.getBean(EmbeddedPostgresServer.class);
			port = server.port();
			assertRefusedWithoutPassword(port);
			Path passwordFile = EmbeddedPostgresServer.passwordFile(cluster);
			assertThat(Files.getPosixFilePermissions(passwordFile))
				.isEqualTo(PosixFilePermissions.fromString("rw-------"));
			String password = Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
			assertThat(password).hasSizeGreaterThanOrEqualTo(40);
			try (Connection connection = connect(port, password); Statement statement = connection.createStatement()) {
				ResultSet listen = statement.executeQuery("show listen_addresses");
				listen.next();
				assertThat(listen.getString(1)).isEqualTo("localhost");
				ResultSet method = statement.executeQuery("select distinct auth_method from pg_hba_file_rules");
				method.next();
				assertThat(method.getString(1)).isEqualTo("scram-sha-256");
				assertThat(method.next()).isFalse();
			}
		}
		// A restart requires the password from the first connection on.
		try (ConfigurableApplicationContext second = start(args)) {
			assertRefusedWithoutPassword(second.getBean(EmbeddedPostgresServer.class).port());
		}
	}

	@Test
	void productionRefusesTheEmbeddedDatabaseUnlessAllowed(@TempDir Path dataDir) {
		assertThatThrownBy(() -> start("--DATABASE_URL=", "--spring.datasource.url=",
				"--EMBEDDED_DB_DIR=" + dataDir.resolve("postgres"), "--APP_ENV=production", "--METRICS_PUBLIC=true",
				"--ADMIN_USERNAMES=", "--SECRET_KEY=Zq4x9Lw2Pm7Rt5Yb8Nc3Vd6Hf1Gk0Js-Ua_EoIiTyQeWrXz"))
			.rootCause()
			.isInstanceOf(InvalidConfigurationException.class)
			.hasMessageContaining("EMBEDDED_DB_ALLOWED_IN_PRODUCTION");
		assertThat(Files.exists(dataDir.resolve("postgres"))).isFalse();
	}

	private static void assertRefusedWithoutPassword(int port) {
		assertThatThrownBy(() -> connect(port, "")).isInstanceOf(SQLException.class).hasMessageContaining("password");
		assertThatThrownBy(() -> connect(port, "wrong-password")).isInstanceOf(SQLException.class)
			.hasMessageContaining("password authentication failed");
	}

	private static Connection connect(int port, String password) throws SQLException {
		Properties properties = new Properties();
		properties.setProperty("user", "postgres");
		properties.setProperty("password", password);
		return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", properties);
	}

	private static ConfigurableApplicationContext start(String... args) {
		String[] all = java.util.Arrays.copyOf(args, args.length + 1);
		all[args.length] = "--server.port=0";
		return new SpringApplicationBuilder(Application.class)
			.properties(TestDatabaseEnvironmentPostProcessor.OWN_DATASOURCE + "=true")
			.run(all);
	}

}
