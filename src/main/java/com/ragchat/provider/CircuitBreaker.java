package com.ragchat.provider;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * One provider's circuit: closed while calls work; open for a while after
 * {@code threshold} consecutive transient failures, refusing calls at once; then half
 * open, letting a single trial call through whose result closes or reopens it.
 */
final class CircuitBreaker {

	/** What an open circuit tells callers to wait while a trial call is running. */
	private static final Duration TRIAL_WAIT = Duration.ofSeconds(1);

	enum State {

		CLOSED, OPEN, HALF_OPEN

	}

	private final int threshold;

	private final long openNanos;

	private final LongSupplier clock;

	private final ReentrantLock lock = new ReentrantLock();

	private State state = State.CLOSED;

	private int consecutiveFailures;

	private long openUntil;

	private boolean trialInFlight;

	CircuitBreaker(int threshold, Duration openDuration, LongSupplier clock) {
		this.threshold = threshold;
		this.openNanos = openDuration.toNanos();
		this.clock = clock;
	}

	/**
	 * Asks to make a call: empty when it may go ahead, else how long the caller should
	 * wait before trying again.
	 */
	Optional<Duration> tryAcquire() {
		this.lock.lock();
		try {
			long now = this.clock.getAsLong();
			switch (this.state) {
				case CLOSED:
					return Optional.empty();
				case OPEN:
					if (now - this.openUntil >= 0) {
						this.state = State.HALF_OPEN;
						this.trialInFlight = true;
						return Optional.empty();
					}
					return Optional.of(remaining(now));
				default:
					if (!this.trialInFlight) {
						this.trialInFlight = true;
						return Optional.empty();
					}
					return Optional.of(TRIAL_WAIT);
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/** How long the circuit still refuses calls, or empty when it lets them through. */
	Optional<Duration> openFor() {
		this.lock.lock();
		try {
			long now = this.clock.getAsLong();
			if (this.state == State.OPEN && now - this.openUntil < 0) {
				return Optional.of(remaining(now));
			}
			if (this.state == State.HALF_OPEN && this.trialInFlight) {
				return Optional.of(TRIAL_WAIT);
			}
			return Optional.empty();
		}
		finally {
			this.lock.unlock();
		}
	}

	/** The provider answered (successfully, or with an error that proves it is up). */
	void onSuccess() {
		this.lock.lock();
		try {
			this.state = State.CLOSED;
			this.consecutiveFailures = 0;
			this.trialInFlight = false;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** A transient failure: timeout, throttling, 5xx, connection refused. */
	void onFailure() {
		this.lock.lock();
		try {
			this.consecutiveFailures++;
			if (this.state == State.HALF_OPEN || this.consecutiveFailures >= this.threshold) {
				this.state = State.OPEN;
				this.openUntil = this.clock.getAsLong() + this.openNanos;
				this.trialInFlight = false;
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/** The call was abandoned (client went away): a trial slot is given back. */
	void onAbandoned() {
		this.lock.lock();
		try {
			this.trialInFlight = false;
		}
		finally {
			this.lock.unlock();
		}
	}

	State state() {
		this.lock.lock();
		try {
			return this.state;
		}
		finally {
			this.lock.unlock();
		}
	}

	private Duration remaining(long now) {
		long nanos = Math.max(0, this.openUntil - now);
		return Duration.ofNanos(nanos);
	}

}
