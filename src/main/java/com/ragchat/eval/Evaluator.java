package com.ragchat.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.ragchat.rag.Cancellation;
import com.ragchat.rag.ChatTurn;
import com.ragchat.rag.RagAnswer;
import com.ragchat.rag.RagListener;
import com.ragchat.rag.RagPipeline;
import com.ragchat.rag.RagProperties;
import com.ragchat.rag.RagQuestion;
import com.ragchat.rag.Source;
import com.ragchat.rag.SourceKind;

/**
 * Runs a {@link GoldenSet} through the answering pipeline exactly as a chat message would
 * go (condense with the previous turns, retrieve, generate), with whatever retriever and
 * answer model are configured, and scores each answer.
 * <p>
 * An answer counts as a refusal when it has no sources or when it contains the configured
 * refusal text ({@code OUT_OF_SCOPE_MESSAGE}), which every provider's prompt asks the
 * model to use. A retrieval hit at rank {@code k} means that one of the expected articles
 * is the {@code k}-th distinct source of the answer (matched on {@code kb_number}, or on
 * the source name for documents without one).
 */
final class Evaluator {

	private final RagPipeline pipeline;

	private final String refusal;

	Evaluator(RagPipeline pipeline, RagProperties properties) {
		this.pipeline = pipeline;
		this.refusal = normalise(properties.outOfScopeMessage());
	}

	/**
	 * Scores every question of {@code set} whose split is {@code split} (all when null).
	 * @throws IllegalArgumentException when a question has neither expected documents nor
	 * {@code out_of_scope: true}
	 */
	EvalReport run(GoldenSet set, String split) {
		List<EvalReport.Outcome> outcomes = new ArrayList<>();
		String[] answerer = { "none" };
		int position = 0;
		for (GoldenSet.Question question : set.questions()) {
			position++;
			if (!question.refusalExpected() && question.expectedDocuments().isEmpty()) {
				throw new IllegalArgumentException(
						"question " + position + " needs \"expected\" documents or \"out_of_scope\": true");
			}
			String questionSplit = (question.split() != null) ? question.split() : "all";
			if (split != null && !split.equals(questionSplit)) {
				continue;
			}
			outcomes.add(score(question, position, questionSplit, answerer));
		}
		String configuration = "retriever " + this.pipeline.knowledgeBaseProvider() + ", answer model " + answerer[0];
		return EvalReport.of(outcomes, configuration);
	}

	private EvalReport.Outcome score(GoldenSet.Question question, int position, String split, String[] answerer) {
		List<ChatTurn> history = question.turns()
			.stream()
			.map((turn) -> new ChatTurn("user".equals(turn.role()) ? ChatTurn.Role.USER : ChatTurn.Role.ASSISTANT,
					turn.content()))
			.toList();
		long started = System.nanoTime();
		RagAnswer answer = this.pipeline.answer(new RagQuestion(question.question(), history, SourceKind.KB),
				RagListener.ignoring(), Cancellation.none());
		long latencyMs = (System.nanoTime() - started) / 1_000_000;
		answerer[0] = answer.provider() + " (" + answer.model() + ")";
		List<String> sources = answer.sources().stream().map(Evaluator::identifier).toList();
		boolean refused = answer.sources().isEmpty() || normalise(answer.text()).contains(this.refusal);
		int rank = 0;
		if (!refused) {
			for (int i = 0; i < sources.size() && rank == 0; i++) {
				for (String expected : question.expectedDocuments()) {
					if (expected.equalsIgnoreCase(sources.get(i))) {
						rank = i + 1;
					}
				}
			}
		}
		String text = normalise(answer.text());
		List<String> missing = question.facts().stream().filter((fact) -> !text.contains(normalise(fact))).toList();
		String id = (question.id() != null) ? question.id() : Integer.toString(position);
		String category = (question.category() != null) ? question.category() : "uncategorised";
		return new EvalReport.Outcome(id, split, category, question.question(), question.refusalExpected(),
				question.expectedDocuments(), sources, refused, rank, question.facts().size(), missing, latencyMs,
				answer.text());
	}

	private static String identifier(Source source) {
		return "N/A".equals(source.kbNumber()) ? source.source() : source.kbNumber();
	}

	/** Lower case, markdown emphasis gone, whitespace collapsed. */
	static String normalise(String text) {
		return text.toLowerCase(Locale.ROOT)
			.replace("**", "")
			.replace('\u2019', '\'')
			.replace('\u00A0', ' ')
			.replaceAll("\\s+", " ")
			.strip();
	}

}
