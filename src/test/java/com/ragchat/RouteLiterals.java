package com.ragchat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds route paths spelled more than once in Java sources: string literals of
 * {@code /api} paths (path variables count as the same whatever their name), and path
 * literals in mapping annotations (where a relative path under a class-level mapping
 * would hide a second spelling of the full route). Comments are ignored.
 */
final class RouteLiterals {

	private static final Pattern BLOCK_COMMENT = Pattern.compile("/\\*.*?\\*/", Pattern.DOTALL);

	private static final Pattern LINE_COMMENT = Pattern.compile("(?m)^\\s*//.*$");

	private static final Pattern STRING = Pattern.compile("\"((?:[^\"\\\\\\n]|\\\\.)*)\"");

	private static final Pattern MAPPING = Pattern
		.compile("@(?:Request|Get|Post|Put|Patch|Delete)Mapping\\s*\\(([^)]*)\\)");

	private static final Pattern PATH_VARIABLE = Pattern.compile("\\{[^}]*}");

	private RouteLiterals() {
	}

	/** The source files under {@code root}, by path. */
	static Map<String, String> sources(Path root) {
		Map<String, String> sources = new TreeMap<>();
		try (Stream<Path> files = Files.walk(root)) {
			for (Path file : files.filter((f) -> f.toString().endsWith(".java")).toList()) {
				sources.put(root.relativize(file).toString(), Files.readString(file));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return sources;
	}

	/** Each {@code /api} path written more than once, with where it is written. */
	static Map<String, List<String>> duplicates(Map<String, String> sources) {
		Map<String, List<String>> places = new LinkedHashMap<>();
		sources.forEach((file, text) -> {
			Matcher literal = STRING.matcher(code(text));
			while (literal.find()) {
				String value = literal.group(1);
				if (value.startsWith("/api")) {
					String route = PATH_VARIABLE.matcher(value).replaceAll("{}");
					places.computeIfAbsent(route, (r) -> new ArrayList<>()).add(file + ": \"" + value + "\"");
				}
			}
		});
		places.values().removeIf((where) -> where.size() < 2);
		return places;
	}

	/**
	 * Mapping annotations with a path literal instead of a route constant; {@code "/"}
	 * and placeholders ({@code "${…}"}) are allowed.
	 */
	static List<String> literalMappings(Map<String, String> sources) {
		List<String> found = new ArrayList<>();
		sources.forEach((file, text) -> {
			Matcher mapping = MAPPING.matcher(code(text));
			while (mapping.find()) {
				Matcher literal = STRING.matcher(mapping.group(1));
				while (literal.find()) {
					String value = literal.group(1);
					if (value.startsWith("/") && !value.equals("/")) {
						found.add(file + ": " + mapping.group());
					}
				}
			}
		});
		return found;
	}

	private static String code(String text) {
		return LINE_COMMENT.matcher(BLOCK_COMMENT.matcher(text).replaceAll("")).replaceAll("");
	}

}
