package com.ragchat.knowledge;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongPredicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The vector side of retrieval without pgvector: every chunk's embedding in memory,
 * quantized to one signed byte per dimension (a quarter of the floats' memory, and the
 * ranking barely moves), searched by a plain scan; beyond {@value #EXACT_SCAN_LIMIT}
 * vectors a sign-bit prefilter picks the vectors worth scoring.
 * <p>
 * Consistent across instances: before each search the caller passes the database's change
 * counter; when it moved, the index reloads the difference (documents are immutable: a
 * change is only ever a document added or removed). Snapshots are immutable, so searches
 * never wait for a reload in progress except the one that needs it.
 */
final class VectorIndex implements NearestChunks {

	private static final Logger logger = LoggerFactory.getLogger(VectorIndex.class);

	private final KnowledgeStore store;

	private final ReentrantLock refreshLock = new ReentrantLock();

	private volatile Snapshot snapshot = new Snapshot(-1, Map.of(), Map.of());

	VectorIndex(KnowledgeStore store) {
		this.store = store;
	}

	/**
	 * Embeddings of one document's chunks: one vector per embedded window, so a long
	 * chunk may own several (its id repeats in {@code chunkIds}).
	 */
	record Segment(long documentId, long[] chunkIds, byte[] vectors, float[] scales, long[] signs) {

		int size() {
			return this.chunkIds.length;
		}

	}

	/**
	 * An immutable state of the index at one version of the knowledge base.
	 *
	 * @param version the knowledge base's change counter it reflects
	 * @param segments each document's vectors
	 * @param revisions each loaded document's embedding revision (it moves when the
	 * document is re-embedded, and the document is then loaded again)
	 */
	record Snapshot(long version, Map<Long, Segment> segments, Map<Long, Integer> revisions) {

		int size() {
			int total = 0;
			for (Segment segment : this.segments.values()) {
				total += segment.size();
			}
			return total;
		}

	}

	/**
	 * A nearest chunk.
	 *
	 * @param chunkId chunk id
	 * @param documentId its document
	 * @param similarity approximate cosine similarity to the query
	 */
	record Hit(long chunkId, long documentId, double similarity) {
	}

	/** Vectors in the index (a chunk has one per embedded window). */
	int size() {
		return this.snapshot.size();
	}

	long version() {
		return this.snapshot.version();
	}

	/** Brings the index up to {@code currentVersion} of the database, if behind. */
	void refreshTo(long currentVersion) {
		if (this.snapshot.version() == currentVersion) {
			return;
		}
		this.refreshLock.lock();
		try {
			Snapshot current = this.snapshot;
			if (current.version() == currentVersion) {
				return;
			}
			// Read the version before the document list: the snapshot may then be newer
			// than the version it records (a harmless extra refresh), never older.
			long version = this.store.version();
			Map<Long, Integer> stored = this.store.documentRevisions();
			Map<Long, Segment> segments = new LinkedHashMap<>(current.segments());
			// Documents are immutable except for re-embedding, which moves their
			// revision.
			segments.keySet()
				.removeIf((id) -> !stored.containsKey(id) || !stored.get(id).equals(current.revisions().get(id)));
			List<Long> missing = new ArrayList<>();
			for (Long id : stored.keySet()) {
				if (!segments.containsKey(id)) {
					missing.add(id);
				}
			}
			segments.putAll(load(missing));
			Snapshot next = new Snapshot(version, Map.copyOf(segments), Map.copyOf(stored));
			this.snapshot = next;
			if (current.version() < 0) {
				logger.info("Knowledge base vector index loaded: {} vectors of {} documents", next.size(),
						next.segments().size());
			}
		}
		finally {
			this.refreshLock.unlock();
		}
	}

	private Map<Long, Segment> load(List<Long> documentIds) {
		Map<Long, SegmentBuilder> builders = new HashMap<>();
		for (int start = 0; start < documentIds.size(); start += 1000) {
			this.store.loadEmbeddings(documentIds.subList(start, Math.min(documentIds.size(), start + 1000)),
					(documentId, chunkId, embedding) -> builders
						.computeIfAbsent(documentId, (id) -> new SegmentBuilder())
						.add(chunkId, embedding));
		}
		Map<Long, Segment> segments = new HashMap<>();
		builders.forEach((id, builder) -> segments.put(id, builder.build(id)));
		return segments;
	}

	/** Refreshes to {@code version} if behind, then searches. */
	@Override
	public List<Match> nearest(float[] query, int k, long version, DocumentVisibility visibility) {
		refreshTo(version);
		return nearest(query, k, false, visibility::sees).stream()
			.map((hit) -> new Match(hit.chunkId(), hit.similarity()))
			.toList();
	}

	/**
	 * The {@code k} chunks most similar to {@code query} (a unit vector), each scored by
	 * its best window. Exact up to {@value #EXACT_SCAN_LIMIT} vectors; above, the vectors
	 * scored are those whose signs agree most with the question's (see the benchmark for
	 * the recall this keeps).
	 */
	List<Hit> nearest(float[] query, int k) {
		return nearest(query, k, false);
	}

	/** As {@link #nearest(float[], int)}, scoring every vector when {@code exact}. */
	List<Hit> nearest(float[] query, int k, boolean exact) {
		return nearest(query, k, exact, (document) -> true);
	}

	/** As {@link #nearest(float[], int, boolean)}, among the documents accepted. */
	List<Hit> nearest(float[] query, int k, boolean exact, LongPredicate visibleDocument) {
		List<Hit> vectors = nearestVectors(query, 2 * k, exact, visibleDocument);
		Map<Long, Hit> byChunk = new LinkedHashMap<>();
		for (Hit hit : vectors) {
			byChunk.putIfAbsent(hit.chunkId(), hit);
		}
		List<Hit> hits = new ArrayList<>(byChunk.values());
		return hits.subList(0, Math.min(k, hits.size()));
	}

	private List<Hit> nearestVectors(float[] query, int k, boolean exact, LongPredicate visibleDocument) {
		Snapshot current = this.snapshot;
		byte[] q = new byte[query.length];
		float queryScale = quantize(query, q, 0);
		PriorityQueue<Hit> best = new PriorityQueue<>(k + 1, (a, b) -> Double.compare(a.similarity(), b.similarity()));
		int cutoff = Integer.MAX_VALUE;
		long[] querySigns = null;
		int total = current.size();
		if (!exact && total > EXACT_SCAN_LIMIT) {
			// Large index: rescore only the vectors whose sign pattern is closest to the
			// question's (a Hamming distance over six words is far cheaper than a dot
			// product), enough of them that the exact top k is almost always among them.
			querySigns = signs(q, 0, q.length);
			cutoff = hammingCutoff(current, querySigns, Math.max(PREFILTER_MIN, PREFILTER_FACTOR * k));
		}
		int dimensions = query.length;
		int signWords = signWords(dimensions);
		int unrolled = dimensions - dimensions % 4;
		for (Segment segment : current.segments().values()) {
			byte[] vectors = segment.vectors();
			long[] signs = segment.signs();
			if (vectors.length != segment.size() * dimensions) {
				// Another model's vectors: never compared with this question.
				continue;
			}
			if (!visibleDocument.test(segment.documentId())) {
				// Another tenant's document.
				continue;
			}
			for (int i = 0; i < segment.size(); i++) {
				if (querySigns != null && hamming(signs, i * signWords, querySigns) > cutoff) {
					continue;
				}
				int offset = i * dimensions;
				int s0 = 0;
				int s1 = 0;
				int s2 = 0;
				int s3 = 0;
				for (int d = 0; d < unrolled; d += 4) {
					s0 += vectors[offset + d] * q[d];
					s1 += vectors[offset + d + 1] * q[d + 1];
					s2 += vectors[offset + d + 2] * q[d + 2];
					s3 += vectors[offset + d + 3] * q[d + 3];
				}
				for (int d = unrolled; d < dimensions; d++) {
					s0 += vectors[offset + d] * q[d];
				}
				double similarity = (s0 + s1 + s2 + s3) * (double) segment.scales()[i] * queryScale;
				if (best.size() < k) {
					best.add(new Hit(segment.chunkIds()[i], segment.documentId(), similarity));
				}
				else if (similarity > best.peek().similarity()) {
					best.poll();
					best.add(new Hit(segment.chunkIds()[i], segment.documentId(), similarity));
				}
			}
		}
		List<Hit> hits = new ArrayList<>(best);
		hits.sort((a, b) -> Double.compare(b.similarity(), a.similarity()));
		return hits;
	}

	/** Replaces the contents (tests and benchmarks build indexes without a database). */
	void install(long version, Map<Long, Segment> segments) {
		this.snapshot = new Snapshot(version, Map.copyOf(segments), Map.of());
	}

	/** A segment of one document's chunk vectors (one vector per chunk here). */
	static Segment segment(long documentId, long[] chunkIds, float[][] vectors) {
		SegmentBuilder builder = new SegmentBuilder();
		for (int i = 0; i < chunkIds.length; i++) {
			builder.add(chunkIds[i], new float[][] { vectors[i] });
		}
		return builder.build(documentId);
	}

	/** Every vector is scored exactly up to this many vectors in the index. */
	static final int EXACT_SCAN_LIMIT = 20_000;

	/**
	 * Above it, at least this many vectors (or this factor times k) are scored exactly.
	 */
	static final int PREFILTER_MIN = 2000;

	static final int PREFILTER_FACTOR = 50;

	/** Words of sign bits per vector of {@code dimensions}. */
	private static int signWords(int dimensions) {
		return (dimensions + 63) / 64;
	}

	/** Smallest Hamming distance that lets at least {@code wanted} vectors through. */
	private static int hammingCutoff(Snapshot snapshot, long[] querySigns, int wanted) {
		int[] histogram = new int[querySigns.length * 64 + 1];
		for (Segment segment : snapshot.segments().values()) {
			long[] signs = segment.signs();
			if (signs.length != segment.size() * querySigns.length) {
				continue;
			}
			for (int i = 0; i < segment.size(); i++) {
				histogram[hamming(signs, i * querySigns.length, querySigns)]++;
			}
		}
		int seen = 0;
		for (int distance = 0; distance < histogram.length; distance++) {
			seen += histogram[distance];
			if (seen >= wanted) {
				return distance;
			}
		}
		return histogram.length;
	}

	private static int hamming(long[] signs, int offset, long[] query) {
		int distance = 0;
		for (int w = 0; w < query.length; w++) {
			distance += Long.bitCount(signs[offset + w] ^ query[w]);
		}
		return distance;
	}

	/** One bit per dimension: set where the value is positive. */
	static long[] signs(byte[] vectors, int offset, int dimensions) {
		long[] signs = new long[signWords(dimensions)];
		for (int d = 0; d < dimensions; d++) {
			if (vectors[offset + d] > 0) {
				signs[d / 64] |= 1L << (d % 64);
			}
		}
		return signs;
	}

	/**
	 * Writes {@code vector} as signed bytes into {@code out} at {@code offset} and
	 * returns the scale that maps them back ({@code value ≈ byte × scale}).
	 */
	static float quantize(float[] vector, byte[] out, int offset) {
		float max = 0f;
		for (float value : vector) {
			max = Math.max(max, Math.abs(value));
		}
		if (max == 0f) {
			return 0f;
		}
		float scale = max / 127f;
		for (int d = 0; d < vector.length; d++) {
			out[offset + d] = (byte) Math.round(vector[d] / scale);
		}
		return scale;
	}

	private static final class SegmentBuilder {

		private final List<Long> ids = new ArrayList<>();

		private final List<float[]> vectors = new ArrayList<>();

		void add(long chunkId, float[][] windows) {
			for (float[] vector : windows) {
				this.ids.add(chunkId);
				this.vectors.add(vector);
			}
		}

		Segment build(long documentId) {
			int dimensions = this.vectors.isEmpty() ? 0 : this.vectors.get(0).length;
			long[] chunkIds = new long[this.ids.size()];
			byte[] bytes = new byte[this.ids.size() * dimensions];
			float[] scales = new float[this.ids.size()];
			int signWords = signWords(dimensions);
			long[] signs = new long[this.ids.size() * signWords];
			for (int i = 0; i < chunkIds.length; i++) {
				chunkIds[i] = this.ids.get(i);
				scales[i] = quantize(this.vectors.get(i), bytes, i * dimensions);
				System.arraycopy(signs(bytes, i * dimensions, dimensions), 0, signs, i * signWords, signWords);
			}
			return new Segment(documentId, chunkIds, bytes, scales, signs);
		}

	}

}
