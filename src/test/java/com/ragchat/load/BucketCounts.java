package com.ragchat.load;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

import com.ragchat.observability.PrometheusText;

/**
 * The cumulative bucket counts of one unlabelled Prometheus histogram, read from the
 * service's {@code /api/metrics}: lets the harness compare what the server measured with
 * what the client saw, over the same window (the difference of two scrapes).
 */
final class BucketCounts {

	private final TreeMap<Double, Double> cumulative;

	private BucketCounts(TreeMap<Double, Double> cumulative) {
		this.cumulative = cumulative;
	}

	static BucketCounts scrape(LoadApi api, String histogram) throws IOException, InterruptedException {
		LoadApi.Result metrics = api.metrics();
		if (metrics.status() != 200) {
			throw new IllegalStateException("/api/metrics answered " + metrics.status());
		}
		TreeMap<Double, Double> counts = new TreeMap<>();
		for (PrometheusText.Sample sample : PrometheusText.parse(metrics.body()).named(histogram + "_bucket")) {
			String le = sample.labels().get("le");
			counts.merge("+Inf".equals(le) ? Double.POSITIVE_INFINITY : Double.parseDouble(le), sample.value(),
					Double::sum);
		}
		if (counts.isEmpty()) {
			throw new IllegalStateException("no buckets of " + histogram + " in /api/metrics");
		}
		return new BucketCounts(counts);
	}

	BucketCounts minus(BucketCounts earlier) {
		TreeMap<Double, Double> difference = new TreeMap<>();
		for (Map.Entry<Double, Double> entry : this.cumulative.entrySet()) {
			difference.put(entry.getKey(), entry.getValue() - earlier.cumulative.getOrDefault(entry.getKey(), 0.0));
		}
		return new BucketCounts(difference);
	}

	long total() {
		return Math.round(this.cumulative.lastEntry().getValue());
	}

	/**
	 * Share of observations at or below {@code seconds}, which must be a bucket bound.
	 */
	double fractionAtMost(double seconds) {
		Double count = this.cumulative.get(seconds);
		if (count == null) {
			throw new IllegalArgumentException("no bucket le=" + seconds + "; bounds: " + this.cumulative.keySet());
		}
		return (total() == 0) ? 0 : count / total();
	}

	/**
	 * A quantile by linear interpolation inside its bucket, as Prometheus'
	 * {@code histogram_quantile} does; in milliseconds.
	 */
	double quantileMs(double q) {
		double rank = q * total();
		double lowerBound = 0;
		double lowerCount = 0;
		for (Map.Entry<Double, Double> entry : this.cumulative.entrySet()) {
			if (entry.getValue() >= rank) {
				if (entry.getKey().isInfinite()) {
					return lowerBound * 1000;
				}
				double inBucket = entry.getValue() - lowerCount;
				double share = (inBucket == 0) ? 0 : (rank - lowerCount) / inBucket;
				return (lowerBound + (entry.getKey() - lowerBound) * share) * 1000;
			}
			lowerBound = entry.getKey();
			lowerCount = entry.getValue();
		}
		return Double.NaN;
	}

}
