package com.ragchat.platform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL server of the zero-setup mode: real PostgreSQL binaries from a Maven
 * artifact, data kept in a directory across restarts, stopped with the application.
 */
final class EmbeddedPostgresServer implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

	private final EmbeddedPostgres postgres;

	private final Path dataDirectory;

	private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDirectory) {
		this.postgres = postgres;
		this.dataDirectory = dataDirectory;
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
				.setDataDirectory(directory)
				.setCleanDataDirectory(scratch)
				.setPGStartupWait(Duration.ofSeconds(60))
				.setServerConfig("listen_addresses", "localhost")
				.setServerConfig("max_connections", "200");
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
			return new EmbeddedPostgresServer(postgres, directory);
		}
		catch (IOException | RuntimeException ex) {
			throw new InvalidConfigurationException("EMBEDDED_DB_DIR", "the embedded PostgreSQL could not start in "
					+ directory + " (is another instance using it, or is the disk full?) -- or set DATABASE_URL");
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
