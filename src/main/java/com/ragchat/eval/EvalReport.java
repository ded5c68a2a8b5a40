package com.ragchat.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The figures of one evaluation run: for every split (and {@code all}) the overall
 * measures and the same per category, then every question's outcome.
 *
 * @param configuration the retriever and answer model that answered
 * @param splits measures per split, {@code all} first
 * @param outcomes every question's outcome, in the set's order
 */
record EvalReport(String configuration, Map<String, Figures> splits, List<Outcome> outcomes) {

	/**
	 * How one question went.
	 *
	 * @param id question id
	 * @param split its split
	 * @param category its category
	 * @param question the question
	 * @param outOfScope whether a refusal was expected
	 * @param expected the articles that answer it
	 * @param sources the answer's sources, best first
	 * @param refused whether the answer was a refusal
	 * @param rank position of the first expected article among the sources (0: absent, or
	 * refused)
	 * @param keyFacts key facts asked for
	 * @param missingFacts the key facts the answer does not contain
	 * @param latencyMs time for the whole pipeline
	 * @param answer the answer text
	 */
	record Outcome(String id, String split, String category, String question, boolean outOfScope, List<String> expected,
			List<String> sources, boolean refused, int rank, int keyFacts, List<String> missingFacts, long latencyMs,
			String answer) {

		double factCoverage() {
			if (this.keyFacts == 0) {
				return (this.rank > 0) ? 1.0 : 0.0;
			}
			return (this.refused) ? 0.0 : (double) (this.keyFacts - this.missingFacts.size()) / this.keyFacts;
		}

		boolean failed() {
			return this.outOfScope ? !this.refused : (this.rank != 1 || !this.missingFacts.isEmpty());
		}

	}

	/**
	 * Measures over a group of questions. Retrieval and key-fact measures are over the
	 * answerable questions (a refused one counts as a miss), refusal measures over all.
	 *
	 * @param questions questions in the group
	 * @param answerable of which answerable
	 * @param outOfScope of which out of scope
	 * @param hitAt1 share of answerable questions whose first source is an expected
	 * article
	 * @param hitAt3 share with an expected article among the first three sources
	 * @param mrr mean reciprocal rank of the first expected article among the sources
	 * @param refusalPrecision share of refusals that were out-of-scope questions (1 when
	 * nothing was refused)
	 * @param refusalRecall share of out-of-scope questions refused
	 * @param answerableRefused share of answerable questions wrongly refused
	 * @param keyFactCoverage mean share of key facts found in the answer
	 * @param latencyMedianMs median pipeline time
	 * @param latencyP95Ms 95th percentile pipeline time
	 * @param categories the same measures per category (empty inside a category)
	 */
	record Figures(int questions, int answerable, int outOfScope, double hitAt1, double hitAt3, double mrr,
			double refusalPrecision, double refusalRecall, double answerableRefused, double keyFactCoverage,
			long latencyMedianMs, long latencyP95Ms, Map<String, Figures> categories) {

		static Figures of(List<Outcome> outcomes, boolean withCategories) {
			List<Outcome> answerable = outcomes.stream().filter((o) -> !o.outOfScope()).toList();
			List<Outcome> outside = outcomes.stream().filter(Outcome::outOfScope).toList();
			long refused = outcomes.stream().filter(Outcome::refused).count();
			long refusedOutside = outside.stream().filter(Outcome::refused).count();
			List<Long> latencies = outcomes.stream().map(Outcome::latencyMs).sorted().toList();
			Map<String, Figures> categories = new TreeMap<>();
			if (withCategories) {
				Map<String, List<Outcome>> byCategory = new TreeMap<>();
				outcomes.forEach((o) -> byCategory.computeIfAbsent(o.category(), (c) -> new ArrayList<>()).add(o));
				byCategory.forEach((category, group) -> categories.put(category, of(group, false)));
			}
			return new Figures(outcomes.size(), answerable.size(), outside.size(),
					share(answerable, (o) -> o.rank() == 1), share(answerable, (o) -> o.rank() >= 1 && o.rank() <= 3),
					mean(answerable.stream().map((o) -> (o.rank() > 0) ? 1.0 / o.rank() : 0.0).toList()),
					(refused == 0) ? 1.0 : (double) refusedOutside / refused, share(outside, Outcome::refused),
					share(answerable, Outcome::refused), mean(answerable.stream().map(Outcome::factCoverage).toList()),
					percentile(latencies, 0.5), percentile(latencies, 0.95), categories);
		}

		private static double share(List<Outcome> outcomes, Predicate<Outcome> test) {
			return outcomes.isEmpty() ? 0.0 : (double) outcomes.stream().filter(test).count() / outcomes.size();
		}

		private static double mean(List<Double> values) {
			return values.isEmpty() ? 0.0 : values.stream().mapToDouble(Double::doubleValue).sum() / values.size();
		}

		private static long percentile(List<Long> sorted, double p) {
			if (sorted.isEmpty()) {
				return 0;
			}
			int index = (int) Math.ceil(p * sorted.size()) - 1;
			return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
		}

	}

	static EvalReport of(List<Outcome> outcomes, String configuration) {
		Map<String, Figures> splits = new LinkedHashMap<>();
		splits.put("all", Figures.of(outcomes, true));
		Map<String, List<Outcome>> bySplit = new TreeMap<>();
		outcomes.forEach((o) -> bySplit.computeIfAbsent(o.split(), (s) -> new ArrayList<>()).add(o));
		if (bySplit.size() > 1 || !bySplit.containsKey("all")) {
			bySplit.forEach((split, group) -> splits.put(split, Figures.of(group, true)));
		}
		return new EvalReport(configuration, splits, List.copyOf(outcomes));
	}

	/** The report as Markdown: a table per split, per category, then the failures. */
	String toMarkdown() {
		StringBuilder out = new StringBuilder("# Evaluation report\n\n");
		out.append("Configuration: ").append(this.configuration).append("\n\n");
		out.append("| split | questions | answerable | out of scope | hit@1 | hit@3 | MRR | refusal precision "
				+ "| refusal recall | answerable refused | key-fact coverage | latency median / p95 ms |\n");
		out.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
		this.splits.forEach((split, figures) -> row(out, split, figures));
		this.splits.forEach((split, figures) -> {
			out.append("\n## Split `").append(split).append("` per category\n\n");
			out.append("| category | questions | answerable | out of scope | hit@1 | hit@3 | MRR | refusal precision "
					+ "| refusal recall | answerable refused | key-fact coverage | latency median / p95 ms |\n");
			out.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
			figures.categories().forEach((category, group) -> row(out, category, group));
		});
		List<Outcome> failures = this.outcomes.stream().filter(Outcome::failed).toList();
		out.append("\n## Questions not fully right (").append(failures.size()).append(")\n\n");
		for (Outcome o : failures) {
			out.append("- `").append(o.id()).append("` (").append(o.split()).append(", ").append(o.category());
			out.append(") \"").append(o.question().replace('\n', ' ')).append("\": ");
			if (o.outOfScope()) {
				out.append("should be refused; answered from ").append(o.sources());
			}
			else {
				out.append("expected ").append(o.expected()).append(", got ");
				out.append(o.refused() ? "a refusal" : o.sources().toString());
				if (!o.missingFacts().isEmpty()) {
					out.append("; missing facts ").append(o.missingFacts());
				}
			}
			out.append('\n');
		}
		return out.toString();
	}

	private static void row(StringBuilder out, String name, Figures f) {
		out.append(String.format(Locale.ROOT,
				"| %s | %d | %d | %d | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %d / %d |%n", name,
				f.questions(), f.answerable(), f.outOfScope(), f.hitAt1(), f.hitAt3(), f.mrr(), f.refusalPrecision(),
				f.refusalRecall(), f.answerableRefused(), f.keyFactCoverage(), f.latencyMedianMs(), f.latencyP95Ms()));
	}

}
