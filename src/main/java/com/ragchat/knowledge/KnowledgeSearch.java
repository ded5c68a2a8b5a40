package com.ragchat.knowledge;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.springframework.dao.DataAccessException;

import com.ragchat.rag.Cancellation;
import com.ragchat.rag.Passage;
import com.ragchat.rag.ProviderException;
import com.ragchat.rag.Retriever;
import com.ragchat.rag.Source;

/**
 * Hybrid search over the built-in knowledge base: the {@code local} retriever (which the
 * pipeline calls through its provider guard) and the admin search endpoint. Full-text
 * candidates (PostgreSQL {@code tsvector}, any question word may match, title and
 * headings weigh more) and vector candidates (MiniLM cosine similarity) are fused by
 * reciprocal rank fusion. Each result's {@link Source#score()} is its cosine similarity
 * to the question; passages below {@code KNOWLEDGE_MIN_RELEVANCE} are dropped, so a
 * question the knowledge base cannot answer gets no passages at all. Results prefer
 * distinct documents: a second passage of the same document only fills a place no other
 * document could.
 */
final class KnowledgeSearch implements Retriever {

	/** The usual constant of reciprocal rank fusion (Cormack et al.). */
	static final int RRF_K = 60;

	/**
	 * Runs the full-text query beside the vector search; it only waits on the database.
	 */
	private static final java.util.concurrent.Executor FULL_TEXT = (
			task) -> Thread.ofVirtual().name("knowledge-full-text").start(task);

	/** Chunks of one document merged into its passage, at most. */
	private static final int MAX_CHUNKS_PER_PASSAGE = 3;

	/**
	 * How much less relevant than a document's first chunk another of its chunks may be
	 * and still join the passage (an article's steps often score a little below its "if
	 * that did not work" section, and the answer needs both).
	 */
	private static final double MERGE_MARGIN = 0.12;

	private final KnowledgeStore store;

	private final NearestChunks vectors;

	private final EmbeddingService embeddings;

	private final int candidates;

	private final double minRelevance;

	KnowledgeSearch(KnowledgeStore store, NearestChunks vectors, EmbeddingService embeddings, int candidates,
			double minRelevance) {
		this.store = store;
		this.vectors = vectors;
		this.embeddings = embeddings;
		this.candidates = candidates;
		this.minRelevance = minRelevance;
	}

	@Override
	public String provider() {
		return "local";
	}

	/**
	 * The passages the chat pipeline gets: those reaching
	 * {@code KNOWLEDGE_MIN_RELEVANCE}.
	 */
	@Override
	public List<Passage> retrieve(String query, int limit, Cancellation cancellation) {
		return search(query, limit, this.minRelevance, cancellation).stream().map(ScoredChunk::passage).toList();
	}

	/**
	 * A retrieved chunk with the figures behind its place.
	 *
	 * @param passage the passage, its source scored with {@code relevance}
	 * @param documentId its document
	 * @param relevance cosine similarity to the question (of its best chunk)
	 * @param fused reciprocal-rank-fusion score of its best chunk (the order)
	 */
	record ScoredChunk(Passage passage, long documentId, double relevance, double fused) {
	}

	/**
	 * The best {@code limit} chunks for {@code query} whose relevance reaches
	 * {@code threshold}.
	 */
	List<ScoredChunk> search(String query, int limit, double threshold, Cancellation cancellation) {
		if (query.isBlank() || limit <= 0 || cancellation.isCancelled()) {
			return List.of();
		}
		CompletableFuture<float[]> embedding = this.embeddings.embedQuery(query);
		cancellation.onCancel(() -> embedding.cancel(true));
		try {
			// The full-text query runs in the database while the model embeds the
			// question and the vector side searches.
			long version = this.store.version();
			CompletableFuture<List<Long>> fullText = CompletableFuture
				.supplyAsync(() -> this.store.fullText(query, this.candidates), FULL_TEXT);
			float[] vector = EmbeddingService.await(embedding);
			List<VectorIndex.Hit> semantic = this.vectors.nearest(vector, this.candidates, version);
			List<Long> lexical = EmbeddingService.await(fullText);
			List<Long> semanticIds = semantic.stream().map(VectorIndex.Hit::chunkId).toList();
			Map<Long, Double> fusedScores = fusedScores(lexical, semanticIds);
			List<Long> order = fuse(lexical, semanticIds);
			List<Long> shortlist = order.subList(0, Math.min(order.size(), limit * 4 + 8));
			Map<Long, KnowledgeStore.ChunkRow> rows = new HashMap<>();
			for (KnowledgeStore.ChunkRow row : this.store.chunks(shortlist)) {
				rows.put(row.id(), row);
			}
			// One passage per document, so that passage numbers and cited sources match;
			// other chunks of the document that are about as relevant as its best join
			// it.
			Map<Long, List<KnowledgeStore.ChunkRow>> byDocument = new LinkedHashMap<>();
			Map<Long, double[]> scores = new HashMap<>();
			for (Long id : shortlist) {
				KnowledgeStore.ChunkRow row = rows.get(id);
				if (row == null) {
					// Deleted since the candidates were found.
					continue;
				}
				double relevance = best(vector, row.embeddings());
				if (relevance < threshold) {
					continue;
				}
				long document = row.document().id();
				List<KnowledgeStore.ChunkRow> chunks = byDocument.get(document);
				if (chunks == null) {
					if (byDocument.size() < limit) {
						List<KnowledgeStore.ChunkRow> first = new ArrayList<>();
						first.add(row);
						byDocument.put(document, first);
						scores.put(document, new double[] { relevance, fusedScores.get(id) });
					}
				}
				else if (chunks.size() < MAX_CHUNKS_PER_PASSAGE
						&& relevance >= scores.get(document)[0] - MERGE_MARGIN) {
					chunks.add(row);
					scores.get(document)[0] = Math.max(scores.get(document)[0], relevance);
				}
			}
			List<ScoredChunk> results = new ArrayList<>();
			byDocument.forEach((document, chunks) -> {
				double[] score = scores.get(document);
				results.add(new ScoredChunk(passage(chunks, score[0]), document, score[0], score[1]));
			});
			return results;
		}
		catch (EmbeddingService.BusyException ex) {
			throw new ProviderException("local", "retrieve", ProviderException.Kind.UNAVAILABLE, null,
					"the embedding pool is saturated", ex);
		}
		catch (DataAccessException ex) {
			throw new ProviderException("local", "retrieve", ProviderException.Kind.UNAVAILABLE, null,
					"knowledge base query failed", ex);
		}
		catch (java.util.concurrent.CancellationException ex) {
			return List.of();
		}
	}

	/** Chunk ids ordered by reciprocal rank fusion of the two rankings. */
	static List<Long> fuse(List<Long> lexical, List<Long> semantic) {
		Map<Long, Double> scores = fusedScores(lexical, semantic);
		List<Long> order = new ArrayList<>(scores.keySet());
		order.sort(Comparator.comparing((Long id) -> scores.get(id)).reversed().thenComparing(id -> id));
		return order;
	}

	static Map<Long, Double> fusedScores(List<Long> lexical, List<Long> semantic) {
		Map<Long, Double> scores = new HashMap<>();
		for (int rank = 0; rank < lexical.size(); rank++) {
			scores.merge(lexical.get(rank), 1.0 / (RRF_K + rank + 1), Double::sum);
		}
		for (int rank = 0; rank < semantic.size(); rank++) {
			scores.merge(semantic.get(rank), 1.0 / (RRF_K + rank + 1), Double::sum);
		}
		return scores;
	}

	/** The chunks of one document as one passage, in document order. */
	private static Passage passage(List<KnowledgeStore.ChunkRow> chunks, double relevance) {
		List<KnowledgeStore.ChunkRow> ordered = new ArrayList<>(chunks);
		ordered.sort(Comparator.comparingInt(KnowledgeStore.ChunkRow::ordinal));
		String content = String.join("\n\n", ordered.stream().map(KnowledgeStore.ChunkRow::content).toList());
		KnowledgeStore.DocumentRow document = chunks.get(0).document();
		KnowledgeStore.DocumentMetadata metadata = document.metadata();
		double score = Math.round(relevance * 10_000) / 10_000.0;
		Source source = new Source(document.title(), metadata.kbUrl(), metadata.kbNumber(), metadata.kbCategory(),
				metadata.shortDescription(), metadata.project(),
				document.createdAt().atOffset(ZoneOffset.UTC).toLocalDate().toString(), score);
		return new Passage(content, source);
	}

	/** Similarity of a chunk: that of its best window. */
	static double best(float[] query, float[][] windows) {
		double best = -1;
		for (float[] window : windows) {
			best = Math.max(best, dot(query, window));
		}
		return best;
	}

	static double dot(float[] a, float[] b) {
		double sum = 0;
		for (int i = 0; i < a.length; i++) {
			sum += a[i] * b[i];
		}
		return sum;
	}

}
