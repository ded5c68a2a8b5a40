package com.ragchat.knowledge;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Measures the heap the in-memory vector index holds per chunk: fills a
 * {@link VectorIndex} with random unit vectors (one window per chunk, as chunks of the
 * default size get) and reports the heap in use after a full GC, before and after. Not a
 * test; run it (see OPERATIONS.md, "In-memory vector index or pgvector"):
 *
 * <pre>
 * ./mvnw -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test
 * java -Xmx2g -cp target/test-classes:target/classes:$(cat target/test.classpath) \
 *   com.ragchat.knowledge.VectorIndexMemory 100000 384 10
 * </pre>
 *
 * Arguments: chunks (100000), dimensions (384), chunks per document (10).
 */
public final class VectorIndexMemory {

	private VectorIndexMemory() {
	}

	public static void main(String[] args) {
		int chunks = (args.length > 0) ? Integer.parseInt(args[0]) : 100_000;
		int dimensions = (args.length > 1) ? Integer.parseInt(args[1]) : 384;
		int perDocument = (args.length > 2) ? Integer.parseInt(args[2]) : 10;
		// A small index first, discarded: classes loaded and code compiled before the
		// baseline, so the difference is the index alone.
		fill(1000, dimensions, perDocument);
		long before = usedAfterGc();
		VectorIndex index = fill(chunks, dimensions, perDocument);
		long after = usedAfterGc();
		// Keep the index reachable until after the measurement.
		if (index.size() != chunks) {
			throw new IllegalStateException("index holds " + index.size() + " vectors, not " + chunks);
		}
		long bytes = after - before;
		System.out.printf(Locale.ROOT,
				"VectorIndex: %d chunks of %d dimensions (%d per document): %.1f MB of heap after GC, "
						+ "%.0f bytes per chunk, %.1f MB per 100,000 chunks (Java %s, %s)%n",
				chunks, dimensions, perDocument, bytes / 1e6, (double) bytes / chunks, bytes / 1e6 * 100_000 / chunks,
				Runtime.version(), ManagementFactory.getRuntimeMXBean().getVmName());
	}

	private static VectorIndex fill(int chunks, int dimensions, int perDocument) {
		VectorIndex index = new VectorIndex(null);
		SplittableRandom random = new SplittableRandom(42);
		Map<Long, VectorIndex.Segment> segments = new HashMap<>();
		long chunkId = 1;
		for (long document = 1; chunkId <= chunks; document++) {
			int size = (int) Math.min(perDocument, chunks - chunkId + 1);
			long[] ids = new long[size];
			float[][] vectors = new float[size][];
			for (int i = 0; i < size; i++) {
				ids[i] = chunkId++;
				vectors[i] = randomUnitVector(random, dimensions);
			}
			segments.put(document, VectorIndex.segment(document, ids, vectors));
		}
		index.install(1, segments);
		return index;
	}

	private static float[] randomUnitVector(SplittableRandom random, int dimensions) {
		float[] vector = new float[dimensions];
		double norm = 0;
		for (int d = 0; d < dimensions; d++) {
			vector[d] = (float) (random.nextDouble() * 2 - 1);
			norm += vector[d] * vector[d];
		}
		float scale = (float) (1 / Math.sqrt(norm));
		for (int d = 0; d < dimensions; d++) {
			vector[d] *= scale;
		}
		return vector;
	}

	private static long usedAfterGc() {
		var memory = ManagementFactory.getMemoryMXBean();
		long used = Long.MAX_VALUE;
		// Several rounds: a single System.gc() may leave garbage that a later one frees.
		for (int i = 0; i < 5; i++) {
			System.gc();
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
		}
		return used;
	}

}
