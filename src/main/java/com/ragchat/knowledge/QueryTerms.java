package com.ragchat.knowledge;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.ragchat.rag.HelpDeskVocabulary;

/**
 * The words of a question as retrieval uses them: content words (stop words of English,
 * Spanish and German dropped), lightly stemmed; typos corrected against the knowledge
 * base's own vocabulary; and expanded with the help-desk vocabulary
 * ({@link HelpDeskVocabulary}).
 */
final class QueryTerms {

	private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+(?:-[\\p{L}\\p{N}]+)*");

	private static final Set<String> STOP_WORDS = Set.copyOf(List.of(
			// English
			"a", "about", "after", "again", "all", "also", "am", "an", "and", "any", "anything", "are", "as", "at",
			"be", "been", "before", "but", "by", "can", "cant", "could", "did", "do", "does", "doing", "dont", "even",
			"every", "for", "from", "get", "getting", "go", "going", "got", "had", "has", "have", "hi", "hello", "how",
			"i", "if", "im", "in", "into", "is", "it", "its", "just", "know", "like", "me", "my", "myself", "need",
			"no", "not", "now", "of", "ok", "on", "or", "our", "out", "please", "should", "so", "some", "still", "than",
			"that", "the", "their", "them", "then", "there", "these", "they", "thing", "this", "to", "too", "try", "up",
			"us", "use", "using", "very", "want", "was", "way", "we", "were", "what", "whats", "when", "where", "which",
			"who", "why", "will", "with", "would", "you", "your", "yes", "s", "t", "ll", "ve", "re", "d", "m",
			// Spanish
			"como", "cómo", "mi", "mis", "el", "la", "los", "las", "un", "una", "de", "del", "en", "y", "o", "que",
			"qué", "me", "se", "es", "por", "para", "con", "puedo", "donde", "dónde", "cuánto", "cuanto", "tiene", "su",
			"lo", "al", "no", "desde", "si", "hago", "hacer", "hay", "puede", "pueden", "esta", "está", "este", "estoy",
			"son", "sus", "tu", "tus", "le", "les", "ya", "pero", "más", "muy", "cuando", "cuál", "cual", "quién",
			"sin", "sobre", "hasta", "también", "porque", "nos", "yo", "uno", "ser", "tengo", "tener", "necesito",
			"quiero", "debo", "algo", "otro", "otra", "ahora", "todo", "todos",
			// German
			"ich", "mein", "meine", "meinem", "meinen", "wie", "was", "kann", "der", "die", "das", "den", "dem", "ein",
			"eine", "einen", "mit", "von", "und", "oder", "ist", "habe", "hat", "sich", "mich", "wo", "nicht", "es",
			"zu", "auf", "für", "tun", "wenn", "einem", "einer", "eines", "im", "in", "an", "bei", "nach", "aus", "um",
			"wir", "sie", "er", "du", "sind", "bin", "wird", "werden", "muss", "soll", "darf", "will", "möchte", "noch",
			"schon", "auch", "nur", "mehr", "sehr", "aber", "als", "wann", "warum", "welche", "welcher", "dass", "kein",
			"keine", "man", "mir", "dir", "uns", "ihr", "ihre", "sein", "seine", "dieser", "diese", "dies", "immer",
			"jetzt", "etwas"));

	private final HelpDeskVocabulary synonyms;

	private QueryTerms(HelpDeskVocabulary synonyms) {
		this.synonyms = synonyms;
	}

	/** With the bundled help-desk vocabulary. */
	static QueryTerms load() {
		return new QueryTerms(HelpDeskVocabulary.bundled());
	}

	/** Without any vocabulary (no expansion). */
	static QueryTerms none() {
		return new QueryTerms(HelpDeskVocabulary.empty());
	}

	/** Lower-case words of {@code text}, hyphenated words kept whole. */
	static List<String> words(String text) {
		List<String> words = new ArrayList<>();
		Matcher matcher = WORD.matcher(text.toLowerCase(Locale.ROOT));
		while (matcher.find()) {
			words.add(matcher.group());
		}
		return words;
	}

	static boolean isStopWord(String word) {
		return STOP_WORDS.contains(word);
	}

	/** The content words of {@code text}, in order, stop words dropped. */
	static List<String> contentWords(String text) {
		return words(text).stream().filter((w) -> !STOP_WORDS.contains(w)).toList();
	}

	/** Stems of the content words of {@code text}. */
	static Set<String> stems(String text) {
		Set<String> stems = new LinkedHashSet<>();
		for (String word : contentWords(text)) {
			stems.add(HelpDeskVocabulary.stem(word));
			for (String part : word.split("-")) {
				stems.add(HelpDeskVocabulary.stem(part));
			}
		}
		return stems;
	}

	/** The help-desk words {@code word} expands to (empty when none). */
	List<String> expansion(String word) {
		return this.synonyms.expansion(word);
	}

	boolean expands(String word) {
		return this.synonyms.contains(word);
	}

	/**
	 * One content word of a question with what it may match.
	 *
	 * @param word the word as typed
	 * @param alternatives stems that count as this word: its own, its correction, its
	 * help-desk expansions
	 */
	record Term(String word, Set<String> alternatives) {
	}

	/**
	 * A question prepared for search.
	 *
	 * @param original the question as asked
	 * @param searchText the question with typos corrected and help-desk words appended:
	 * what both sides of the search look for
	 * @param terms the question's own content words, for the lexical coverage of the
	 * refusal decision
	 */
	record Prepared(String original, String searchText, List<Term> terms) {
	}

	/**
	 * Prepares {@code question}: each word not in {@code vocabulary} (the knowledge
	 * base's words) and not a help-desk word is replaced by the closest vocabulary word
	 * within one edit (two for long words), when there is one; help-desk words add their
	 * expansions.
	 */
	Prepared prepare(String question, Vocabulary vocabulary, boolean correctTypos, boolean expand) {
		List<String> corrected = new ArrayList<>();
		List<String> added = new ArrayList<>();
		List<Term> terms = new ArrayList<>();
		boolean changed = false;
		List<String> typed = words(question);
		if (correctTypos) {
			// "mail box" for "mailbox", "lap top" for "laptop": two typed words whose
			// concatenation is a word of the knowledge base are that word.
			List<String> joined = new ArrayList<>();
			for (int i = 0; i < typed.size(); i++) {
				if (i + 1 < typed.size() && typed.get(i).length() >= 2 && typed.get(i + 1).length() >= 2
						&& !STOP_WORDS.contains(typed.get(i)) && vocabulary.contains(typed.get(i) + typed.get(i + 1))) {
					joined.add(typed.get(i) + typed.get(i + 1));
					i++;
					changed = true;
				}
				else {
					joined.add(typed.get(i));
				}
			}
			typed = joined;
		}
		for (String word : typed) {
			String fixed = word;
			if (correctTypos && !STOP_WORDS.contains(word) && !expands(word)) {
				fixed = vocabulary.correct(word);
				changed |= !fixed.equals(word);
			}
			corrected.add(fixed);
			if (STOP_WORDS.contains(word)) {
				continue;
			}
			Set<String> alternatives = new LinkedHashSet<>();
			alternatives.add(HelpDeskVocabulary.stem(word));
			alternatives.add(HelpDeskVocabulary.stem(fixed));
			for (String part : fixed.split("-")) {
				alternatives.add(HelpDeskVocabulary.stem(part));
			}
			if (expand) {
				for (String expansion : expansion(fixed)) {
					added.add(expansion);
					alternatives.add(HelpDeskVocabulary.stem(expansion));
				}
			}
			terms.add(new Term(word, alternatives));
		}
		String searchText = changed ? String.join(" ", corrected) : question;
		if (!added.isEmpty()) {
			searchText = searchText + " (" + String.join(" ", new LinkedHashSet<>(added)) + ")";
		}
		return new Prepared(question, searchText, List.copyOf(terms));
	}

	/** Words of the knowledge base, for typo correction. */
	static final class Vocabulary {

		static final Vocabulary EMPTY = new Vocabulary(Map.of());

		/** Shortest word corrected at all, and shortest corrected by two edits. */
		private static final int MIN_CORRECTED = 4;

		private static final int MIN_TWO_EDITS = 9;

		private final Map<String, Integer> frequencies;

		Vocabulary(Map<String, Integer> frequencies) {
			this.frequencies = Map.copyOf(frequencies);
		}

		boolean contains(String word) {
			return this.frequencies.containsKey(word);
		}

		int size() {
			return this.frequencies.size();
		}

		/**
		 * {@code word}, or the most frequent vocabulary word within the allowed edit
		 * distance when {@code word} itself is not in the vocabulary.
		 */
		String correct(String word) {
			if (word.length() < MIN_CORRECTED || this.frequencies.isEmpty() || contains(word)
					|| !word.chars().allMatch(Character::isLetter)) {
				return word;
			}
			int allowed = (word.length() >= MIN_TWO_EDITS) ? 2 : 1;
			String best = word;
			int bestDistance = allowed + 1;
			int bestFrequency = 0;
			for (Map.Entry<String, Integer> entry : this.frequencies.entrySet()) {
				String candidate = entry.getKey();
				if (Math.abs(candidate.length() - word.length()) > allowed) {
					continue;
				}
				int distance = distance(word, candidate, allowed);
				if (distance < bestDistance || (distance == bestDistance && entry.getValue() > bestFrequency)) {
					best = candidate;
					bestDistance = distance;
					bestFrequency = entry.getValue();
				}
			}
			return (bestDistance <= allowed) ? best : word;
		}

		/**
		 * Optimal-string-alignment distance (a swap of neighbours is one edit), or more
		 * than {@code limit} as soon as it must exceed it.
		 */
		static int distance(String a, String b, int limit) {
			int[][] d = new int[a.length() + 1][b.length() + 1];
			for (int i = 0; i <= a.length(); i++) {
				d[i][0] = i;
			}
			for (int j = 0; j <= b.length(); j++) {
				d[0][j] = j;
			}
			for (int i = 1; i <= a.length(); i++) {
				int rowBest = Integer.MAX_VALUE;
				for (int j = 1; j <= b.length(); j++) {
					int cost = (a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1;
					d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
					if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
						d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
					}
					rowBest = Math.min(rowBest, d[i][j]);
				}
				if (rowBest > limit) {
					return limit + 1;
				}
			}
			return d[a.length()][b.length()];
		}

	}

}
