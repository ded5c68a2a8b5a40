package com.ragchat.platform;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The application in a process of its own, started as a deployment starts it: the main
 * classes and their libraries (not the test classes, so none of the test configuration
 * applies), {@code com.ragchat.Application}, settings from the environment, and the
 * zero-setup embedded PostgreSQL under {@code DATA_DIR}. A test can then signal it like
 * an orchestrator does.
 */
final class ApplicationProcess implements AutoCloseable {

	private final Process process;

	private final int port;

	private final Path log;

	private ApplicationProcess(Process process, int port, Path log) {
		this.process = process;
		this.port = port;
		this.log = log;
	}

	/**
	 * Starts the application on a free port with {@code environment} on top of this
	 * process's environment (minus any database or Spring settings), working in
	 * {@code workDir} and logging to {@code workDir/<name>.log}.
	 */
	static ApplicationProcess start(String name, Path workDir, Map<String, String> environment) throws IOException {
		Files.createDirectories(workDir);
		int port = freePort();
		Path log = workDir.resolve(name + ".log");
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.add("-Xmx512m");
		command.add("-XX:TieredStopAtLevel=1");
		command.add("-cp");
		command.add(applicationClassPath());
		command.add("com.ragchat.Application");
		ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile());
		builder.environment()
			.keySet()
			.removeIf((key) -> key.startsWith("SPRING_") || key.equals("DATABASE_URL") || key.equals("DOTENV_PATH"));
		builder.environment().put("PORT", Integer.toString(port));
		builder.environment().putAll(environment);
		return new ApplicationProcess(builder.start(), port, log);
	}

	/** Waits until {@code /api/health/ready} answers 200. */
	void awaitReady(Duration timeout) throws InterruptedException {
		HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(
						"the application exited with " + this.process.exitValue() + ":\n" + log());
			}
			try {
				HttpResponse<Void> response = client
					.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/api/health/ready"))
						.timeout(Duration.ofSeconds(3))
						.build(), HttpResponse.BodyHandlers.discarding());
				if (response.statusCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			Thread.sleep(100);
		}
		throw new IllegalStateException("the application was not ready within " + timeout + ":\n" + log());
	}

	int port() {
		return this.port;
	}

	String baseUrl() {
		return "http://127.0.0.1:" + this.port;
	}

	/** Sends SIGTERM, as {@code docker stop} or Kubernetes do. */
	void terminate() {
		this.process.destroy();
	}

	/** Waits for the process to exit by itself; returns its exit code, or null. */
	Integer awaitExit(Duration timeout) throws InterruptedException {
		return this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? this.process.exitValue() : null;
	}

	String log() {
		try {
			return Files.readString(this.log, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return "(no log: " + ex + ")";
		}
	}

	@Override
	public void close() throws InterruptedException {
		if (this.process.isAlive()) {
			this.process.destroy();
			if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
			}
		}
	}

	/**
	 * This JVM's class path without the test classes. Surefire hands its forked JVM the
	 * class path in {@code surefire.test.class.path} (its own {@code java.class.path} may
	 * be a manifest-only jar).
	 */
	private static String applicationClassPath() {
		String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
		return Arrays.stream(classPath.split(File.pathSeparator))
			.filter((entry) -> !entry.isBlank())
			.filter((entry) -> !Path.of(entry).getFileName().toString().equals("test-classes"))
			.collect(Collectors.joining(File.pathSeparator));
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
