package com.ragchat.load;

import java.util.Arrays;
import java.util.Locale;

/**
 * Every latency of one phase, kept exactly (no sampling, no bucketing), so percentiles
 * are the true order statistics of what was measured.
 */
final class Latencies {

	private long[] nanos = new long[1024];

	private int count;

	private long errors;

	private long firstStartNanos = Long.MAX_VALUE;

	private long lastEndNanos = Long.MIN_VALUE;

	synchronized void record(long startNanos, long endNanos) {
		if (this.count == this.nanos.length) {
			this.nanos = Arrays.copyOf(this.nanos, this.nanos.length * 2);
		}
		this.nanos[this.count++] = endNanos - startNanos;
		this.firstStartNanos = Math.min(this.firstStartNanos, startNanos);
		this.lastEndNanos = Math.max(this.lastEndNanos, endNanos);
	}

	synchronized void error(long startNanos, long endNanos) {
		this.errors++;
		this.firstStartNanos = Math.min(this.firstStartNanos, startNanos);
		this.lastEndNanos = Math.max(this.lastEndNanos, endNanos);
	}

	synchronized Summary summarize(String name, double windowSeconds) {
		long[] sorted = Arrays.copyOf(this.nanos, this.count);
		Arrays.sort(sorted);
		double window = (windowSeconds > 0) ? windowSeconds
				: (this.count + this.errors == 0) ? 0 : (this.lastEndNanos - this.firstStartNanos) / 1e9;
		return new Summary(name, this.count, this.errors, window, percentile(sorted, 50), percentile(sorted, 95),
				percentile(sorted, 99), (sorted.length > 0) ? sorted[sorted.length - 1] / 1e6 : Double.NaN);
	}

	private static double percentile(long[] sorted, double p) {
		if (sorted.length == 0) {
			return Double.NaN;
		}
		// Nearest-rank definition: the smallest value with at least p% of values at or
		// below.
		int rank = (int) Math.ceil(p / 100.0 * sorted.length);
		return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
	}

	/**
	 * One phase's figures: milliseconds, and throughput over the phase's window.
	 */
	record Summary(String name, long ok, long errors, double windowSeconds, double p50Ms, double p95Ms, double p99Ms,
			double maxMs) {

		double throughput() {
			return (this.windowSeconds > 0) ? this.ok / this.windowSeconds : Double.NaN;
		}

		double errorRate() {
			long total = this.ok + this.errors;
			return (total == 0) ? 0 : (double) this.errors / total;
		}

		String row() {
			return String.format(Locale.ROOT, "| %s | %d | %d (%.2f%%) | %.1f/s | %.1f | %.1f | %.1f | %.1f |",
					this.name, this.ok, this.errors, 100 * errorRate(), throughput(), this.p50Ms, this.p95Ms,
					this.p99Ms, this.maxMs);
		}

		static String header() {
			return "| phase | ok | errors | throughput | p50 ms | p95 ms | p99 ms | max ms |\n"
					+ "|---|---|---|---|---|---|---|---|";
		}

	}

}
