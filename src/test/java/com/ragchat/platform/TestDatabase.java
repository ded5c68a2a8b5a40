package com.ragchat.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The one real PostgreSQL every integration test in this JVM uses, chosen once:
 * <ol>
 * <li>{@code TEST_DATABASE_URL}, when set (libpq or JDBC form);</li>
 * <li>a Testcontainers PostgreSQL 17 when a Docker engine answers;</li>
 * <li>otherwise an embedded PostgreSQL 17 in a scratch directory.</li>
 * </ol>
 * No test is skipped for lack of Docker: the same classes run in all three cases.
 */
public final class TestDatabase {

	private static final Logger logger = LoggerFactory.getLogger(TestDatabase.class);

	private static volatile Info info;

	private TestDatabase() {
	}

	/** JDBC URL, user and password of the shared test database. */
	public static synchronized Info get() {
		if (info == null) {
			info = start();
		}
		return info;
	}

	/**
	 * Creates a new, empty database on the same server and returns its connection
	 * details: for tests that must start from nothing (migrations) or must not see other
	 * tests' rows.
	 */
	public static Info createEmptyDatabase() {
		Info shared = get();
		String name = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
		try (Connection connection = DriverManager.getConnection(shared.url(), shared.username(), shared.password());
				Statement statement = connection.createStatement()) {
			statement.execute("create database " + name);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("could not create a test database", ex);
		}
		int slash = shared.url().lastIndexOf('/');
		int query = shared.url().indexOf('?', slash);
		String url = shared.url().substring(0, slash + 1) + name + ((query >= 0) ? shared.url().substring(query) : "");
		return new Info(url, shared.username(), shared.password(), shared.kind());
	}

	private static Info start() {
		String configured = System.getenv("TEST_DATABASE_URL");
		if (configured != null && !configured.isBlank()) {
			Map<String, Object> properties = DatabaseUrlEnvironmentPostProcessor
				.toDataSourceProperties(configured.strip());
			logger.info("Tests use TEST_DATABASE_URL");
			return new Info((String) properties.get("spring.datasource.url"),
					(String) properties.getOrDefault("spring.datasource.username", ""),
					(String) properties.getOrDefault("spring.datasource.password", ""), "TEST_DATABASE_URL");
		}
		if (dockerAvailable()) {
			PostgreSQLContainer container = new PostgreSQLContainer("postgres:17-alpine");
			container.start();
			logger.info("Tests use a Testcontainers PostgreSQL");
			return new Info(container.getJdbcUrl(), container.getUsername(), container.getPassword(), "testcontainers");
		}
		try {
			Path directory = Files.createTempDirectory("ragchat-test-pg");
			EmbeddedPostgresServer server = EmbeddedPostgresServer.start(directory, true);
			Runtime.getRuntime().addShutdownHook(new Thread(server::close, "test-postgres-stop"));
			logger.info("Tests use an embedded PostgreSQL (no Docker engine found)");
			return new Info(server.jdbcUrl(), server.username(), "", "embedded");
		}
		catch (IOException ex) {
			throw new IllegalStateException("could not create a directory for the test database", ex);
		}
	}

	/**
	 * Whether a Docker engine answers (for Testcontainers). Asking Testcontainers costs
	 * seconds of probing when no engine exists, so a socket or DOCKER_HOST is looked for
	 * first.
	 */
	public static boolean dockerAvailable() {
		boolean hint = System.getenv("DOCKER_HOST") != null || Files.exists(Path.of("/var/run/docker.sock"))
				|| Files.exists(Path.of(System.getProperty("user.home"), ".docker", "run", "docker.sock"));
		if (!hint) {
			return false;
		}
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (RuntimeException | LinkageError ex) {
			return false;
		}
	}

	/**
	 * Connection details of a test database.
	 *
	 * @param url JDBC URL
	 * @param username user name
	 * @param password password (may be empty)
	 * @param kind where it runs: {@code embedded}, {@code testcontainers} or
	 * {@code TEST_DATABASE_URL}
	 */
	public record Info(String url, String username, String password, String kind) {

	}

}
