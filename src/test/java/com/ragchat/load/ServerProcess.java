package com.ragchat.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The service under test, started from the packaged jar in its own process with a fresh
 * data directory (embedded PostgreSQL), so every measurement starts from the same state
 * and the figures include nothing of the harness's JVM.
 */
final class ServerProcess implements AutoCloseable {

	/**
	 * Heap before and after a collection in a {@code -Xlog:gc} line: G1's
	 * {@code 120M->40M(1024M)} and ZGC's {@code 120M(12%)->40M(4%)}.
	 */
	private static final Pattern GC_LINE = Pattern.compile("(\\d+)M(?:\\(\\d+%\\))?->(\\d+)M");

	/** A row of {@code GC.class_histogram}: instances, bytes, class name. */
	private static final Pattern HISTOGRAM_LINE = Pattern.compile("(?m)^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");

	private final Process process;

	private final int port;

	private final Path gcLog;

	private final long startNanos;

	private ServerProcess(Process process, int port, Path gcLog, long startNanos) {
		this.process = process;
		this.port = port;
		this.gcLog = gcLog;
		this.startNanos = startNanos;
	}

	/**
	 * Starts {@code jar} on {@code port} with the given environment on top of a clean
	 * one.
	 * @param heap maximum heap, e.g. {@code 1g}
	 */
	static ServerProcess start(Path jar, int port, String heap, Map<String, String> environment, Path workDir)
			throws IOException {
		return start(jar, port, heap, List.of(), environment, workDir);
	}

	/**
	 * Starts {@code jar} as {@link #start(Path, int, String, Map, Path)} does, with extra
	 * JVM options (e.g. {@code -XX:+UseZGC}).
	 */
	static ServerProcess start(Path jar, int port, String heap, List<String> jvmOptions,
			Map<String, String> environment, Path workDir) throws IOException {
		workDir = workDir.toAbsolutePath();
		Files.createDirectories(workDir);
		Path gcLog = workDir.resolve("gc.log");
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.add("-Xmx" + heap);
		command.add("-Xlog:gc:file=" + gcLog);
		command.addAll(jvmOptions);
		command.add("-jar");
		command.add(jar.toAbsolutePath().toString());
		ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
			.redirectErrorStream(true)
			.redirectOutput(workDir.resolve("server.log").toFile());
		builder.environment().keySet().removeIf((key) -> key.startsWith("SPRING_") || key.equals("DATABASE_URL"));
		builder.environment().put("PORT", Integer.toString(port));
		builder.environment().put("DATA_DIR", workDir.resolve("data").toString());
		builder.environment().put("DOTENV_PATH", "");
		builder.environment().putAll(environment);
		long start = System.nanoTime();
		return new ServerProcess(builder.start(), port, gcLog, start);
	}

	/** Waits until {@code /api/health/ready} answers 200; returns seconds since start. */
	double awaitReady(Duration timeout) throws InterruptedException {
		HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("server exited with " + this.process.exitValue() + "; see server.log");
			}
			try {
				HttpResponse<Void> response = client
					.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/api/health/ready"))
						.timeout(Duration.ofSeconds(2))
						.build(), HttpResponse.BodyHandlers.discarding());
				if (response.statusCode() == 200) {
					return (System.nanoTime() - this.startNanos) / 1e9;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			Thread.sleep(50);
		}
		throw new IllegalStateException("server not ready within " + timeout);
	}

	String baseUrl() {
		return "http://127.0.0.1:" + this.port;
	}

	long pid() {
		return this.process.pid();
	}

	/** Peak resident set size of the server process so far, in MiB (Linux VmHWM). */
	double peakRssMiB() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
				if (line.startsWith("VmHWM:")) {
					return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
				}
			}
		}
		catch (IOException | NumberFormatException ex) {
			// not Linux, or the process is gone
		}
		return Double.NaN;
	}

	/**
	 * Peak Java heap occupancy seen by the garbage collector (the largest "before" figure
	 * of any collection in the GC log), in MiB.
	 */
	double peakHeapMiB() {
		try {
			long peak = 0;
			for (String line : Files.readAllLines(this.gcLog, StandardCharsets.UTF_8)) {
				Matcher matcher = GC_LINE.matcher(line);
				while (matcher.find()) {
					peak = Math.max(peak, Long.parseLong(matcher.group(1)));
				}
			}
			return (peak > 0) ? peak : Double.NaN;
		}
		catch (IOException ex) {
			return Double.NaN;
		}
	}

	/**
	 * Runs a full collection in the server ({@code jcmd GC.run}) and returns the heap
	 * occupied after it, in MiB: the live heap at this moment.
	 */
	double liveHeapMiB() throws IOException, InterruptedException {
		int before = gcLines().size();
		Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
				Long.toString(pid()), "GC.run")
			.redirectErrorStream(true)
			.start();
		jcmd.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
		jcmd.waitFor(2, TimeUnit.MINUTES);
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (System.nanoTime() < deadline) {
			List<String> lines = gcLines();
			for (int i = lines.size() - 1; i >= before; i--) {
				String line = lines.get(i);
				Matcher matcher = GC_LINE.matcher(line);
				// "Diagnostic Command" is jcmd's cause; "System.gc" that of older JDKs.
				if ((line.contains("Diagnostic Command") || line.contains("System.gc")) && matcher.find()) {
					return Long.parseLong(matcher.group(2));
				}
			}
			Thread.sleep(200);
		}
		return Double.NaN;
	}

	/**
	 * The server's live objects by class ({@code jcmd GC.class_histogram}, which runs a
	 * full collection first): bytes and instances per class name.
	 */
	Map<String, long[]> classHistogram() throws IOException, InterruptedException {
		Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
				Long.toString(pid()), "GC.class_histogram")
			.redirectErrorStream(true)
			.start();
		String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		jcmd.waitFor(2, TimeUnit.MINUTES);
		Map<String, long[]> classes = new java.util.HashMap<>();
		Matcher matcher = HISTOGRAM_LINE.matcher(output);
		while (matcher.find()) {
			classes.merge(matcher.group(3),
					new long[] { Long.parseLong(matcher.group(2)), Long.parseLong(matcher.group(1)) },
					(a, b) -> new long[] { a[0] + b[0], a[1] + b[1] });
		}
		return classes;
	}

	/** Open file descriptors of the server process (sockets included), Linux only. */
	long openFiles() {
		try (var entries = Files.list(Path.of("/proc", Long.toString(pid()), "fd"))) {
			return entries.count();
		}
		catch (IOException ex) {
			return -1;
		}
	}

	/** Platform threads of the server process, Linux only. */
	long platformThreads() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
				if (line.startsWith("Threads:")) {
					return Long.parseLong(line.replaceAll("[^0-9]", ""));
				}
			}
		}
		catch (IOException | NumberFormatException ex) {
			// not Linux, or the process is gone
		}
		return -1;
	}

	private List<String> gcLines() {
		try {
			return Files.readAllLines(this.gcLog, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return List.of();
		}
	}

	@Override
	public void close() throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(60, TimeUnit.SECONDS)) {
			this.process.destroyForcibly();
		}
	}

}
