package com.ragchat.knowledge;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The in-memory vector index ranks like exact cosine similarity: exactly on small
 * indexes, and with the sign prefilter on large ones, keeping nearly all of the exact top
 * k.
 */
class VectorIndexTests {

	private static final int DIMENSIONS = MiniLmEmbedder.DIMENSIONS;

	@Test
	void smallIndexRanksExactlyByCosine() {
		Random random = new Random(1);
		float[][] vectors = new float[500][];
		for (int i = 0; i < vectors.length; i++) {
			vectors[i] = unit(random);
		}
		VectorIndex index = index(vectors, 50);
		float[] query = unit(random);
		List<VectorIndex.Hit> hits = index.nearest(query, 10);
		int[] expected = java.util.stream.IntStream.range(0, vectors.length)
			.boxed()
			.sorted((a, b) -> Double.compare(KnowledgeSearch.dot(query, vectors[b]),
					KnowledgeSearch.dot(query, vectors[a])))
			.limit(3)
			.mapToInt(Integer::intValue)
			.toArray();
		assertThat(hits.subList(0, 3).stream().map(VectorIndex.Hit::chunkId).toList())
			.containsExactly((long) expected[0], (long) expected[1], (long) expected[2]);
		assertThat(hits.get(0).similarity()).isCloseTo(KnowledgeSearch.dot(query, vectors[expected[0]]),
				org.assertj.core.data.Offset.offset(0.02));
	}

	@Test
	void largeIndexKeepsNearlyAllOfTheExactTopK() {
		Random random = new Random(2);
		// Clustered like real embeddings: 300 topics, vectors near their topic.
		float[][] topics = new float[300][];
		for (int i = 0; i < topics.length; i++) {
			topics[i] = unit(random);
		}
		float[][] vectors = new float[VectorIndex.EXACT_SCAN_LIMIT + 20_000][];
		for (int i = 0; i < vectors.length; i++) {
			vectors[i] = near(topics[random.nextInt(topics.length)], random);
		}
		VectorIndex index = index(vectors, 10);
		int found = 0;
		int wanted = 0;
		for (int q = 0; q < 20; q++) {
			float[] query = near(topics[random.nextInt(topics.length)], random);
			Set<Long> exact = new HashSet<>();
			index.nearest(query, 40, true).forEach((hit) -> exact.add(hit.chunkId()));
			List<VectorIndex.Hit> approximate = index.nearest(query, 40);
			assertThat(approximate).hasSize(40);
			wanted += exact.size();
			found += (int) approximate.stream().filter((hit) -> exact.contains(hit.chunkId())).count();
		}
		System.out.printf(java.util.Locale.ROOT, "Sign prefilter recall of the exact top 40: %.3f%n",
				(double) found / wanted);
		assertThat((double) found / wanted).as("recall of the exact top 40").isGreaterThan(0.9);
	}

	private static VectorIndex index(float[][] vectors, int perDocument) {
		Map<Long, VectorIndex.Segment> segments = new HashMap<>();
		for (int first = 0; first < vectors.length; first += perDocument) {
			int n = Math.min(perDocument, vectors.length - first);
			long[] ids = new long[n];
			float[][] part = new float[n][];
			for (int i = 0; i < n; i++) {
				ids[i] = first + i;
				part[i] = vectors[first + i];
			}
			segments.put((long) first, VectorIndex.segment(first, ids, part));
		}
		VectorIndex index = new VectorIndex(null);
		index.install(1, segments);
		return index;
	}

	private static float[] unit(Random random) {
		float[] vector = new float[DIMENSIONS];
		for (int i = 0; i < DIMENSIONS; i++) {
			vector[i] = (float) random.nextGaussian();
		}
		return normalise(vector);
	}

	private static float[] near(float[] base, Random random) {
		float[] vector = new float[DIMENSIONS];
		for (int i = 0; i < DIMENSIONS; i++) {
			vector[i] = base[i] + (float) (random.nextGaussian() * 0.05);
		}
		return normalise(vector);
	}

	private static float[] normalise(float[] vector) {
		double norm = 0;
		for (float value : vector) {
			norm += value * value;
		}
		for (int i = 0; i < vector.length; i++) {
			vector[i] /= (float) Math.sqrt(norm);
		}
		return vector;
	}

}
