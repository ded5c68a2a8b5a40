package com.ragchat.rag;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A signal that the work is no longer wanted (the client went away, the request timed
 * out). Adapters register what aborts their upstream call; {@link #cancel()} runs it
 * once.
 */
public final class Cancellation {

	private final AtomicBoolean cancelled = new AtomicBoolean();

	private final List<Runnable> callbacks = new CopyOnWriteArrayList<>();

	/** A cancellation that never fires, for callers with nothing to cancel. */
	public static Cancellation none() {
		return new Cancellation();
	}

	public boolean isCancelled() {
		return this.cancelled.get();
	}

	/**
	 * Fires the signal; the first call runs every registered callback, later calls do
	 * nothing.
	 */
	public void cancel() {
		if (this.cancelled.compareAndSet(false, true)) {
			for (Runnable callback : this.callbacks) {
				try {
					callback.run();
				}
				catch (RuntimeException ex) {
					// An abort that fails must not stop the others.
				}
			}
		}
	}

	/**
	 * Registers {@code callback} to run on cancellation; runs it at once if already
	 * cancelled.
	 */
	public void onCancel(Runnable callback) {
		this.callbacks.add(callback);
		if (isCancelled() && this.callbacks.remove(callback)) {
			callback.run();
		}
	}

}
