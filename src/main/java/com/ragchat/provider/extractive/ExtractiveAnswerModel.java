package com.ragchat.provider.extractive;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.ragchat.rag.AnswerModel;
import com.ragchat.rag.Cancellation;
import com.ragchat.rag.ChatTurn;
import com.ragchat.rag.ConditionalOnLlmProvider;
import com.ragchat.rag.Generation;
import com.ragchat.rag.GenerationRequest;
import com.ragchat.rag.Passage;
import com.ragchat.rag.RagProperties;

import org.springframework.stereotype.Component;

/**
 * The keyless answerer ({@code LLM_PROVIDER=extractive}, the default): no language model,
 * only the retrieved passages. It quotes the sentences of the passages that share the
 * most (and the rarest) words with the question, each followed by the citation number of
 * its passage ({@code [1]} is the first source), and streams the answer in small
 * fragments like a model would. With no passages (the retriever found nothing relevant)
 * it says so plainly instead of guessing.
 */
@Component
@ConditionalOnLlmProvider("extractive")
class ExtractiveAnswerModel implements AnswerModel {

	/** The answer when the knowledge base has nothing relevant. */
	private final String notFound;

	ExtractiveAnswerModel(RagProperties properties) {
		this.notFound = properties.outOfScopeMessage();
	}

	static final String INTRODUCTION = "Here is what the knowledge base says:";

	/** Most sentences quoted, and most words quoted, in one answer. */
	private static final int MAX_SENTENCES = 4;

	private static final int MAX_WORDS = 130;

	/** Words per streamed fragment. */
	private static final int FRAGMENT_WORDS = 3;

	private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?][\"')\\]]?)\\s+(?=[\\p{Lu}\\p{N}\"'(])");

	private static final Pattern LIST_MARKER = Pattern.compile("^\\s*(?:[-*+]|\\d{1,3}[.)])\\s+");

	/** Sections that only point elsewhere ("Related articles", "See also"). */
	private static final Pattern CROSS_REFERENCES = Pattern.compile("(?i)^(related|see also|further reading)");

	private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");

	private static final Pattern FRAGMENT = Pattern.compile("\\S+\\s*|\\s+");

	private static final Set<String> FOLLOW_UP_WORDS = Set.of("it", "its", "that", "this", "these", "those", "them",
			"they", "there", "one", "same", "else");

	private static final Set<String> FOLLOW_UP_OPENINGS = Set.of("what about", "how about", "and if", "what if");

	private static final Set<String> STOP_WORDS = Set.of("a", "about", "after", "all", "also", "am", "an", "and", "any",
			"are", "as", "at", "be", "been", "before", "but", "by", "can", "could", "did", "do", "does", "doing", "for",
			"from", "get", "got", "had", "has", "have", "how", "i", "if", "in", "into", "is", "it", "its", "just", "me",
			"my", "myself", "need", "of", "on", "or", "our", "please", "should", "so", "some", "than", "that", "the",
			"their", "them", "then", "there", "these", "they", "this", "to", "too", "up", "us", "use", "using", "want",
			"was", "we", "were", "what", "when", "where", "which", "who", "why", "will", "with", "would", "you",
			"your");

	@Override
	public String provider() {
		return "extractive";
	}

	@Override
	public String model() {
		return "sentence-extractor";
	}

	@Override
	public Generation generate(GenerationRequest request, Consumer<String> deltas, Cancellation cancellation) {
		String text = (request.purpose() == GenerationRequest.Purpose.CONDENSE) ? condense(request)
				: answer(question(request), request.passages(), this.notFound);
		StringBuilder sent = new StringBuilder();
		List<String> pieces = fragments(text);
		for (String piece : pieces) {
			if (cancellation.isCancelled()) {
				return new Generation(sent.toString(), null, true);
			}
			deltas.accept(piece);
			sent.append(piece);
		}
		return new Generation(sent.toString(), null, false);
	}

	private static String question(GenerationRequest request) {
		return request.question().isBlank() ? request.userPrompt() : request.question();
	}

	/**
	 * Without a model a question cannot be rewritten; a short follow-up that leans on the
	 * previous question ("and on my phone?", "how long does that take?") is searched
	 * together with it.
	 */
	static String condense(GenerationRequest request) {
		String question = question(request).strip();
		String previous = null;
		for (ChatTurn turn : request.history()) {
			if (turn.role() == ChatTurn.Role.USER && !turn.content().isBlank()) {
				previous = turn.content().strip();
			}
		}
		if (previous == null || previous.equalsIgnoreCase(question)) {
			return question;
		}
		List<String> words = words(question);
		String opening = String.join(" ", words.subList(0, Math.min(2, words.size())));
		boolean leansOnPrevious = words.size() <= 5 || FOLLOW_UP_OPENINGS.contains(opening)
				|| (!words.isEmpty() && "and".equals(words.get(0)))
				|| words.stream().anyMatch(FOLLOW_UP_WORDS::contains);
		return leansOnPrevious ? previous + " " + question : question;
	}

	/** The quoted answer, or {@link #NOT_FOUND} when there is nothing to quote. */
	static String answer(String question, List<Passage> passages, String notFound) {
		List<Sentence> sentences = new ArrayList<>();
		for (int p = 0; p < passages.size(); p++) {
			int position = 0;
			List<String> heading = List.of();
			boolean crossReferences = false;
			for (String line : passages.get(p).content().split("\n")) {
				String stripped = line.strip();
				if (stripped.startsWith("#")) {
					String title = stripped.replaceFirst("^#+\\s*", "");
					heading = terms(title);
					crossReferences = CROSS_REFERENCES.matcher(title).find();
					continue;
				}
				if (stripped.isEmpty() || crossReferences) {
					continue;
				}
				stripped = LIST_MARKER.matcher(stripped).replaceFirst("");
				for (String sentence : SENTENCE_END.split(stripped)) {
					String text = sentence.strip();
					// Lead-ins ("An account must:") and fragments say nothing on their
					// own.
					if (words(text).size() >= 4 && !text.endsWith(":")) {
						sentences.add(new Sentence(p, position++, text, terms(text), heading));
					}
				}
			}
		}
		if (passages.isEmpty()) {
			return notFound;
		}
		if (sentences.isEmpty()) {
			// Nothing but fragments: quote the start of the best passage as it is.
			List<String> opening = words(passages.get(0).content());
			String text = String.join(" ", opening.subList(0, Math.min(60, opening.size())));
			return text.isEmpty() ? notFound : INTRODUCTION + "\n\n\u201C" + text + "\u2026\u201D [1]";
		}
		Set<String> asked = new HashSet<>(terms(question));
		Map<String, Integer> documentFrequency = new HashMap<>();
		for (Sentence sentence : sentences) {
			for (String term : new HashSet<>(sentence.terms())) {
				documentFrequency.merge(term, 1, Integer::sum);
			}
		}
		for (Sentence sentence : sentences) {
			double score = 0;
			for (String term : new HashSet<>(sentence.terms())) {
				if (asked.contains(term)) {
					score += Math.log(1.0 + (double) sentences.size() / documentFrequency.get(term));
				}
			}
			// A step under "Reset your password" answers "how do I reset my password"
			// even when it does not repeat the words.
			for (String term : new HashSet<>(sentence.heading())) {
				if (asked.contains(term)) {
					score += 0.5 * Math
						.log(1.0 + (double) sentences.size() / Math.max(1, documentFrequency.getOrDefault(term, 1)));
				}
			}
			// Long sentences match more words by chance; earlier passages ranked higher.
			score /= Math.sqrt(1.0 + sentence.terms().size() / 10.0);
			score *= 1.0 - 0.15 * sentence.passage();
			sentence.score = score;
		}
		List<Sentence> ranked = new ArrayList<>(sentences);
		ranked.sort(Comparator.comparingDouble((Sentence s) -> s.score)
			.reversed()
			.thenComparingInt(Sentence::passage)
			.thenComparingInt(Sentence::position));
		List<Sentence> chosen = new ArrayList<>();
		int words = 0;
		for (Sentence sentence : ranked) {
			if (sentence.score <= 0 || chosen.size() >= MAX_SENTENCES) {
				break;
			}
			int count = words(sentence.text()).size();
			if (!chosen.isEmpty() && words + count > MAX_WORDS) {
				continue;
			}
			chosen.add(sentence);
			words += count;
		}
		if (chosen.isEmpty()) {
			// No word in common: the retriever still judged the best passage relevant, so
			// quote its opening.
			sentences.stream().filter((s) -> s.passage() == 0).limit(2).forEach(chosen::add);
		}
		chosen.sort(Comparator.comparingInt(Sentence::passage).thenComparingInt(Sentence::position));
		StringBuilder answer = new StringBuilder(INTRODUCTION);
		int i = 0;
		while (i < chosen.size()) {
			Sentence first = chosen.get(i);
			StringBuilder quote = new StringBuilder(first.text());
			int j = i + 1;
			while (j < chosen.size() && chosen.get(j).passage() == first.passage()
					&& chosen.get(j).position() == chosen.get(j - 1).position() + 1) {
				quote.append(' ').append(chosen.get(j).text());
				j++;
			}
			answer.append("\n\n\u201C").append(quote).append("\u201D [").append(first.passage() + 1).append(']');
			i = j;
		}
		return answer.toString();
	}

	/** The answer cut into fragments of a few words, whitespace kept. */
	static List<String> fragments(String text) {
		List<String> fragments = new ArrayList<>();
		Matcher matcher = FRAGMENT.matcher(text);
		StringBuilder fragment = new StringBuilder();
		int words = 0;
		while (matcher.find()) {
			fragment.append(matcher.group());
			if (++words == FRAGMENT_WORDS) {
				fragments.add(fragment.toString());
				fragment.setLength(0);
				words = 0;
			}
		}
		if (fragment.length() > 0) {
			fragments.add(fragment.toString());
		}
		return fragments;
	}

	private static List<String> words(String text) {
		List<String> words = new ArrayList<>();
		Matcher matcher = WORD.matcher(text.toLowerCase(Locale.ROOT));
		while (matcher.find()) {
			words.add(matcher.group());
		}
		return words;
	}

	/**
	 * Content words, lightly stemmed so "resetting" meets "reset" and "printers"
	 * "printer".
	 */
	static List<String> terms(String text) {
		List<String> terms = new ArrayList<>();
		for (String word : words(text)) {
			if (!STOP_WORDS.contains(word)) {
				terms.add(stem(word));
			}
		}
		return terms;
	}

	static String stem(String word) {
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
		// "save", "saved", "saving" all become "sav".
		if (stem.length() > 3 && stem.endsWith("e")) {
			stem = stem.substring(0, stem.length() - 1);
		}
		return stem;
	}

	/** "resett" (from "resetting") to "reset"; "install" keeps its double l. */
	private static String undouble(String stem) {
		int n = stem.length();
		if (n > 3 && stem.charAt(n - 1) == stem.charAt(n - 2) && "bdgmnprt".indexOf(stem.charAt(n - 1)) >= 0) {
			return stem.substring(0, n - 1);
		}
		return stem;
	}

	private static final class Sentence {

		private final int passage;

		private final int position;

		private final String text;

		private final List<String> terms;

		private final List<String> heading;

		private double score;

		Sentence(int passage, int position, String text, List<String> terms, List<String> heading) {
			this.passage = passage;
			this.position = position;
			this.text = text;
			this.terms = terms;
			this.heading = heading;
		}

		List<String> heading() {
			return this.heading;
		}

		int passage() {
			return this.passage;
		}

		int position() {
			return this.position;
		}

		String text() {
			return this.text;
		}

		List<String> terms() {
			return this.terms;
		}

	}

}
