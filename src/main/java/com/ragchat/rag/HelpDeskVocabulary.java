package com.ragchat.rag;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.core.io.ClassPathResource;

/**
 * The help-desk vocabulary ({@code prompts/helpdesk-synonyms.txt}): words users type
 * (informal words, synonyms, Spanish and German words) mapped to the words help-desk
 * articles use. The built-in retriever expands questions with it, and the keyless
 * answerer uses it to find the matching section of an article.
 */
public final class HelpDeskVocabulary {

	private static final String RESOURCE = "prompts/helpdesk-synonyms.txt";

	private static final HelpDeskVocabulary BUNDLED = new HelpDeskVocabulary(parse(read()));

	private final Map<String, List<String>> expansions;

	private HelpDeskVocabulary(Map<String, List<String>> expansions) {
		this.expansions = expansions;
	}

	/** The bundled vocabulary. */
	public static HelpDeskVocabulary bundled() {
		return BUNDLED;
	}

	/** An empty vocabulary: nothing expands. */
	public static HelpDeskVocabulary empty() {
		return new HelpDeskVocabulary(Map.of());
	}

	/** The words {@code word} (lower case) expands to; empty when none. */
	public List<String> expansion(String word) {
		List<String> expansion = this.expansions.get(word);
		return (expansion != null) ? expansion : List.of();
	}

	/** Whether {@code word} (lower case) has an expansion. */
	public boolean contains(String word) {
		return this.expansions.containsKey(word);
	}

	static Map<String, List<String>> parse(String text) {
		Map<String, List<String>> expansions = new HashMap<>();
		for (String line : text.split("\n")) {
			String entry = line.strip();
			int colon = entry.indexOf(':');
			if (entry.isEmpty() || entry.startsWith("#") || colon <= 0) {
				continue;
			}
			expansions.put(entry.substring(0, colon).strip().toLowerCase(Locale.ROOT),
					List.of(entry.substring(colon + 1).strip().split("\\s+")));
		}
		return Map.copyOf(expansions);
	}

	private static String read() {
		try (InputStream in = new ClassPathResource(RESOURCE).getInputStream()) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new IllegalStateException(RESOURCE + " is missing", ex);
		}
	}

	/**
	 * A light stem: "resetting" and "reset", "printers" and "printer", "files" and "file"
	 * meet. Applied alike to questions and passages, so it only has to be consistent.
	 */
	public static String stem(String word) {
		String stem = word;
		if (stem.length() > 4 && stem.endsWith("ies")) {
			stem = stem.substring(0, stem.length() - 3) + "y";
		}
		else if (stem.endsWith("ing") && stem.length() >= 6) {
			stem = undouble(stem.substring(0, stem.length() - 3));
		}
		else if (stem.endsWith("ed") && stem.length() >= 5) {
			stem = undouble(stem.substring(0, stem.length() - 2));
		}
		else if (stem.endsWith("s") && !stem.endsWith("ss") && stem.length() >= 4) {
			stem = stem.substring(0, stem.length() - 1);
		}
		if (stem.length() > 3 && stem.endsWith("e")) {
			stem = stem.substring(0, stem.length() - 1);
		}
		return stem;
	}

	private static String undouble(String stem) {
		int n = stem.length();
		if (n > 3 && stem.charAt(n - 1) == stem.charAt(n - 2) && "bdgmnprt".indexOf(stem.charAt(n - 1)) >= 0) {
			return stem.substring(0, n - 1);
		}
		return stem;
	}

}
