package com.ragchat.provider.extractive;

import java.util.ArrayList;
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
import com.ragchat.rag.HelpDeskVocabulary;
import com.ragchat.rag.Passage;
import com.ragchat.rag.RagProperties;
import com.ragchat.rag.Source;

import org.springframework.stereotype.Component;

/**
 * The keyless answerer ({@code LLM_PROVIDER=extractive}, the default): no language model,
 * only the retrieved passages. It answers from the best document first: the section of
 * that document that matches the question best (numbered steps whole and in document
 * order, a long section cut to its most relevant sentences, still in order), under the
 * article's title with its citation number and link. It never splices sentences of
 * different documents together; other documents get at most a "see also" line. A
 * follow-up ("and on a Mac?") is searched together with the previous question, and the
 * words of the latest message weigh most when the section is chosen. With no passages it
 * gives the configured refusal ({@code OUT_OF_SCOPE_MESSAGE}) instead of guessing. The
 * answer is streamed in small fragments like a model would.
 */
@Component
@ConditionalOnLlmProvider("extractive")
class ExtractiveAnswerModel implements AnswerModel {

	/** Most words quoted from the chosen section(s). */
	private static final int MAX_WORDS = 170;

	/**
	 * A second section of the document is quoted too when it scores at least this share
	 * of the best one (and the words allow). Calibrated on the tuning split of the sample
	 * golden set (plateau 0.01–0.3; 0.8 quoted too little), see the notes of issue 12.
	 */
	private static final double SECOND_SECTION_SHARE = 0.3;

	/**
	 * Later sections of an article weigh less: articles put the main procedure first and
	 * special cases later. Section {@code i} is divided by {@code 1 + POSITION_DECAY × i}
	 * (tuning plateau 0.2–0.5).
	 */
	private static final double POSITION_DECAY = 0.3;

	/**
	 * The untitled opening paragraph summarises the article; it wins only when no titled
	 * section matches nearly as well.
	 */
	private static final double OPENING_WEIGHT = 0.6;

	/**
	 * Sections with a figure weigh this much more for a "how long / how many" question.
	 */
	private static final double QUANTITY_BONUS = 1.5;

	/**
	 * A message of at most this many words with at most two content words ("how big can
	 * the file be?") is a follow-up, searched together with the previous question (tuning
	 * plateau 6–8); five words or fewer always are.
	 */
	private static final int SHORT_FOLLOW_UP_WORDS = 7;

	/** Questions that ask for an amount, a duration, a size or a price. */
	private static final Pattern QUANTITY_QUESTION = Pattern
		.compile("\\b(how (long|many|much|often|big|large|soon|quickly|fast)"
				+ "|what size|cost|price|fee|limit|maximum|minimum|quota|expire|expiry|valid|wie (lange|viel)|cu[aá]nto)");

	/** A figure with its unit ("24 hours", "50 GB", "eight devices", "98%"). */
	private static final Pattern QUANTITY = Pattern
		.compile("(?i)\\b(\\d[\\d,.]*\\s*(%|gb|tb|mb|hours?|days?|minutes?|weeks?"
				+ "|months?|years?|working days|devices|participants|people|pages|characters|attempts|codes)"
				+ "|(one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty)\\s+"
				+ "(hours?|days?|minutes?|weeks?|months?|years?|devices|working days))(?![\\p{L}\\p{N}])");

	/** Words per streamed fragment. */
	private static final int FRAGMENT_WORDS = 3;

	private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?][\"')\\]]?)\\s+(?=[\\p{Lu}\\p{N}\"'(])");

	private static final Pattern LIST_ITEM = Pattern.compile("^\\s*(?:[-*+]|\\d{1,3}[.)])\\s+");

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

	/** The answer when the knowledge base has nothing relevant. */
	private final String notFound;

	ExtractiveAnswerModel(RagProperties properties) {
		this.notFound = properties.outOfScopeMessage();
	}

	@Override
	public String provider() {
		return "extractive";
	}

	@Override
	public String model() {
		return "section-extractor";
	}

	@Override
	public Generation generate(GenerationRequest request, Consumer<String> deltas, Cancellation cancellation) {
		String text = (request.purpose() == GenerationRequest.Purpose.CONDENSE) ? condense(request)
				: answer(question(request), latest(request), request.passages(), refusal(request), leadIn(request));
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

	/** The asker's profile's refusal, else the configured one. */
	private String refusal(GenerationRequest request) {
		return (request.profile() != null) ? request.profile().outOfScopeMessage() : this.notFound;
	}

	/**
	 * How the quoted article is introduced: "From", or the profile's assistant's words.
	 */
	private static String leadIn(GenerationRequest request) {
		return (request.profile() != null) ? request.profile().assistantName() + " found this in" : "From";
	}

	private static String question(GenerationRequest request) {
		return request.question().isBlank() ? request.userPrompt() : request.question();
	}

	/** The user's latest message as typed (the question may be the condensed one). */
	private static String latest(GenerationRequest request) {
		return request.userPrompt().isBlank() ? question(request) : request.userPrompt();
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
		boolean leansOnPrevious = words.size() <= 5
				|| (words.size() <= SHORT_FOLLOW_UP_WORDS && terms(question).size() <= 2)
				|| FOLLOW_UP_OPENINGS.contains(opening) || (!words.isEmpty() && "and".equals(words.get(0)))
				|| words.stream().anyMatch(FOLLOW_UP_WORDS::contains);
		// The latest message twice: its words weigh more than the previous question's,
		// as a model's rewrite would keep them ("and if I lose that phone?" is about
		// the lost phone more than about setting up MFA).
		return leansOnPrevious ? question + " " + question + " " + previous : question;
	}

	/**
	 * A section of the best document: its heading (empty under the title, which every
	 * section shares) and its lines.
	 */
	private record Section(String heading, List<String> lines) {

		String text() {
			return String.join("\n", this.lines);
		}

		boolean hasSteps() {
			return this.lines.stream().filter((line) -> LIST_ITEM.matcher(line).find()).count() >= 2;
		}

	}

	/**
	 * As {@link #answer(String, String, List, String, String)} for a question without
	 * history.
	 */
	static String answer(String question, List<Passage> passages, String notFound) {
		return answer(question, question, passages, notFound, "From");
	}

	/**
	 * The answer from the best passage's document, or {@code notFound} without passages.
	 * @param question the (standalone) question
	 * @param latest the user's latest message, whose words weigh double
	 * @param leadIn the words before the article's title
	 */
	static String answer(String question, String latest, List<Passage> passages, String notFound, String leadIn) {
		if (passages.isEmpty()) {
			return notFound;
		}
		Passage best = passages.get(0);
		List<Section> sections = sections(best.content());
		if (sections.isEmpty()) {
			return notFound;
		}
		Map<String, Integer> documentFrequency = new HashMap<>();
		List<Set<String>> sectionTerms = new ArrayList<>();
		for (Section section : sections) {
			Set<String> terms = new HashSet<>(terms(section.text()));
			terms.addAll(terms(section.heading()));
			sectionTerms.add(terms);
			terms.forEach((term) -> documentFrequency.merge(term, 1, Integer::sum));
		}
		Map<String, Double> weights = new HashMap<>();
		for (String term : expandedTerms(question)) {
			weights.put(closest(term, documentFrequency.keySet()), 1.0);
		}
		for (String term : expandedTerms(latest)) {
			weights.put(closest(term, documentFrequency.keySet()), 2.0);
		}
		boolean asksQuantity = QUANTITY_QUESTION.matcher((latest + " " + question).toLowerCase(Locale.ROOT)).find();
		double[] scores = new double[sections.size()];
		for (int i = 0; i < sections.size(); i++) {
			Set<String> heading = new HashSet<>(terms(sections.get(i).heading()));
			for (Map.Entry<String, Double> asked : weights.entrySet()) {
				double idf = Math.log(1.0
						+ (double) sections.size() / Math.max(1, documentFrequency.getOrDefault(asked.getKey(), 1)));
				if (sectionTerms.get(i).contains(asked.getKey())) {
					scores[i] += asked.getValue() * idf;
				}
				if (heading.contains(asked.getKey())) {
					scores[i] += 1.5 * asked.getValue() * idf;
				}
			}
			// Long sections match more words by chance.
			scores[i] /= Math.sqrt(1.0 + words(sections.get(i).text()).size() / 80.0);
			if (asksQuantity && QUANTITY.matcher(sections.get(i).text()).find()) {
				scores[i] *= QUANTITY_BONUS;
			}
			scores[i] /= 1.0 + POSITION_DECAY * i;
			if (sections.get(i).heading().isEmpty() && sections.size() > 1) {
				scores[i] *= OPENING_WEIGHT;
			}
		}
		int first = 0;
		for (int i = 1; i < scores.length; i++) {
			if (scores[i] > scores[first]) {
				first = i;
			}
		}
		List<Integer> chosen = new ArrayList<>(List.of(first));
		int second = -1;
		for (int i = 0; i < scores.length; i++) {
			if (i != first && scores[i] > 0 && scores[i] >= SECOND_SECTION_SHARE * scores[first]
					&& (second < 0 || scores[i] > scores[second])) {
				second = i;
			}
		}
		int budget = MAX_WORDS;
		StringBuilder body = new StringBuilder();
		if (second >= 0 && words(sections.get(first).text()).size() < MAX_WORDS) {
			chosen.add(second);
			chosen.sort(Integer::compare);
		}
		for (int index : chosen) {
			Section section = sections.get(index);
			String quoted = quote(section, weights, budget);
			if (quoted.isEmpty()) {
				continue;
			}
			budget -= words(quoted).size();
			if (!body.isEmpty()) {
				body.append("\n\n");
			}
			if (!section.heading().isEmpty()) {
				body.append("**").append(section.heading()).append("**\n");
			}
			body.append(quoted);
			if (budget <= 20) {
				break;
			}
		}
		Source source = best.metadata();
		StringBuilder answer = new StringBuilder();
		answer.append(leadIn).append(" \u201C").append(source.source()).append('\u201D');
		if (!"N/A".equals(source.kbNumber())) {
			answer.append(" (").append(source.kbNumber()).append(')');
		}
		answer.append(" [1]:\n\n").append(body);
		if (!"#".equals(source.kbUrl())) {
			answer.append("\n\nFull article: ").append(source.kbUrl());
		}
		List<String> others = new ArrayList<>();
		for (int p = 1; p < passages.size(); p++) {
			others.add("[" + (p + 1) + "] " + passages.get(p).metadata().source());
		}
		if (!others.isEmpty()) {
			answer.append("\n\nSee also: ").append(String.join("; ", others));
		}
		return answer.toString();
	}

	/** The question's terms and those of its help-desk words' expansions. */
	private static List<String> expandedTerms(String text) {
		List<String> terms = new ArrayList<>(terms(text));
		for (String word : words(text)) {
			terms.addAll(terms(String.join(" ", HelpDeskVocabulary.bundled().expansion(word))));
		}
		return terms;
	}

	/**
	 * {@code term}, or the document's word it is a typo of (one edit away, two for long
	 * words), so that "pasword" still finds the section about the password.
	 */
	static String closest(String term, Set<String> known) {
		if (known.contains(term) || term.length() < 5) {
			return term;
		}
		int allowed = (term.length() >= 9) ? 2 : 1;
		String best = term;
		int bestDistance = allowed + 1;
		for (String candidate : known) {
			if (Math.abs(candidate.length() - term.length()) <= allowed) {
				int distance = distance(term, candidate);
				if (distance < bestDistance || (distance == bestDistance && candidate.compareTo(best) < 0)) {
					best = candidate;
					bestDistance = distance;
				}
			}
		}
		return (bestDistance <= allowed) ? best : term;
	}

	/** Edit distance, a swap of neighbouring letters counting as one edit. */
	private static int distance(String a, String b) {
		int[][] d = new int[a.length() + 1][b.length() + 1];
		for (int i = 0; i <= a.length(); i++) {
			d[i][0] = i;
		}
		for (int j = 0; j <= b.length(); j++) {
			d[0][j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			for (int j = 1; j <= b.length(); j++) {
				int cost = (a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1;
				d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
				if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
					d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
				}
			}
		}
		return d[a.length()][b.length()];
	}

	/** The passage's sections; cross-reference sections left out. */
	private static List<Section> sections(String content) {
		List<Section> sections = new ArrayList<>();
		String heading = "";
		List<String> lines = new ArrayList<>();
		boolean skip = false;
		for (String line : content.split("\n")) {
			String stripped = line.strip();
			if (stripped.startsWith("#")) {
				if (!lines.isEmpty() && !skip) {
					sections.add(new Section(heading, List.copyOf(lines)));
				}
				heading = stripped.startsWith("##") ? stripped.replaceFirst("^#+\\s*", "") : "";
				skip = CROSS_REFERENCES.matcher(heading).find();
				lines = new ArrayList<>();
				continue;
			}
			if (!stripped.isEmpty()) {
				lines.add(stripped);
			}
		}
		if (!lines.isEmpty() && !skip) {
			sections.add(new Section(heading, List.copyOf(lines)));
		}
		return sections;
	}

	/**
	 * A section as quoted: whole when it fits {@code budget} words (steps are never cut
	 * apart from each other), otherwise its most relevant sentences, in their order.
	 */
	private static String quote(Section section, Map<String, Double> weights, int budget) {
		String whole = section.text();
		if (words(whole).size() <= budget) {
			return whole;
		}
		List<String> units = new ArrayList<>();
		for (String line : section.lines()) {
			if (LIST_ITEM.matcher(line).find() && section.hasSteps()) {
				units.add(line);
			}
			else {
				for (String sentence : SENTENCE_END.split(line)) {
					if (!sentence.isBlank()) {
						units.add(sentence.strip());
					}
				}
			}
		}
		double[] scores = new double[units.size()];
		Integer[] order = new Integer[units.size()];
		for (int i = 0; i < units.size(); i++) {
			order[i] = i;
			for (String term : new HashSet<>(terms(units.get(i)))) {
				scores[i] += weights.getOrDefault(term, 0.0);
			}
		}
		java.util.Arrays.sort(order, (a, b) -> (scores[a] != scores[b]) ? Double.compare(scores[b], scores[a]) : a - b);
		Set<Integer> kept = new java.util.TreeSet<>();
		int used = 0;
		for (int index : order) {
			int count = words(units.get(index)).size();
			if (used + count > budget && !kept.isEmpty()) {
				continue;
			}
			kept.add(index);
			used += count;
		}
		StringBuilder out = new StringBuilder();
		int previous = -2;
		for (int index : kept) {
			if (out.length() > 0) {
				out.append((index == previous + 1 && !LIST_ITEM.matcher(units.get(index)).find()) ? " " : "\n");
			}
			if (index != previous + 1 && previous >= 0) {
				out.append("\u2026 ");
			}
			out.append(units.get(index));
			previous = index;
		}
		return out.toString();
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
		return HelpDeskVocabulary.stem(word);
	}

}
