package com.ragchat.knowledge;

import com.ragchat.rag.Cancellation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Computes embeddings on bounded pools of platform threads of its own: one for ingestion
 * (large batches, may queue) and one for questions (one short text each, so a big upload
 * never delays a chat). Request threads only wait for the result; they never run the
 * model, which would pin a virtual thread's carrier for the length of a native call.
 */
final class EmbeddingService implements AutoCloseable {

	/** Pending ingestion batches beyond which uploads are refused as busy. */
	private static final int INGEST_QUEUE = 4096;

	/** Pending questions beyond which retrieval is refused as overloaded. */
	private static final int QUERY_QUEUE = 1024;

	private final Embedder embedder;

	private final int batchSize;

	private final ThreadPoolExecutor ingestPool;

	private final ThreadPoolExecutor queryPool;

	EmbeddingService(Embedder embedder, int threads, int batchSize) {
		this.embedder = embedder;
		this.batchSize = batchSize;
		this.ingestPool = pool("knowledge-embed-", threads, INGEST_QUEUE);
		this.queryPool = pool("knowledge-query-", threads, QUERY_QUEUE);
	}

	private static ThreadPoolExecutor pool(String prefix, int threads, int queue) {
		AtomicInteger counter = new AtomicInteger();
		ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
				new ArrayBlockingQueue<>(queue), (runnable) -> {
					Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				}, new ThreadPoolExecutor.AbortPolicy());
		executor.allowCoreThreadTimeOut(true);
		return executor;
	}

	/**
	 * Embeds passages for storage, in batches of {@code batchSize} texts spread over the
	 * ingestion pool; each batch is one call of the {@link Embedder} (one HTTP request
	 * for a provider's API; the local model takes the texts one by one).
	 * @throws BusyException when the pool's queue is full
	 */
	List<float[]> embedPassages(List<String> texts) {
		return embedPassages(texts, Cancellation.none());
	}

	/**
	 * As {@link #embedPassages(List)}, giving up when {@code cancellation} fires: batches
	 * not started are dropped.
	 * @throws IngestionCancelledException when cancelled before the last batch finished
	 */
	List<float[]> embedPassages(List<String> texts, Cancellation cancellation) {
		List<Future<float[][]>> futures = new java.util.concurrent.CopyOnWriteArrayList<>();
		cancellation.onCancel(() -> futures.forEach((future) -> future.cancel(false)));
		try {
			for (int start = 0; start < texts.size(); start += this.batchSize) {
				List<String> batch = List.copyOf(texts.subList(start, Math.min(texts.size(), start + this.batchSize)));
				futures.add(this.ingestPool.submit(() -> checked(this.embedder.embed(batch), batch.size())));
			}
		}
		catch (RejectedExecutionException ex) {
			futures.forEach((future) -> future.cancel(false));
			throw new BusyException();
		}
		List<float[]> result = new ArrayList<>(texts.size());
		for (Future<float[][]> future : futures) {
			if (cancellation.isCancelled()) {
				futures.forEach((pending) -> pending.cancel(false));
				throw new IngestionCancelledException();
			}
			try {
				result.addAll(List.of(await(future)));
			}
			catch (java.util.concurrent.CancellationException ex) {
				throw new IngestionCancelledException();
			}
		}
		return result;
	}

	/** Starts embedding a question on the query pool. */
	CompletableFuture<float[]> embedQuery(String text) {
		try {
			return CompletableFuture.supplyAsync(() -> this.embedder.embedQuery(text), this.queryPool);
		}
		catch (RejectedExecutionException ex) {
			return CompletableFuture.failedFuture(new BusyException());
		}
	}

	/** The model that computes the vectors. */
	Embedder embedder() {
		return this.embedder;
	}

	private float[][] checked(List<float[]> vectors, int expected) {
		if (vectors.size() != expected) {
			throw new IllegalStateException(
					"the embedding model returned " + vectors.size() + " vectors for " + expected + " texts");
		}
		return vectors.toArray(new float[0][]);
	}

	static <T> T await(Future<T> future) {
		try {
			return future.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			future.cancel(true);
			throw new IllegalStateException("interrupted while embedding", ex);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new IllegalStateException("embedding failed", ex.getCause());
		}
	}

	@Override
	public void close() {
		this.ingestPool.shutdownNow();
		this.queryPool.shutdownNow();
		try {
			this.ingestPool.awaitTermination(5, TimeUnit.SECONDS);
			this.queryPool.awaitTermination(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		// The embedder is a bean of its own, closed by the container.
	}

	/** The embedding pools are saturated; the caller should retry later. */
	static final class BusyException extends RuntimeException {

		BusyException() {
			super("the embedding pool is saturated");
		}

	}

}
