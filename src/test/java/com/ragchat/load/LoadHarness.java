package com.ragchat.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.ragchat.observability.PrometheusText;

/**
 * Measures the performance budgets of ARCHITECTURE.md against the packaged service,
 * without k6: each scenario starts the jar in its own process (zero-setup mode: embedded
 * PostgreSQL, fresh data directory, mock model), drives it over real HTTP from this JVM
 * with virtual threads as closed-loop virtual users, and writes {@code summary.md} with
 * every figure and the settings that produced it.
 * <p>
 * Run with {@code scripts/load-test.sh} (builds the jar first). Arguments:
 * {@code --jar <path>} (required), {@code --out
 *
<dir>
 * } (default {@code target/load}), {@code --scenarios a,b} (default all:
 * {@code startup, first-token, listing, ramp, login,
 * open-streams}), {@code --scale <factor>} (multiplies every duration; 0.25 for a quick
 * look, 1 for the reported figures), {@code --open-streams <n>} (10000),
 * {@code --open-stream-pause-ms <ms>} (20000), {@code --open-stream-heap <size>} (1g),
 * {@code --server-jvm-options "<options>"} (e.g. {@code -XX:+UseZGC}, for every server
 * started).
 */
public final class LoadHarness {

	private static final String PASSWORD = "load-harness-password";

	private final Path jar;

	private final Path out;

	private static final String FIRST_TOKEN_HISTOGRAM = "chatbot_chat_first_token_latency_seconds";

	private final double scale;

	/**
	 * Retriever of the first-token scenario: {@code local} (the budget's) or
	 * {@code mock}.
	 */
	private final String firstTokenRetriever;

	private final StringBuilder report = new StringBuilder();

	/** Streams of the open-streams scenario ({@code --open-streams}). */
	private int openStreamCount = 10_000;

	/**
	 * The mock model's pause between fragments in the open-streams scenario
	 * ({@code --open-stream-pause-ms}).
	 */
	private long openStreamPauseMs = 20_000;

	/** Maximum heap of the open-streams server ({@code --open-stream-heap}). */
	private String openStreamHeap = "1g";

	/** Extra JVM options of every server started ({@code --server-jvm-options}). */
	private List<String> serverJvmOptions = List.of();

	private LoadHarness(Path jar, Path out, double scale, String firstTokenRetriever) {
		this.jar = jar;
		this.out = out;
		this.scale = scale;
		this.firstTokenRetriever = firstTokenRetriever;
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> options = parse(args);
		Path jar = Path.of(require(options, "jar"));
		Path out = Path.of(options.getOrDefault("out", "target/load"));
		double scale = Double.parseDouble(options.getOrDefault("scale", "1"));
		List<String> scenarios = Arrays.asList(
				options.getOrDefault("scenarios", "startup,first-token,listing,ramp,login,open-streams").split(","));
		Files.createDirectories(out);
		LoadHarness harness = new LoadHarness(jar, out, scale, options.getOrDefault("first-token-retriever", "local"));
		harness.openStreamCount = Integer.parseInt(options.getOrDefault("open-streams", "10000"));
		harness.openStreamPauseMs = Long.parseLong(options.getOrDefault("open-stream-pause-ms", "20000"));
		harness.openStreamHeap = options.getOrDefault("open-stream-heap", "1g");
		String jvmOptions = options.getOrDefault("server-jvm-options", "").strip();
		harness.serverJvmOptions = jvmOptions.isEmpty() ? List.of() : List.of(jvmOptions.split("\\s+"));
		harness.header(scenarios);
		for (String scenario : scenarios) {
			System.out.println("== " + scenario);
			switch (scenario.strip()) {
				case "startup" -> harness.startup();
				case "first-token" -> harness.firstToken();
				case "listing" -> harness.listingVersusHealth();
				case "ramp" -> harness.ramp();
				case "login" -> harness.loginThroughput();
				case "open-streams" -> harness.openStreams();
				default -> throw new IllegalArgumentException("unknown scenario " + scenario);
			}
			harness.flush();
		}
		System.out.println("Summary written to " + out.resolve("summary.md"));
	}

	// --- Scenarios ---------------------------------------------------------------------

	/** Budget 5: start-up to ready in the zero-setup mode, no configuration at all. */
	void startup() throws Exception {
		section("Start-up to ready (zero-setup mode)",
				"The jar with no settings: embedded PostgreSQL, Flyway, sample knowledge import. A cold start "
						+ "has an empty data directory (initdb + migrations + import); a warm start reuses it.");
		List<Double> cold = new ArrayList<>();
		List<Double> warm = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			Path dir = Files.createTempDirectory(this.out, "startup-");
			int port = freePort();
			try (ServerProcess server = ServerProcess.start(this.jar, port, "1g", Map.of(), dir)) {
				cold.add(server.awaitReady(Duration.ofMinutes(3)));
			}
			try (ServerProcess server = ServerProcess.start(this.jar, port, "1g", Map.of(), dir)) {
				warm.add(server.awaitReady(Duration.ofMinutes(3)));
			}
		}
		line("| start | runs (s) | median (s) |");
		line("|---|---|---|");
		line("| cold (empty data directory) | " + list(cold) + " | " + fmt(median(cold)) + " |");
		line("| warm (existing data) | " + list(warm) + " | " + fmt(median(warm)) + " |");
		verdict("start-up to ready ≤ 15 s", median(cold) <= 15, fmt(median(cold)) + " s cold median");
	}

	/**
	 * Budget 1: server-added time to first token while 50 streams are open, the model
	 * answering at once. The mock model sends its first fragment immediately and the rest
	 * 100 ms apart, so each stream stays open about two seconds and 50 virtual users keep
	 * about 50 streams open; the figure is the time from sending a request to reading its
	 * first token, i.e. the server's own work (storing the question, loading the history,
	 * embedding the question and searching the sample knowledge base). A second phase
	 * streams without pause to show where the machine saturates.
	 */
	void firstToken() throws Exception {
		int streams = 50;
		section("Time to first token, 50 concurrent streams",
				"Mock model (first fragment at once, then 100 ms between fragments: streams stay open ~1 s), "
						+ "retrieval " + this.firstTokenRetriever + " (local: the question is embedded and the sample "
						+ "knowledge base searched). 50 virtual users each stream question after question into their "
						+ "own session with a random 0-200 ms pause between answers, so about 45 streams are open at "
						+ "any time. Then the same 50 users without the model's pauses or theirs: saturation.");
		String question = "How do I reset my password when I have forgotten it and cannot sign in to anything";
		try (ServerProcess server = loadServer(Map.of("RETRIEVER_PROVIDER", this.firstTokenRetriever, "LLM_PROVIDER",
				"mock", "STREAM_ARTIFICIAL_DELAY_MS", "100"))) {
			LoadApi api = new LoadApi(server.baseUrl());
			List<LoadApi.Auth> users = bearerUsers(api, "ft", streams);
			long[] sessions = sessions(api, users, "first token");
			AtomicInteger open = new AtomicInteger();
			AtomicInteger peak = new AtomicInteger();
			Latencies warmup = new Latencies();
			Latencies headers = new Latencies();
			Latencies firstEvent = new Latencies();
			Latencies firstToken = new Latencies();
			Latencies complete = new Latencies();
			// A random pause of 0-200 ms after each answer keeps 50 closed loops with
			// identical stream lengths from marching in lock step (a burst of 50
			// arrivals each second instead of 50 open streams).
			runFor(streams, seconds(20), (vu) -> {
				streamOnce(api, users.get(vu), sessions[vu], question, warmup, warmup, open, new AtomicInteger());
				Thread.sleep(ThreadLocalRandom.current().nextInt(200));
			});
			AtomicLong openSamples = new AtomicLong();
			AtomicLong sampleCount = new AtomicLong();
			Thread sampler = Thread.ofVirtual().start(() -> {
				while (!Thread.currentThread().isInterrupted()) {
					openSamples.addAndGet(open.get());
					sampleCount.incrementAndGet();
					try {
						Thread.sleep(50);
					}
					catch (InterruptedException ex) {
						return;
					}
				}
			});
			BucketCounts before = BucketCounts.scrape(api, FIRST_TOKEN_HISTOGRAM);
			GcReading gcBefore = GcReading.scrape(api);
			runFor(streams, seconds(60), (vu) -> {
				streamOnce(api, users.get(vu), sessions[vu], question, headers, firstEvent, firstToken, complete, open,
						peak);
				Thread.sleep(ThreadLocalRandom.current().nextInt(200));
			});
			sampler.interrupt();
			BucketCounts measured = BucketCounts.scrape(api, FIRST_TOKEN_HISTOGRAM).minus(before);
			GcReading gc = GcReading.scrape(api).minus(gcBefore);
			Latencies.Summary summary = firstToken.summarize("first token", 0);
			table(headers.summarize("response headers", 0), firstEvent.summarize("first event (status)", 0), summary,
					complete.summarize("stream complete", 0));
			line("Streams open at once: peak " + peak.get() + ", average "
					+ fmt((double) openSamples.get() / Math.max(1, sampleCount.get())) + ".");
			line("Measured by the client (above): includes the client's own scheduling on the shared cores. "
					+ "Measured by the server (`" + FIRST_TOKEN_HISTOGRAM + "`, request arrival to first token "
					+ "written, same window): " + measured.total() + " streams, "
					+ fmt(100 * measured.fractionAtMost(0.025)) + " % within 25 ms, "
					+ fmt(100 * measured.fractionAtMost(0.01)) + " % within 10 ms, p95 ≈ "
					+ fmt(measured.quantileMs(0.95)) + " ms, p99 ≈ " + fmt(measured.quantileMs(0.99))
					+ " ms (interpolated in the histogram's buckets).");
			line(String.format(Locale.ROOT,
					"Server JVM over the same window (`jvm_gc_*`): %.1f MiB allocated = **%.1f KiB per stream** "
							+ "(%d streams); %d GC pauses totalling %.1f ms (%.2f ms on average), %.1f s of "
							+ "concurrent GC phases.",
					gc.allocatedBytes() / 1048576.0, gc.allocatedBytes() / 1024.0 / Math.max(1, measured.total()),
					measured.total(), gc.pauses(), 1000 * gc.pauseSeconds(),
					1000 * gc.pauseSeconds() / Math.max(1, gc.pauses()), gc.concurrentSeconds()));
			verdict("first-token p95 ≤ 25 ms at 50 open streams, server-measured",
					measured.fractionAtMost(0.025) >= 0.95,
					fmt(100 * measured.fractionAtMost(0.025)) + " % within 25 ms");
			verdict("first-token p95 ≤ 25 ms at 50 open streams, client-measured", summary.p95Ms() <= 25,
					fmt(summary.p95Ms()) + " ms");
			memory(server);
		}
		try (ServerProcess server = loadServer(
				Map.of("RETRIEVER_PROVIDER", this.firstTokenRetriever, "LLM_PROVIDER", "mock"))) {
			LoadApi api = new LoadApi(server.baseUrl());
			List<LoadApi.Auth> users = bearerUsers(api, "sat", streams);
			long[] sessions = sessions(api, users, "saturation");
			Latencies warmup = new Latencies();
			Latencies firstToken = new Latencies();
			Latencies complete = new Latencies();
			AtomicInteger open = new AtomicInteger();
			runFor(streams, seconds(10), (vu) -> streamOnce(api, users.get(vu), sessions[vu], question, warmup, warmup,
					open, new AtomicInteger()));
			runFor(streams, seconds(30), (vu) -> streamOnce(api, users.get(vu), sessions[vu], question, firstToken,
					complete, open, new AtomicInteger()));
			line("Saturation (no pauses in the model, 50 users streaming back to back):");
			line("");
			table(firstToken.summarize("first token", 0), complete.summarize("stream complete", 0));
		}
	}

	private static long[] sessions(LoadApi api, List<LoadApi.Auth> users, String title) throws Exception {
		long[] ids = new long[users.size()];
		for (int i = 0; i < ids.length; i++) {
			ids[i] = api.createSession(users.get(i), title + " " + i).json().get("id").asLong();
		}
		return ids;
	}

	/**
	 * Budget 3: authenticated session listing throughput ÷ health throughput, same run.
	 */
	void listingVersusHealth() throws Exception {
		int connections = 16;
		section("Session listing versus health", "Same server, same client, same " + connections
				+ " connections, one phase after the other: "
				+ "GET /api/health (no database) and GET /api/chat/sessions as a signed-in user with 25 sessions "
				+ "(bearer token: JWT check, revocation check, one indexed query, JSON).");
		try (ServerProcess server = loadServer(Map.of())) {
			LoadApi api = new LoadApi(server.baseUrl());
			LoadApi.Auth user = bearerUsers(api, "list", 1).get(0);
			for (int i = 0; i < 25; i++) {
				api.createSession(user, "listing " + i);
			}
			runFor(connections, seconds(5), (vu) -> api.health());
			runFor(connections, seconds(5), (vu) -> api.listSessions(user));
			Latencies health = new Latencies();
			Latencies listing = new Latencies();
			runFor(connections, seconds(20), (vu) -> timed(health, () -> api.health().ok()));
			runFor(connections, seconds(20), (vu) -> timed(listing, () -> api.listSessions(user).ok()));
			Latencies.Summary h = health.summarize("GET /api/health", 0);
			Latencies.Summary l = listing.summarize("GET /api/chat/sessions", 0);
			table(h, l);
			double ratio = l.throughput() / h.throughput();
			line("Ratio listing ÷ health (Java client): **" + fmt(ratio) + "**");
			verdict("listing ≥ 0.40 × health", ratio >= 0.40, fmt(ratio));
			wrkRatio(server, user);
		}
	}

	/** Budget 4: the k6 "mock" ramp, 0 → 30 → 100 virtual users, per-phase latency. */
	void ramp() throws Exception {
		int maxVus = 100;
		section("k6 mock-profile journey at up to 100 virtual users",
				"The same journey and stages as k6/ramp.js: each virtual user signs in with login-json (cookie + "
						+ "CSRF), creates a session, asks two questions with /api/chat/chat, sleeping 1 s after each; "
						+ "stages 0→30 (1 min), 30 (1 min), 30→100 (1 min), 100 (3 min), 100→0 (1 min), times "
						+ this.scale + ".");
		try (ServerProcess server = loadServer(Map.of())) {
			LoadApi api = new LoadApi(server.baseUrl());
			String[] names = new String[maxVus];
			for (int i = 0; i < maxVus; i++) {
				names[i] = "ramp" + i + "-" + System.nanoTime();
				api.register(names[i], names[i] + "@load.invalid", PASSWORD);
			}
			Latencies login = new Latencies();
			Latencies session = new Latencies();
			Latencies chat = new Latencies();
			AtomicInteger target = new AtomicInteger(0);
			ExecutorService vus = Executors.newVirtualThreadPerTaskExecutor();
			AtomicLong stop = new AtomicLong(Long.MAX_VALUE);
			for (int i = 0; i < maxVus; i++) {
				int vu = i;
				vus.submit(() -> {
					while (System.nanoTime() < stop.get()) {
						if (vu >= target.get()) {
							Thread.sleep(100);
							continue;
						}
						journey(api, names[vu], login, session, chat);
					}
					return null;
				});
			}
			long[][] stages = { { 60, 30 }, { 60, 30 }, { 60, 100 }, { 180, 100 }, { 60, 0 } };
			int current = 0;
			for (long[] stage : stages) {
				long stageNanos = seconds(stage[0]).toNanos();
				long begin = System.nanoTime();
				int from = current;
				int to = (int) stage[1];
				while (System.nanoTime() - begin < stageNanos) {
					double progress = (double) (System.nanoTime() - begin) / stageNanos;
					target.set((int) Math.round(from + (to - from) * progress));
					Thread.sleep(200);
				}
				current = to;
				target.set(to);
			}
			stop.set(System.nanoTime());
			vus.shutdown();
			vus.awaitTermination(2, TimeUnit.MINUTES);
			Latencies.Summary l = login.summarize("login (POST /api/auth/login-json)", 0);
			Latencies.Summary s = session.summarize("create session (POST /api/chat/sessions)", 0);
			Latencies.Summary c = chat.summarize("chat (POST /api/chat/chat)", 0);
			table(l, s, c);
			long total = l.ok() + s.ok() + c.ok();
			long failed = l.errors() + s.errors() + c.errors();
			double failure = (double) failed / Math.max(1, total + failed);
			List<String> missed = new ArrayList<>();
			for (Latencies.Summary phase : List.of(l, s, c)) {
				if (phase.p95Ms() >= 1200) {
					missed.add(phase.name() + " p95 " + fmt(phase.p95Ms()) + " ms");
				}
				if (phase.p99Ms() >= 2500) {
					missed.add(phase.name() + " p99 " + fmt(phase.p99Ms()) + " ms");
				}
			}
			if (failure >= 0.02) {
				missed.add(String.format(Locale.ROOT, "%.2f %% failed", 100 * failure));
			}
			String worst = String.format(Locale.ROOT, "worst p95 %s ms, worst p99 %s ms, %.2f %% failed",
					fmt(Math.max(l.p95Ms(), Math.max(s.p95Ms(), c.p95Ms()))),
					fmt(Math.max(l.p99Ms(), Math.max(s.p99Ms(), c.p99Ms()))), 100 * failure);
			verdict("each phase p95 < 1.2 s, p99 < 2.5 s, < 2 % failed", missed.isEmpty(),
					missed.isEmpty() ? worst : "missed: " + String.join("; ", missed));
			memory(server);
		}
	}

	/**
	 * Part of budget 4: sign-ins per second per core at the configured password hash
	 * cost.
	 */
	void loginThroughput() throws Exception {
		int concurrency = 2 * Runtime.getRuntime().availableProcessors();
		section("Login throughput", "POST /api/auth/token with " + concurrency
				+ " concurrent clients; every sign-in verifies a BCrypt hash, " + "which is deliberately slow.");
		try (ServerProcess server = loadServer(Map.of())) {
			LoadApi api = new LoadApi(server.baseUrl());
			String name = "login-" + System.nanoTime();
			api.register(name, name + "@load.invalid", PASSWORD);
			runFor(concurrency, seconds(5), (vu) -> api.token(name, PASSWORD));
			Latencies logins = new Latencies();
			runFor(concurrency, seconds(30), (vu) -> timed(logins, () -> api.token(name, PASSWORD).ok()));
			Latencies.Summary summary = logins.summarize("POST /api/auth/token", 0);
			table(summary);
			int cores = Runtime.getRuntime().availableProcessors();
			line("Sign-ins per second per core (" + cores + " cores, load generator included): **"
					+ fmt(summary.throughput() / cores) + "**");
		}
	}

	/**
	 * Budget 2: {@code --open-streams} (10,000) streams open at once on one instance, 1
	 * GB heap, pool of 10. The mock model pauses {@code --open-stream-pause-ms} between
	 * its ten fragments, a stand-in for a slow model upstream: each stream stays open
	 * nine pauses long (3 minutes by default), longer than opening all of them takes, so
	 * they really are open at the same time. A stream counts as open from its first event
	 * (the server has stored the question and is streaming), not from its request. At
	 * most 64 streams are being opened at any moment (a permit is returned at the first
	 * event), so the client opens as fast as the server accepts instead of queueing
	 * thousands of requests on the pool of 10.
	 */
	void openStreams() throws Exception {
		int target = this.openStreamCount;
		long pauseMs = this.openStreamPauseMs;
		// 17 words + "Mock response to: " = 20 words = 10 fragments, 9 pauses.
		String question = "Please explain how I reset my password when I cannot reach the recovery address this weekend";
		section(String.format(Locale.ROOT, "%,d concurrently open streams", target),
				"One instance with -Xmx" + this.openStreamHeap + ", DB_POOL_SIZE=10, mock model sending 10 fragments "
						+ pauseMs + " ms apart (STREAM_ARTIFICIAL_DELAY_MS): each stream lasts about "
						+ (9 * pauseMs / 1000) + " s. The client opens " + target
						+ " streams from 20 signed-in users, each in a new "
						+ "session, at most 64 being opened at once; a stream counts as open from its first event "
						+ "until its done event. When all are open (or no more open within 2 minutes), the "
						+ "server's memory, open files and platform threads are read and a full GC (jcmd GC.run) "
						+ "gives the live heap.");
		// Tomcat's default max-connections (8,192) would hold the rest in the accept
		// queue.
		Map<String, String> settings = Map.of("STREAM_ARTIFICIAL_DELAY_MS", Long.toString(pauseMs),
				"SERVER_MAX_CONNECTIONS", Integer.toString(Math.max(8192, target + 200)));
		try (ServerProcess server = loadServer(settings, this.openStreamHeap)) {
			LoadApi api = new LoadApi(server.baseUrl());
			List<LoadApi.Auth> users = bearerUsers(api, "open", 20);
			// Warm up the path, then the live heap before any stream is open.
			try (ExecutorService warmup = Executors.newVirtualThreadPerTaskExecutor()) {
				for (int i = 0; i < 200; i++) {
					LoadApi.Auth user = users.get(i % users.size());
					warmup.submit(() -> api.stream(user, null, "hello"));
				}
			}
			double baselineHeap = server.liveHeapMiB();
			Map<String, long[]> baselineClasses = server.classHistogram();
			long baselineFiles = server.openFiles();
			long baselineThreads = server.platformThreads();
			AtomicInteger open = new AtomicInteger();
			AtomicInteger peakOpen = new AtomicInteger();
			AtomicInteger everOpened = new AtomicInteger();
			Latencies opening = new Latencies();
			Latencies complete = new Latencies();
			java.util.concurrent.Semaphore openingPermits = new java.util.concurrent.Semaphore(64);
			long openStart = System.nanoTime();
			AtomicLong allOpenNanos = new AtomicLong();
			try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
				for (int i = 0; i < target; i++) {
					LoadApi.Auth user = users.get(i % users.size());
					openingPermits.acquire();
					clients.submit(() -> {
						long start = System.nanoTime();
						boolean[] opened = { false };
						try {
							LoadApi.StreamResult result = api.stream(user, null, question, () -> {
								opened[0] = true;
								opening.record(start, System.nanoTime());
								openingPermits.release();
								int now = open.incrementAndGet();
								peakOpen.accumulateAndGet(now, Math::max);
								if (everOpened.incrementAndGet() == target) {
									allOpenNanos.set(System.nanoTime());
								}
							});
							if (result.ok()) {
								complete.record(start, result.doneNanos());
							}
							else {
								System.out.println("stream failed: status " + result.status() + ", error event "
										+ result.errorEvent());
								complete.error(start, System.nanoTime());
							}
						}
						catch (Exception ex) {
							System.out.println("stream failed: " + ex);
							complete.error(start, System.nanoTime());
						}
						finally {
							if (opened[0]) {
								open.decrementAndGet();
							}
							else {
								opening.error(start, System.nanoTime());
								openingPermits.release();
							}
						}
						return null;
					});
				}
				// Wait until every stream is open, or the count stops growing for 2
				// minutes, then read the server while they are.
				int last = -1;
				long lastChange = System.nanoTime();
				while (open.get() < target && System.nanoTime() - lastChange < TimeUnit.MINUTES.toNanos(2)) {
					Thread.sleep(1000);
					int now = open.get();
					if (now != last) {
						last = now;
						lastChange = System.nanoTime();
						System.out.println("open streams: " + now);
					}
				}
				int openAtReading = open.get();
				double rss = server.peakRssMiB();
				long files = server.openFiles();
				long threads = server.platformThreads();
				double liveHeap = server.liveHeapMiB();
				int openAfterGc = open.get();
				Map<String, long[]> classes = server.classHistogram();
				double perStreamKiB = (liveHeap - baselineHeap) * 1024 / Math.max(1, openAtReading);
				line(String.format(Locale.ROOT,
						"Open at once when read: **%,d** (%,d after the full GC); all %,d open %.1f s after the first "
								+ "request%s.",
						openAtReading, openAfterGc, target, (allOpenNanos.get() - openStart) / 1e9,
						(allOpenNanos.get() == 0) ? " (never all open)" : ""));
				line("");
				line("| server, at that moment | before the streams | with the streams open |");
				line("|---|---|---|");
				line("| live heap after a full GC (MiB) | " + fmt(baselineHeap) + " | " + fmt(liveHeap) + " |");
				line("| live heap per open stream (KiB) | – | " + fmt(perStreamKiB) + " |");
				line("| peak RSS so far (MiB) | – | " + fmt(rss) + " |");
				line("| open file descriptors | " + baselineFiles + " | " + files + " |");
				line("| platform threads | " + baselineThreads + " | " + threads + " |");
				line("");
				perStreamClasses(baselineClasses, classes, openAtReading);
			}
			Latencies.Summary openedSummary = opening.summarize("open (request → first event)", 0);
			Latencies.Summary summary = complete.summarize("stream (request → done)", 0);
			table(openedSummary, summary);
			line("Peak streams open at once: **" + peakOpen.get() + "**");
			verdict(String.format(Locale.ROOT, "%,d open streams, 0 errors", target),
					summary.errors() == 0 && peakOpen.get() >= target,
					summary.errors() + " errors, peak " + peakOpen.get() + " open");
			memory(server);
		}
	}

	/**
	 * What an open stream holds: the classes whose live bytes grew most between the two
	 * histograms, per stream open at the second.
	 */
	private void perStreamClasses(Map<String, long[]> before, Map<String, long[]> after, int streams) {
		if (streams <= 0 || after.isEmpty()) {
			return;
		}
		long total = 0;
		List<Map.Entry<String, double[]>> growth = new ArrayList<>();
		for (Map.Entry<String, long[]> entry : after.entrySet()) {
			long[] then = before.getOrDefault(entry.getKey(), new long[2]);
			long bytes = entry.getValue()[0] - then[0];
			total += bytes;
			growth.add(Map.entry(entry.getKey(),
					new double[] { bytes / 1024.0 / streams, (entry.getValue()[1] - then[1]) / (double) streams }));
		}
		growth.sort((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0]));
		line(String.format(Locale.ROOT,
				"Live objects per open stream (`jcmd GC.class_histogram` with the streams open minus before them, "
						+ "÷ %,d streams): %.1f KiB in all; the largest:",
				streams, total / 1024.0 / streams));
		line("");
		line("| class | KiB per stream | instances per stream |");
		line("|---|---|---|");
		for (Map.Entry<String, double[]> entry : growth.subList(0, Math.min(25, growth.size()))) {
			line("| `" + entry.getKey() + "` | " + fmt(entry.getValue()[0]) + " | " + fmt(entry.getValue()[1]) + " |");
		}
		line("");
	}

	/**
	 * A port nothing listens on now, so that two harnesses on one machine do not meet
	 * each other's servers.
	 */
	private static int freePort() throws IOException {
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	// --- Building blocks
	// -----------------------------------------------------------------

	private ServerProcess loadServer(Map<String, String> extra) throws Exception {
		return loadServer(extra, "1g");
	}

	private ServerProcess loadServer(Map<String, String> extra, String heap) throws Exception {
		Map<String, String> environment = new LinkedHashMap<>();
		environment.put("APP_ENV", "test");
		environment.put("LLM_PROVIDER", "mock");
		environment.put("RETRIEVER_PROVIDER", "mock");
		environment.put("RATE_LIMIT_ENABLED", "false");
		environment.put("DB_POOL_SIZE", "10");
		environment.put("STREAM_ARTIFICIAL_DELAY_MS", "0");
		environment.put("LOGGING_LEVEL", "WARN");
		environment.putAll(extra);
		Path dir = Files.createTempDirectory(this.out, "server-");
		ServerProcess server = ServerProcess.start(this.jar, freePort(), heap, this.serverJvmOptions, environment, dir);
		// Generous: other work on a shared machine can slow a start-up down to minutes.
		server.awaitReady(Duration.ofMinutes(10));
		line("Server settings: " + environment + ", -Xmx" + heap
				+ (this.serverJvmOptions.isEmpty() ? "" : " " + String.join(" ", this.serverJvmOptions))
				+ ", data in a fresh directory.");
		line("");
		return server;
	}

	private List<LoadApi.Auth> bearerUsers(LoadApi api, String prefix, int count) throws Exception {
		List<LoadApi.Auth> users = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			String name = prefix + i + "-" + System.nanoTime();
			LoadApi.Result registered = api.register(name, name + "@load.invalid", PASSWORD);
			if (!registered.ok()) {
				throw new IllegalStateException("register failed: " + registered.status() + " " + registered.body());
			}
			LoadApi.Result token = api.token(name, PASSWORD);
			users.add(LoadApi.Auth.bearer(token.json().get("access_token").asString()));
		}
		return users;
	}

	private static void streamOnce(LoadApi api, LoadApi.Auth user, long sessionId, String question,
			Latencies firstToken, Latencies complete, AtomicInteger open, AtomicInteger peak) throws Exception {
		streamOnce(api, user, sessionId, question, null, null, firstToken, complete, open, peak);
	}

	/**
	 * One stream; records the time to the response headers and to the first event (the
	 * status event, written as soon as the question is stored) when asked, so that the
	 * time to the first token can be split into storing and answering.
	 */
	private static void streamOnce(LoadApi api, LoadApi.Auth user, long sessionId, String question, Latencies headers,
			Latencies firstEvent, Latencies firstToken, Latencies complete, AtomicInteger open, AtomicInteger peak)
			throws Exception {
		long start = System.nanoTime();
		peak.accumulateAndGet(open.incrementAndGet(), Math::max);
		LoadApi.StreamResult result;
		try {
			result = api.stream(user, sessionId, question);
		}
		finally {
			open.decrementAndGet();
		}
		if (result.ok() && result.firstTokenNanos() > 0) {
			if (headers != null && firstEvent != null) {
				headers.record(start, result.headersNanos());
				firstEvent.record(start, result.firstEventNanos());
			}
			firstToken.record(start, result.firstTokenNanos());
			complete.record(start, result.doneNanos());
		}
		else {
			firstToken.error(start, System.nanoTime());
			complete.error(start, System.nanoTime());
		}
	}

	private static void journey(LoadApi api, String username, Latencies login, Latencies session, Latencies chat)
			throws Exception {
		long start = System.nanoTime();
		LoadApi.Auth auth = api.loginJson(username, PASSWORD);
		if (auth == null) {
			login.error(start, System.nanoTime());
			Thread.sleep(1000);
			return;
		}
		login.record(start, System.nanoTime());
		start = System.nanoTime();
		LoadApi.Result created = api.createSession(auth, "ramp");
		if (!created.ok()) {
			session.error(start, System.nanoTime());
			Thread.sleep(1000);
			return;
		}
		session.record(start, System.nanoTime());
		long id = created.json().get("id").asLong();
		for (String question : List.of("How do I reset my password?", "And what if that does not work?")) {
			start = System.nanoTime();
			LoadApi.Result answer = api.chat(auth, id, question);
			if (answer.ok()) {
				chat.record(start, System.nanoTime());
			}
			else {
				chat.error(start, System.nanoTime());
			}
			Thread.sleep(1000);
		}
	}

	@FunctionalInterface
	interface VuAction {

		void run(int vu) throws Exception;

	}

	@FunctionalInterface
	interface Check {

		boolean call() throws Exception;

	}

	private static void timed(Latencies latencies, Check call) {
		long start = System.nanoTime();
		boolean ok;
		try {
			ok = call.call();
		}
		catch (Exception ex) {
			ok = false;
		}
		if (ok) {
			latencies.record(start, System.nanoTime());
		}
		else {
			latencies.error(start, System.nanoTime());
		}
	}

	/** Runs {@code vus} closed-loop virtual users for {@code duration}. */
	private static void runFor(int vus, Duration duration, VuAction action) throws InterruptedException {
		long end = System.nanoTime() + duration.toNanos();
		try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
			for (int i = 0; i < vus; i++) {
				int vu = i;
				executor.submit(() -> {
					while (System.nanoTime() < end) {
						try {
							action.run(vu);
						}
						catch (Exception ex) {
							// counted by the action where it matters
						}
					}
				});
			}
		}
	}

	/**
	 * Cross-checks the listing ratio with wrk, when installed (a C client costs the
	 * server less CPU).
	 */
	private void wrkRatio(ServerProcess server, LoadApi.Auth user) throws Exception {
		if (!new ProcessBuilder("sh", "-c", "command -v wrk").start().waitFor(10, TimeUnit.SECONDS)
				|| !Files.isExecutable(Path.of("/usr/bin/wrk"))) {
			line("(wrk not installed: no cross-check)");
			return;
		}
		double health = wrk(server.baseUrl() + "/api/health", null);
		double listing = wrk(server.baseUrl() + "/api/chat/sessions", user.value());
		line("");
		line("Cross-check with wrk (2 threads, 16 connections, 20 s each): health " + fmt(health) + " req/s, listing "
				+ fmt(listing) + " req/s, ratio **" + fmt(listing / health) + "**");
	}

	private double wrk(String url, String authorization) throws Exception {
		List<String> command = new ArrayList<>(
				List.of("wrk", "-t2", "-c16", "-d" + Math.max(5, (long) (20 * this.scale)) + "s", "--latency"));
		if (authorization != null) {
			command.addAll(List.of("-H", "Authorization: " + authorization));
		}
		command.add(url);
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		process.waitFor();
		Matcher matcher = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(output);
		Matcher non2xx = Pattern.compile("Non-2xx or 3xx responses: (\\d+)").matcher(output);
		if (non2xx.find()) {
			line("(wrk saw " + non2xx.group(1) + " non-2xx responses on " + url + ")");
		}
		return matcher.find() ? Double.parseDouble(matcher.group(1)) : Double.NaN;
	}

	private void memory(ServerProcess server) {
		line("");
		line("Server memory: peak RSS " + fmt(server.peakRssMiB()) + " MiB, peak heap before GC "
				+ fmt(server.peakHeapMiB()) + " MiB (the largest occupancy a collection found).");
	}

	private Duration seconds(long seconds) {
		return Duration.ofMillis((long) (seconds * 1000 * this.scale));
	}

	// --- Report
	// -----------------------------------------------------------------------------

	private void header(List<String> scenarios) throws IOException, InterruptedException {
		Process git = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").start();
		String commit = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
		line("# Load harness results");
		line("");
		line("- Date: " + Instant.now());
		line("- Commit: " + commit);
		line("- Machine: " + Runtime.getRuntime().availableProcessors() + " cores, Java "
				+ System.getProperty("java.version") + ", " + System.getProperty("os.name"));
		line("- Scenarios: " + scenarios + ", durations × " + this.scale);
		line("- Load generator and server share the machine's cores.");
	}

	private void section(String title, String description) {
		line("");
		line("## " + title);
		line("");
		line(description);
		line("");
	}

	private void table(Latencies.Summary... summaries) {
		line(Latencies.Summary.header());
		for (Latencies.Summary summary : summaries) {
			line(summary.row());
		}
		line("");
	}

	private void verdict(String budget, boolean met, String figure) {
		line("Budget " + budget + ": **" + (met ? "met" : "MISSED") + "** (" + figure + ")");
	}

	private void line(String text) {
		this.report.append(text).append('\n');
		System.out.println(text);
	}

	private void flush() throws IOException {
		Files.writeString(this.out.resolve("summary.md"), this.report.toString(), StandardCharsets.UTF_8);
	}

	private static String fmt(double value) {
		return String.format(Locale.ROOT, "%.2f", value);
	}

	private static String list(List<Double> values) {
		return String.join(", ", values.stream().map(LoadHarness::fmt).toList());
	}

	private static double median(List<Double> values) {
		List<Double> sorted = values.stream().sorted().toList();
		int n = sorted.size();
		return (n == 0) ? Double.NaN
				: (n % 2 == 1) ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
	}

	private static Map<String, String> parse(String[] args) {
		Map<String, String> options = new LinkedHashMap<>();
		for (int i = 0; i < args.length; i++) {
			if (args[i].startsWith("--") && i + 1 < args.length) {
				options.put(args[i].substring(2), args[++i]);
			}
		}
		Set<String> known = Set.of("jar", "out", "scenarios", "scale", "first-token-retriever", "open-streams",
				"open-stream-pause-ms", "open-stream-heap", "server-jvm-options");
		for (String key : options.keySet()) {
			if (!known.contains(key)) {
				throw new IllegalArgumentException("unknown option --" + key + "; known: " + known);
			}
		}
		return options;
	}

	private static String require(Map<String, String> options, String key) {
		String value = options.get(key);
		if (value == null) {
			throw new IllegalArgumentException("--" + key + " is required");
		}
		return value;
	}

	/**
	 * The server JVM's allocation and garbage collection so far, from Micrometer's
	 * {@code jvm_gc_*} meters in {@code /api/metrics}; the difference of two readings is
	 * what happened between them.
	 */
	record GcReading(double allocatedBytes, long pauses, double pauseSeconds, double concurrentSeconds) {

		static GcReading scrape(LoadApi api) throws IOException, InterruptedException {
			PrometheusText metrics = PrometheusText.parse(api.metrics().body());
			return new GcReading(sum(metrics, "jvm_gc_memory_allocated_bytes_total"),
					Math.round(sum(metrics, "jvm_gc_pause_seconds_count")), sum(metrics, "jvm_gc_pause_seconds_sum"),
					sum(metrics, "jvm_gc_concurrent_phase_time_seconds_sum"));
		}

		private static double sum(PrometheusText metrics, String name) {
			return metrics.named(name).stream().mapToDouble(PrometheusText.Sample::value).sum();
		}

		GcReading minus(GcReading earlier) {
			return new GcReading(this.allocatedBytes - earlier.allocatedBytes, this.pauses - earlier.pauses,
					this.pauseSeconds - earlier.pauseSeconds, this.concurrentSeconds - earlier.concurrentSeconds);
		}

	}

}
