package com.ragchat.provider.support;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;

import com.ragchat.rag.Cancellation;

/**
 * Runs a blocking provider call so that a {@link Cancellation} can abort it: the call
 * runs on its own virtual thread, which cancellation interrupts. A virtual thread blocked
 * on a socket closes that socket when interrupted, so the HTTP exchange really ends.
 */
public final class BlockingCalls {

	private BlockingCalls() {
	}

	/**
	 * Returns what {@code call} returns, or throws what it throws (unchecked exceptions
	 * as they are).
	 * @throws CancellationException when cancelled before the call finished
	 */
	public static <T> T call(Callable<T> call, Cancellation cancellation) {
		if (cancellation.isCancelled()) {
			throw new CancellationException("cancelled before the call");
		}
		CompletableFuture<T> result = new CompletableFuture<>();
		Thread worker = Thread.ofVirtual().name("provider-call").unstarted(() -> {
			try {
				result.complete(call.call());
			}
			catch (Throwable ex) {
				result.completeExceptionally(ex);
			}
		});
		cancellation.onCancel(() -> {
			if (result.cancel(false)) {
				worker.interrupt();
			}
		});
		worker.start();
		try {
			return result.get();
		}
		catch (InterruptedException ex) {
			worker.interrupt();
			Thread.currentThread().interrupt();
			throw new CancellationException("interrupted");
		}
		catch (ExecutionException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof RuntimeException runtime) {
				throw runtime;
			}
			if (cause instanceof Error error) {
				throw error;
			}
			throw new IllegalStateException(cause);
		}
	}

}
