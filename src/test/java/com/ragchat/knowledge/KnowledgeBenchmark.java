package com.ragchat.knowledge;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;

import com.ragchat.platform.TestDatabase;
import com.ragchat.rag.Cancellation;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Benchmarks of the knowledge base against ARCHITECTURE.md's budgets, on a real
 * PostgreSQL (the embedded one, or {@code BENCHMARK_DATABASE_URL} as a JDBC URL with user
 * and password parameters; it must be an empty database: the benchmark migrates it and
 * fills it):
 * <ol>
 * <li><b>Ingestion throughput</b> (budget ≥ 100 chunks/s on 2 cores): the sample articles
 * imported in parallel as the first-start import does, and one long document, each
 * through the real extraction, chunking, embedding and transactional write.</li>
 * <li><b>Hybrid retrieval latency over 100,000 chunks</b> (budget p95 ≤ 30 ms): the
 * {@code local} retriever end to end (question embedding, change check, full-text query,
 * vector scan, fusion, passage fetch), one question at a time.</li>
 * </ol>
 * Not part of the build. Run it with
 * {@code ./mvnw -B -Pknowledge-benchmark test-compile exec:exec}; it prints each run and
 * the medians.
 * <p>
 * The 100,000 synthetic chunks are made to look like a large knowledge base to both
 * sides: their text is drawn by a Zipf law from a 100,000-word vocabulary of made-up
 * words in which the sample articles' own words take ranks 50 to 5,000 (so a topic word
 * such as "password" appears in one to a few percent of the chunks), and each embedding
 * is a real sample chunk's embedding moved by noise (cosine about 0.75 to the original),
 * so neighbours cluster as real topics do. The 32 real articles are in the same database,
 * and the questions are those of the retrieval-quality set.
 */
public final class KnowledgeBenchmark {

	private static final int SYNTHETIC_CHUNKS = Integer.getInteger("benchmark.chunks", 100_000);

	private static final int RUNS = Integer.getInteger("benchmark.runs", 5);

	private static final int QUERIES_PER_RUN = Integer.getInteger("benchmark.queries", 500);

	private KnowledgeBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
			.setLevel(ch.qos.logback.classic.Level.WARN);
		int threads = Runtime.getRuntime().availableProcessors();
		System.out.printf(Locale.ROOT, "Knowledge benchmark: %d cores, %d embedding threads, Java %s%n", threads,
				threads, Runtime.version());
		String url = System.getenv("BENCHMARK_DATABASE_URL");
		String jdbcUrl;
		String user = "";
		String password = "";
		if (url != null && !url.isBlank()) {
			jdbcUrl = url;
		}
		else {
			TestDatabase.Info database = TestDatabase.createEmptyDatabase();
			jdbcUrl = database.url();
			user = database.username();
			password = database.password();
		}
		Flyway.configure().dataSource(jdbcUrl, user, password).locations("classpath:db/migration").load().migrate();
		try (HikariDataSource pool = new HikariDataSource()) {
			pool.setJdbcUrl(jdbcUrl);
			pool.setUsername(user);
			pool.setPassword(password);
			pool.setMaximumPoolSize(10);
			KnowledgeStore store = new KnowledgeStore(JdbcClient.create(pool), new JdbcTemplate(pool));
			long loadStart = System.nanoTime();
			MiniLmEmbedder embedder = MiniLmEmbedder.load(Path.of("data", "djl"));
			System.out.printf(Locale.ROOT, "Model loaded in %d ms%n", (System.nanoTime() - loadStart) / 1_000_000);
			try (LocalEmbedder local = new LocalEmbedder(embedder);
					EmbeddingService embeddings = new EmbeddingService(local, threads, 4)) {
				KnowledgeService service = new KnowledgeService(store, new TextExtractor(), new Chunker(200, 40),
						embeddings, new TransactionTemplate(new JdbcTransactionManager(pool)), 64L << 20);
				ingestion(service, embeddings, pool, threads);
				retrieval(service, store, embeddings, pool);
			}
		}
		System.exit(0);
	}

	// --- Ingestion
	// -----------------------------------------------------------------------

	private static void ingestion(KnowledgeService service, EmbeddingService embeddings, HikariDataSource pool,
			int threads) throws Exception {
		List<Path> files;
		try (Stream<Path> listing = Files.list(KnowledgeImporter.SAMPLES)) {
			files = listing.filter((f) -> f.toString().endsWith(".md")).sorted().toList();
		}
		List<byte[]> articles = new ArrayList<>();
		for (Path file : files) {
			articles.add(Files.readAllBytes(file));
		}
		StringBuilder book = new StringBuilder("# The complete help desk handbook\n\n");
		for (byte[] article : articles) {
			String text = new String(article, StandardCharsets.UTF_8);
			book.append(text.substring(text.indexOf("\n---", 4) + 4).replace("\n# ", "\n## ")).append("\n\n");
		}
		// Warm-up: JIT and the model's first calls.
		importAll(service, articles, "warm-up", threads);
		List<Double> importRates = new ArrayList<>();
		List<Double> bookRates = new ArrayList<>();
		for (int run = 1; run <= RUNS; run++) {
			long start = System.nanoTime();
			int chunks = importAll(service, articles, "run " + run, threads);
			double seconds = (System.nanoTime() - start) / 1e9;
			importRates.add(chunks / seconds);
			start = System.nanoTime();
			KnowledgeStore.DocumentRow handbook = service
				.ingest("handbook-" + run + ".md",
						(book + "\n<!-- run " + run + " -->\n").getBytes(StandardCharsets.UTF_8),
						KnowledgeService.UploadMetadata.none())
				.document();
			double bookSeconds = (System.nanoTime() - start) / 1e9;
			bookRates.add(handbook.chunkCount() / bookSeconds);
			System.out.printf(Locale.ROOT,
					"Ingestion run %d: import of %d articles, %d chunks in %.2f s = %.1f chunks/s; "
							+ "one document of %d chunks in %.2f s = %.1f chunks/s%n",
					run, articles.size(), chunks, seconds, chunks / seconds, handbook.chunkCount(), bookSeconds,
					handbook.chunkCount() / bookSeconds);
		}
		// The model alone, for comparison: the sample chunks' texts, embedded as
		// ingestion does.
		List<String> texts = new ArrayList<>();
		Chunker chunker = new Chunker(200, 40);
		TextExtractor extractor = new TextExtractor();
		for (byte[] article : articles) {
			ExtractedText text = extractor.extract(TextExtractor.Format.MARKDOWN, article);
			for (Chunker.Chunk chunk : chunker.chunk(text.title(), text.blocks())) {
				texts.addAll(KnowledgeService.embeddingTexts(chunk));
			}
		}
		List<Double> modelRates = new ArrayList<>();
		for (int run = 1; run <= RUNS; run++) {
			long start = System.nanoTime();
			embeddings.embedPassages(texts);
			modelRates.add(texts.size() / ((System.nanoTime() - start) / 1e9));
		}
		System.out.printf(Locale.ROOT,
				"INGESTION median: import %.1f chunks/s, single document %.1f chunks/s (budget >= 100 chunks/s); "
						+ "the model alone embeds %.1f texts/s%n",
				median(importRates), median(bookRates), median(modelRates));
		System.out.println(verdict("ingestion >= 100 chunks/s (import median)", median(importRates) >= 100,
				String.format(Locale.ROOT, "%.1f chunks/s", median(importRates))));
		// Leave only the real samples for the retrieval benchmark.
		JdbcClient.create(pool).sql("delete from knowledge_documents").update();
		importAll(service, articles, null, threads);
	}

	/**
	 * Ingests every article (made unique by {@code marker}); returns the chunks stored.
	 */
	private static int importAll(KnowledgeService service, List<byte[]> articles, String marker, int threads)
			throws Exception {
		ExecutorService workers = Executors.newFixedThreadPool(2 * threads);
		try {
			List<Future<Integer>> results = new ArrayList<>();
			for (int i = 0; i < articles.size(); i++) {
				byte[] content = articles.get(i);
				String name = "article-" + i + ".md";
				byte[] unique = (marker != null)
						? (new String(content, StandardCharsets.UTF_8) + "\n<!-- " + marker + " -->\n")
							.getBytes(StandardCharsets.UTF_8)
						: content;
				results.add(workers.submit(() -> service.ingest(name, unique, KnowledgeService.UploadMetadata.none())
					.document()
					.chunkCount()));
			}
			int chunks = 0;
			for (Future<Integer> result : results) {
				chunks += result.get();
			}
			return chunks;
		}
		finally {
			workers.shutdown();
		}
	}

	// --- Retrieval
	// -------------------------------------------------------------------------

	private static void retrieval(KnowledgeService service, KnowledgeStore store, EmbeddingService embeddings,
			HikariDataSource pool) throws Exception {
		JdbcClient jdbc = JdbcClient.create(pool);
		List<float[]> realVectors = new ArrayList<>();
		List<String> vocabulary = new ArrayList<>();
		jdbc.sql("select content, embedding from knowledge_chunks order by id").query((rs) -> {
			realVectors.add(KnowledgeStore.decode(rs.getBytes(2))[0]);
			for (String word : rs.getString(1).toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
				if (word.length() > 1) {
					vocabulary.add(word);
				}
			}
		});
		long start = System.nanoTime();
		insertSyntheticChunks(pool, realVectors, vocabulary);
		System.out.printf(Locale.ROOT, "Inserted %,d synthetic chunks in %.1f s%n", SYNTHETIC_CHUNKS,
				(System.nanoTime() - start) / 1e9);
		jdbc.sql("vacuum analyze knowledge_chunks").update();
		List<String> questions = new ArrayList<>();
		for (RetrievalQualityTests.Question question : RetrievalQualityTests.questions()) {
			questions.add(question.text());
		}
		questions.addAll(RetrievalQualityTests.lines("knowledge/out-of-scope.txt"));

		VectorIndex index = new VectorIndex(store);
		start = System.nanoTime();
		index.refreshTo(store.version());
		System.out.printf(Locale.ROOT, "Vector index loaded: %,d vectors in %.1f s, heap used %d MB%n", index.size(),
				(System.nanoTime() - start) / 1e9, usedHeapMb());
		KnowledgeSearch retriever = new KnowledgeSearch(store, index, embeddings, QueryTerms.load(),
				KnowledgeSearch.Settings.defaults(40, 0.22));
		for (int i = 0; i < 300; i++) {
			retriever.retrieve(questions.get(i % questions.size()), 3, Cancellation.none());
		}
		double found = 0;
		double wanted = 0;
		double[] exactScan = new double[questions.size()];
		for (int i = 0; i < questions.size(); i++) {
			float[] q = embeddings.embedQuery(questions.get(i)).get();
			long t0 = System.nanoTime();
			List<VectorIndex.Hit> exact = index.nearest(q, 40, true);
			exactScan[i] = (System.nanoTime() - t0) / 1e6;
			java.util.Set<Long> exactIds = new java.util.HashSet<>();
			exact.forEach((hit) -> exactIds.add(hit.chunkId()));
			wanted += exactIds.size();
			found += index.nearest(q, 40).stream().filter((hit) -> exactIds.contains(hit.chunkId())).count();
		}
		System.out.printf(Locale.ROOT,
				"Vector prefilter: recall of the exact top 40 = %.3f over %d questions; an exact scan takes "
						+ "p50 %.1f ms%n",
				found / wanted, questions.size(), p(exactScan, 50));
		List<Double> p50s = new ArrayList<>();
		List<Double> p95s = new ArrayList<>();
		List<Double> p99s = new ArrayList<>();
		for (int run = 1; run <= RUNS; run++) {
			double[] total = new double[QUERIES_PER_RUN];
			double[] embed = new double[QUERIES_PER_RUN];
			double[] fullText = new double[QUERIES_PER_RUN];
			double[] vector = new double[QUERIES_PER_RUN];
			for (int i = 0; i < QUERIES_PER_RUN; i++) {
				String question = questions.get((i * 7 + run) % questions.size());
				long t0 = System.nanoTime();
				retriever.retrieve(question, 3, Cancellation.none());
				total[i] = (System.nanoTime() - t0) / 1e6;
				long t1 = System.nanoTime();
				float[] q = embeddings.embedQuery(question).get();
				long t2 = System.nanoTime();
				store.fullText(question, 40);
				long t3 = System.nanoTime();
				index.nearest(q, 40);
				long t4 = System.nanoTime();
				embed[i] = (t2 - t1) / 1e6;
				fullText[i] = (t3 - t2) / 1e6;
				vector[i] = (t4 - t3) / 1e6;
			}
			Arrays.sort(total);
			p50s.add(percentile(total, 50));
			p95s.add(percentile(total, 95));
			p99s.add(percentile(total, 99));
			System.out.printf(Locale.ROOT,
					"Retrieval run %d (%d questions): p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms; "
							+ "parts p50/p95: embed %.1f/%.1f, full-text %.1f/%.1f, vector scan %.1f/%.1f ms%n",
					run, QUERIES_PER_RUN, percentile(total, 50), percentile(total, 95), percentile(total, 99),
					total[total.length - 1], p(embed, 50), p(embed, 95), p(fullText, 50), p(fullText, 95),
					p(vector, 50), p(vector, 95));
		}
		System.out.printf(Locale.ROOT,
				"RETRIEVAL over %,d chunks, median of %d runs: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms "
						+ "(budget p95 <= 30 ms)%n",
				SYNTHETIC_CHUNKS + realVectors.size(), RUNS, median(p50s), median(p95s), median(p99s));
		String scale = (SYNTHETIC_CHUNKS + realVectors.size() < 100_000)
				? " at reduced scale: the budget is for 100,000 chunks" : "";
		System.out.println(verdict("retrieval p95 <= 30 ms (median of runs)" + scale, median(p95s) <= 30,
				String.format(Locale.ROOT, "%.1f ms", median(p95s))));
	}

	/** One line per budget: met or MISSED, with the measured figure. */
	static String verdict(String budget, boolean met, String figure) {
		return "VERDICT " + budget + ": " + (met ? "met" : "MISSED") + " (" + figure + ")";
	}

	private static void insertSyntheticChunks(HikariDataSource pool, List<float[]> realVectors,
			List<String> vocabulary) {
		Random random = new Random(42);
		JdbcTemplate template = new JdbcTemplate(pool);
		JdbcClient jdbc = JdbcClient.create(pool);
		// A made-up language of 100,000 words with Zipf frequencies, in which the sample
		// articles' own words (about 2,000) sit at ranks 50 to 5,000: the topic words of
		// a
		// large help desk, each in a few percent of chunks at most.
		String[] language = new String[100_000];
		for (int i = 0; i < language.length; i++) {
			language[i] = syntheticWord(random);
		}
		List<String> distinct = new ArrayList<>(new java.util.LinkedHashSet<>(vocabulary));
		java.util.Collections.shuffle(distinct, random);
		for (String word : distinct) {
			language[50 + random.nextInt(4950)] = word;
		}
		double[] zipf = new double[language.length];
		double sum = 0;
		for (int i = 0; i < language.length; i++) {
			sum += 1.0 / (i + 1);
			zipf[i] = sum;
		}
		int perDocument = 10;
		for (int first = 0; first < SYNTHETIC_CHUNKS; first += perDocument) {
			long documentId = jdbc
				.sql("insert into knowledge_documents (title, source, media_type, content_hash, size_bytes, "
						+ "chunk_count) values (?, ?, 'text/plain', ?, 0, ?) returning id")
				.params("Synthetic " + first, "synthetic-" + first + ".txt", String.format(Locale.ROOT, "%064x", first),
						perDocument)
				.query(Long.class)
				.single();
			List<Object[]> rows = new ArrayList<>();
			for (int c = 0; c < perDocument; c++) {
				StringBuilder text = new StringBuilder();
				for (int w = 0; w < 180; w++) {
					int rank = Arrays.binarySearch(zipf, random.nextDouble() * sum);
					text.append(language[Math.min(language.length - 1, (rank < 0) ? -rank - 1 : rank)]);
					text.append((w % 15 == 14) ? ". " : " ");
				}
				float[] vector = noisy(realVectors.get(random.nextInt(realVectors.size())), random);
				rows.add(new Object[] { documentId, c, "Synthetic " + first + " > part " + c, text.toString(),
						KnowledgeStore.encode(new float[][] { vector }) });
			}
			template.batchUpdate(
					"insert into knowledge_chunks (document_id, ordinal, context, content, embedding, embedding_model) "
							+ "values (?, ?, ?, ?, ?, (select id from knowledge_embedding_models where model = '"
							+ LocalEmbedder.MODEL_ID + "'))",
					rows);
		}
		jdbc.sql("update knowledge_state set version = version + 1").update();
	}

	private static String syntheticWord(Random random) {
		String consonants = "bcdfghklmnprstvz";
		String vowels = "aeiou";
		StringBuilder word = new StringBuilder();
		int syllables = 2 + random.nextInt(3);
		for (int s = 0; s < syllables; s++) {
			word.append(consonants.charAt(random.nextInt(consonants.length())));
			word.append(vowels.charAt(random.nextInt(vowels.length())));
		}
		return word.append(consonants.charAt(random.nextInt(consonants.length()))).toString();
	}

	/** A unit vector near {@code base}: cosine about 0.75. */
	private static float[] noisy(float[] base, Random random) {
		float[] vector = new float[base.length];
		double norm = 0;
		for (int i = 0; i < base.length; i++) {
			vector[i] = base[i] + (float) (random.nextGaussian() * 0.045);
			norm += vector[i] * vector[i];
		}
		float scale = (float) (1 / Math.sqrt(norm));
		for (int i = 0; i < base.length; i++) {
			vector[i] *= scale;
		}
		return vector;
	}

	private static double p(double[] values, int percentile) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		return percentile(sorted, percentile);
	}

	private static double percentile(double[] sorted, int percentile) {
		int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
		return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
	}

	private static double median(List<Double> values) {
		List<Double> sorted = new ArrayList<>(values);
		sorted.sort(Double::compare);
		int n = sorted.size();
		return (n % 2 == 1) ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
	}

	private static long usedHeapMb() {
		Runtime runtime = Runtime.getRuntime();
		System.gc();
		return (runtime.totalMemory() - runtime.freeMemory()) / (1024 * 1024);
	}

}
