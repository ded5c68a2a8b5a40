package com.ragchat.knowledge;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

import com.ragchat.platform.TestDatabase;

/**
 * A PostgreSQL with the pgvector extension available, for the tests of the pgvector path
 * (our CI has no Docker engine and the embedded PostgreSQL has no pgvector). Chosen once
 * per JVM:
 * <ol>
 * <li>{@code TEST_PGVECTOR_URL}, when set ({@code jdbc:postgresql://…} or
 * {@code postgresql://user:password@host:port/db}); each test gets a new database
 * there;</li>
 * <li>a Testcontainers {@code pgvector/pgvector:pg17} when a Docker engine answers;</li>
 * <li>otherwise PGlite (PostgreSQL compiled to WebAssembly) with its pgvector extension,
 * from the npm registry: installed with the system {@code npm} on first use into
 * {@code ~/.cache/ragchat/pglite/<hash of package.json>}, run by the system {@code node}
 * ({@code src/test/resources/pglite/server.mjs}) on a free loopback port, one process per
 * database.</li>
 * </ol>
 * Without Docker, node or npm the tests fail with a message saying what to install,
 * unless {@code -Dpgvector.tests.skip=true} says to skip them.
 * <p>
 * What PGlite needs: it is one PostgreSQL backend (one session, one database: the
 * database name in the URL is ignored, hence a process per test database). Our
 * {@code server.mjs} shares it between a few client connections, a unit at a time (a
 * connection's messages up to the one it waits on), and holds the others back while one
 * is inside a transaction; so the pool may have a few connections (a single one would
 * deadlock Flyway and the start-up import, which hold a lock on one connection while they
 * write on another). The socket server of {@code @electric-sql/pglite-socket} is not
 * used: it interleaves connections message by message, which breaks the JDBC driver's
 * Parse/Bind sequences under concurrency. The driver must not name its prepared
 * statements ({@code prepareThreshold=0}): names of one connection would collide with
 * another's in the shared session. No TLS ({@code sslmode=disable}). Flyway takes its
 * lock with {@code pg_advisory_xact_lock} in a transaction on one connection and migrates
 * on another, which would wait for that transaction to end (a deadlock): on PGlite it
 * takes the session-level lock instead
 * ({@code spring.flyway.postgresql.transactional-lock=false}).
 */
final class PgVectorTestDatabase {

	private static final Logger logger = LoggerFactory.getLogger(PgVectorTestDatabase.class);

	static final String SKIP_PROPERTY = "pgvector.tests.skip";

	/** The application's pool on PGlite (the rest is left to the tests' own queries). */
	static final int PGLITE_POOL_SIZE = 4;

	private static final Duration PGLITE_START_TIMEOUT = Duration.ofMinutes(2);

	private static final Duration NPM_INSTALL_TIMEOUT = Duration.ofMinutes(10);

	private static volatile Server server;

	private PgVectorTestDatabase() {
	}

	/**
	 * A database with pgvector available (not yet created in it), or on PGlite started
	 * without it ({@link #createEmptyDatabase(boolean)}).
	 */
	static final class Database implements AutoCloseable {

		private final String username;

		private final String password;

		private final String kind;

		private final Map<String, String> properties;

		private final Pglite pglite;

		private final Path dataDirectory;

		private String url;

		private Process process;

		private Database(String url, String username, String password, String kind, Map<String, String> properties,
				Pglite pglite, Path dataDirectory) {
			this.url = url;
			this.username = username;
			this.password = password;
			this.kind = kind;
			this.properties = properties;
			this.pglite = pglite;
			this.dataDirectory = dataDirectory;
		}

		String url() {
			return this.url;
		}

		/** {@code TEST_PGVECTOR_URL}, {@code testcontainers} or {@code pglite}. */
		String kind() {
			return this.kind;
		}

		Connection connect() throws SQLException {
			return DriverManager.getConnection(this.url, this.username, this.password);
		}

		/** Command-line arguments pointing an application at this database. */
		List<String> arguments() {
			List<String> arguments = new java.util.ArrayList<>(List.of("--spring.datasource.url=" + this.url,
					"--spring.datasource.username=" + this.username, "--spring.datasource.password=" + this.password));
			this.properties.forEach((name, value) -> arguments.add("--" + name + "=" + value));
			return arguments;
		}

		/**
		 * PGlite only: stops the server and starts it again on the same data, with the
		 * vector extension available or not (as when a server's administrator installs
		 * pgvector).
		 */
		void restart(boolean vector) {
			if (this.pglite == null) {
				throw new IllegalStateException("only a PGlite database can be restarted with or without pgvector");
			}
			stop(this.process);
			Started started = launch(this.pglite, this.dataDirectory, vector);
			this.url = started.url();
			this.process = started.process();
		}

		@Override
		public void close() {
			if (this.process != null) {
				stop(this.process);
			}
		}

	}

	private record Started(String url, Process process) {
	}

	/** Where the databases come from, chosen once. */
	private sealed interface Server permits External, Pglite {

	}

	private record External(String url, String username, String password, String kind) implements Server {
	}

	private record Pglite(String node, Path directory) implements Server {
	}

	/**
	 * A new, empty database with pgvector available; close it when done (that stops its
	 * PGlite process).
	 */
	static Database createEmptyDatabase() {
		Server chosen = server();
		if (chosen instanceof External external) {
			String name = "v_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
			try (Connection connection = DriverManager.getConnection(external.url(), external.username(),
					external.password()); Statement statement = connection.createStatement()) {
				statement.execute("create database " + name);
			}
			catch (SQLException ex) {
				throw new IllegalStateException("could not create a test database on the pgvector server", ex);
			}
			int slash = external.url().lastIndexOf('/');
			int query = external.url().indexOf('?', slash);
			String url = external.url().substring(0, slash + 1) + name
					+ ((query >= 0) ? external.url().substring(query) : "");
			return new Database(url, external.username(), external.password(), external.kind(), Map.of(), null, null);
		}
		return createEmptyDatabase(true);
	}

	/** Whether databases come from PGlite, which can be started without pgvector. */
	static boolean onPglite() {
		return server() instanceof Pglite;
	}

	/**
	 * PGlite only: a new, empty database kept in a directory, with the vector extension
	 * available or not; {@link Database#restart(boolean)} changes that.
	 */
	static Database createEmptyDatabase(boolean vector) {
		if (!(server() instanceof Pglite pglite)) {
			throw new IllegalStateException("only PGlite can start without pgvector");
		}
		try {
			Path data = Files.createDirectories(Path.of("target", "pglite"))
				.resolve("data-" + UUID.randomUUID().toString().substring(0, 8))
				.toAbsolutePath();
			Started started = launch(pglite, data, vector);
			Database database = new Database(started.url(), "postgres", "postgres", "pglite",
					Map.of("spring.datasource.hikari.maximum-pool-size", Integer.toString(PGLITE_POOL_SIZE),
							"spring.flyway.postgresql.transactional-lock", "false"),
					pglite, data);
			database.process = started.process();
			return database;
		}
		catch (IOException ex) {
			throw new IllegalStateException("could not create a directory for PGlite", ex);
		}
	}

	private static synchronized Server server() {
		if (server == null) {
			server = choose();
		}
		return server;
	}

	private static Server choose() {
		String configured = System.getenv("TEST_PGVECTOR_URL");
		if (configured != null && !configured.isBlank()) {
			logger.info("pgvector tests use TEST_PGVECTOR_URL");
			return external(configured.strip());
		}
		if (TestDatabase.dockerAvailable()) {
			PostgreSQLContainer container = new PostgreSQLContainer(
					DockerImageName.parse("pgvector/pgvector:pg17").asCompatibleSubstituteFor("postgres"));
			container.start();
			logger.info("pgvector tests use a Testcontainers pgvector/pgvector:pg17");
			return new External(container.getJdbcUrl(), container.getUsername(), container.getPassword(),
					"testcontainers");
		}
		Assumptions.assumeFalse(Boolean.getBoolean(SKIP_PROPERTY),
				"pgvector tests skipped (-D" + SKIP_PROPERTY + "=true)");
		String node = requireTool("node", "--version");
		requireTool("npm", "--version");
		Path directory = installPglite();
		logger.info("pgvector tests use PGlite from {} (no TEST_PGVECTOR_URL, no Docker engine)", directory);
		return new Pglite(node, directory);
	}

	private static External external(String configured) {
		if (configured.startsWith("jdbc:")) {
			return new External(configured, "", "", "TEST_PGVECTOR_URL");
		}
		URI uri = URI.create(configured);
		String user = "";
		String password = "";
		if (uri.getRawUserInfo() != null) {
			String[] parts = uri.getRawUserInfo().split(":", 2);
			user = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
			password = (parts.length > 1) ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "";
		}
		String url = "jdbc:postgresql://" + uri.getHost() + ((uri.getPort() > 0) ? ":" + uri.getPort() : "")
				+ uri.getRawPath() + ((uri.getRawQuery() != null) ? "?" + uri.getRawQuery() : "");
		return new External(url, user, password, "TEST_PGVECTOR_URL");
	}

	/** The tool's path-free name once it answered, or a failure saying what to do. */
	private static String requireTool(String tool, String versionFlag) {
		try {
			Process process = new ProcessBuilder(tool, versionFlag).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
			if (process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0) {
				logger.info("pgvector tests: {} {}", tool, output);
				return tool;
			}
		}
		catch (IOException ex) {
			// Not on the PATH: said below.
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		throw new IllegalStateException("The pgvector tests need PGlite, run by Node.js: '" + tool
				+ "' was not found on the PATH (or did not answer '" + versionFlag
				+ "'). Install Node.js 18 or later with npm (e.g. 'apt-get install -y "
				+ "nodejs npm'), or set TEST_PGVECTOR_URL to a PostgreSQL with pgvector, or run Docker; "
				+ "or skip these tests with -D" + SKIP_PROPERTY + "=true");
	}

	/**
	 * Installs PGlite (the versions of {@code pglite/package.json}) once per version into
	 * the user's cache; JVMs running at once take turns on a file lock.
	 */
	private static Path installPglite() {
		try {
			byte[] packageJson = resource("pglite/package.json");
			byte[] script = resource("pglite/server.mjs");
			String hash = HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(packageJson))
				.substring(0, 12);
			Path directory = Path.of(System.getProperty("user.home"), ".cache", "ragchat", "pglite", hash);
			Files.createDirectories(directory);
			try (FileChannel channel = FileChannel.open(directory.resolve(".lock"), StandardOpenOption.CREATE,
					StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
				Files.write(directory.resolve("server.mjs"), script);
				Path installed = directory.resolve(".installed");
				if (!Files.exists(installed)) {
					Files.write(directory.resolve("package.json"), packageJson);
					Path log = directory.resolve("npm-install.log");
					logger.info("Installing PGlite with npm into {} (first use)", directory);
					Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--prefix",
							directory.toString())
						.directory(directory.toFile())
						.redirectErrorStream(true)
						.redirectOutput(log.toFile())
						.start();
					npm.getOutputStream().close();
					if (!npm.waitFor(NPM_INSTALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
						npm.destroyForcibly();
						throw new IllegalStateException("npm install of PGlite did not finish in "
								+ NPM_INSTALL_TIMEOUT.toMinutes() + " minutes; see " + log);
					}
					if (npm.exitValue() != 0) {
						throw new IllegalStateException("npm install of PGlite failed (exit " + npm.exitValue()
								+ "); the pgvector tests need the npm registry once. Log " + log + ":\n" + tail(log));
					}
					Files.writeString(installed, "ok\n");
				}
			}
			return directory;
		}
		catch (IOException ex) {
			throw new IllegalStateException("could not install PGlite for the pgvector tests", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while installing PGlite", ex);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static byte[] resource(String name) throws IOException {
		try (InputStream in = PgVectorTestDatabase.class.getClassLoader().getResourceAsStream(name)) {
			if (in == null) {
				throw new IllegalStateException(name + " is missing from the test class path");
			}
			return in.readAllBytes();
		}
	}

	private static Started launch(Pglite pglite, Path data, boolean vector) {
		try {
			Path logs = Files.createDirectories(Path.of("target", "pglite"));
			String id = UUID.randomUUID().toString().substring(0, 8);
			Path out = logs.resolve("pglite-" + id + ".out");
			Path err = logs.resolve("pglite-" + id + ".err");
			List<String> command = new java.util.ArrayList<>(
					List.of(pglite.node(), "server.mjs", "--data-dir", data.toString()));
			if (!vector) {
				command.add("--no-vector");
			}
			Process process = new ProcessBuilder(command).directory(pglite.directory().toFile())
				.redirectOutput(out.toFile())
				.redirectError(err.toFile())
				.start();
			// Standard input stays open: the server stops when it closes, so a test JVM
			// that dies leaves no process behind.
			Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(process), "pglite-stop"));
			long deadline = System.nanoTime() + PGLITE_START_TIMEOUT.toNanos();
			while (System.nanoTime() < deadline) {
				String ready = Files.readAllLines(out)
					.stream()
					.filter((line) -> line.startsWith("PGLITE_READY "))
					.findFirst()
					.orElse(null);
				if (ready != null) {
					String[] parts = ready.split(" ", 3);
					logger.info("PGlite ready on port {} ({}): {}", parts[1], vector ? "with pgvector" : "no pgvector",
							parts[2]);
					return new Started(
							"jdbc:postgresql://127.0.0.1:" + parts[1] + "/postgres?sslmode=disable&prepareThreshold=0",
							process);
				}
				if (!process.isAlive()) {
					throw new IllegalStateException("PGlite stopped before it was ready (exit " + process.exitValue()
							+ "):\n" + tail(err) + tail(out));
				}
				Thread.sleep(100);
			}
			stop(process);
			throw new IllegalStateException(
					"PGlite was not ready within " + PGLITE_START_TIMEOUT.toSeconds() + " s:\n" + tail(err));
		}
		catch (IOException ex) {
			throw new IllegalStateException("could not start PGlite with node", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while starting PGlite", ex);
		}
	}

	private static void stop(Process process) {
		if (!process.isAlive()) {
			return;
		}
		try {
			process.getOutputStream().close();
			if (!process.waitFor(10, TimeUnit.SECONDS)) {
				process.destroy();
				if (!process.waitFor(5, TimeUnit.SECONDS)) {
					process.destroyForcibly();
				}
			}
		}
		catch (IOException ex) {
			process.destroyForcibly();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			process.destroyForcibly();
		}
	}

	private static String tail(Path file) {
		try {
			List<String> lines = Files.readAllLines(file);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())) + "\n";
		}
		catch (IOException ex) {
			return "";
		}
	}

}
