package com.ragchat.provider.support;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * Hands a provider stream's text fragments, produced on the HTTP client's threads, to the
 * caller's thread, so the pipeline's consumer is always called from the thread that asked
 * for the answer, one fragment at a time.
 */
public final class StreamPump {

	private static final Object COMPLETE = new Object();

	private static final Object CANCELLED = new Object();

	private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();

	/** A text fragment arrived (empty ones are ignored). */
	public void offer(@Nullable String fragment) {
		if (fragment != null && !fragment.isEmpty()) {
			this.queue.add(fragment);
		}
	}

	/** The stream ended normally. */
	public void complete() {
		this.queue.add(COMPLETE);
	}

	/** The stream failed. */
	public void fail(Throwable failure) {
		this.queue.add(new Failure(failure));
	}

	/** The caller no longer waits: wakes {@link #drain} at once. */
	public void cancel() {
		this.queue.add(CANCELLED);
	}

	/**
	 * Blocks until the stream ends, fails or is cancelled, passing each fragment to
	 * {@code deltas} on the calling thread.
	 */
	public Result drain(Consumer<String> deltas) {
		StringBuilder text = new StringBuilder();
		try {
			while (true) {
				Object next = this.queue.take();
				if (next == COMPLETE) {
					return new Result(text.toString(), null, false);
				}
				if (next == CANCELLED) {
					return new Result(text.toString(), null, true);
				}
				if (next instanceof Failure failure) {
					return new Result(text.toString(), failure.cause(), false);
				}
				String fragment = (String) next;
				text.append(fragment);
				deltas.accept(fragment);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new Result(text.toString(), null, true);
		}
	}

	/**
	 * How the stream ended.
	 *
	 * @param text all fragments, concatenated
	 * @param failure why it failed, or null
	 * @param cancelled whether it was cancelled
	 */
	public record Result(String text, @Nullable Throwable failure, boolean cancelled) {

	}

	private record Failure(Throwable cause) {

	}

}
