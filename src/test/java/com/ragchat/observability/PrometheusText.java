package com.ragchat.observability;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The samples of a Prometheus text exposition, parsed strictly enough for tests: a line
 * that does not parse fails the test rather than being skipped. Public for the load
 * harness, which reads the server's own histograms with it.
 */
public record PrometheusText(List<Sample> samples) {

	public static PrometheusText parse(String exposition) {
		List<Sample> samples = new ArrayList<>();
		for (String line : exposition.split("\n")) {
			if (line.isBlank() || line.startsWith("#")) {
				continue;
			}
			samples.add(sample(line));
		}
		return new PrometheusText(List.copyOf(samples));
	}

	/** Names of all series (with their {@code _bucket}, {@code _count}… suffixes). */
	Set<String> names() {
		Set<String> names = new TreeSet<>();
		this.samples.forEach((sample) -> names.add(sample.name()));
		return names;
	}

	public List<Sample> named(String name) {
		return this.samples.stream().filter((sample) -> sample.name().equals(name)).toList();
	}

	List<Sample> named(String name, Predicate<Map<String, String>> labels) {
		return named(name).stream().filter((sample) -> labels.test(sample.labels())).toList();
	}

	/** The value of the one sample with these exact labels (a subset match), or NaN. */
	double value(String name, Map<String, String> labels) {
		List<Sample> matching = named(name, (actual) -> actual.entrySet().containsAll(labels.entrySet()));
		if (matching.size() > 1) {
			throw new IllegalStateException("several samples of " + name + " match " + labels + ": " + matching);
		}
		return matching.isEmpty() ? Double.NaN : matching.get(0).value();
	}

	private static Sample sample(String line) {
		int brace = line.indexOf('{');
		int space;
		String name;
		Map<String, String> labels = new LinkedHashMap<>();
		if (brace >= 0 && brace < line.indexOf(' ')) {
			name = line.substring(0, brace);
			int i = brace + 1;
			while (line.charAt(i) != '}') {
				int eq = line.indexOf('=', i);
				String label = line.substring(i, eq);
				if (line.charAt(eq + 1) != '"') {
					throw new IllegalArgumentException("unquoted label value: " + line);
				}
				StringBuilder value = new StringBuilder();
				int j = eq + 2;
				while (line.charAt(j) != '"') {
					char c = line.charAt(j);
					if (c == '\\') {
						char next = line.charAt(++j);
						value.append((next == 'n') ? '\n' : next);
					}
					else {
						value.append(c);
					}
					j++;
				}
				labels.put(label, value.toString());
				i = j + 1;
				if (line.charAt(i) == ',') {
					i++;
				}
			}
			space = i + 1;
		}
		else {
			space = line.indexOf(' ');
			name = line.substring(0, space);
		}
		String[] rest = line.substring(space).strip().split(" ");
		return new Sample(name, Map.copyOf(labels), number(rest[0]));
	}

	private static double number(String text) {
		return switch (text) {
			case "+Inf" -> Double.POSITIVE_INFINITY;
			case "-Inf" -> Double.NEGATIVE_INFINITY;
			default -> Double.parseDouble(text);
		};
	}

	public record Sample(String name, Map<String, String> labels, double value) {

	}

}
