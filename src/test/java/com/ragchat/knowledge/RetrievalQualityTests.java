package com.ragchat.knowledge;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

import com.ragchat.rag.Cancellation;
import com.ragchat.rag.Passage;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retrieval quality on the sample knowledge base, measured with questions written in
 * users' own words ({@code knowledge/retrieval-quality.tsv}), each naming the article
 * that must be cited. Reports hit rate at 3 (the expected article among the three
 * passages the chat pipeline gets) and mean reciprocal rank (over the first ten), and
 * checks that questions the knowledge base cannot answer get no passages at all.
 */
class RetrievalQualityTests extends KnowledgeIntegrationTest {

	/**
	 * Thresholds set after measuring: hit rate@3 0.946 and MRR 0.906 on 56 questions when
	 * first measured; a regression of more than about two questions fails.
	 */
	static final double MIN_HIT_RATE_AT_3 = 0.90;

	static final double MIN_MRR = 0.85;

	@Autowired
	KnowledgeSearch retriever;

	@Autowired
	KnowledgeProperties properties;

	record Question(String expected, String text) {
	}

	@Test
	void pipelineCitesTheRightArticleForParaphrasedQuestions() throws IOException {
		List<Question> questions = questions();
		assertThat(questions).hasSizeGreaterThanOrEqualTo(40);
		int hits = 0;
		double reciprocalRanks = 0;
		List<String> misses = new ArrayList<>();
		for (Question question : questions) {
			List<Passage> top3 = this.retriever.retrieve(question.text(), 3, Cancellation.none());
			boolean hit = top3.stream().anyMatch((p) -> question.expected().equals(p.metadata().kbNumber()));
			if (hit) {
				hits++;
			}
			List<KnowledgeSearch.ScoredPassage> top10 = this.retriever.search(question.text(), 10,
					this.properties.minRelevance(), Cancellation.none());
			int rank = 0;
			for (int i = 0; i < top10.size(); i++) {
				if (question.expected().equals(top10.get(i).passage().metadata().kbNumber())) {
					rank = i + 1;
					break;
				}
			}
			reciprocalRanks += (rank > 0) ? 1.0 / rank : 0;
			if (!hit) {
				misses.add(question.expected() + " \"" + question.text() + "\" got "
						+ top3.stream().map((p) -> p.metadata().kbNumber() + "(" + p.score() + ")").toList());
			}
		}
		double hitRate = (double) hits / questions.size();
		double mrr = reciprocalRanks / questions.size();
		System.out.printf(Locale.ROOT, "Retrieval quality: %d questions, hit rate@3 = %.3f, MRR@10 = %.3f%n",
				questions.size(), hitRate, mrr);
		misses.forEach((miss) -> System.out.println("  miss: " + miss));
		assertThat(hitRate).as("hit rate@3").isGreaterThanOrEqualTo(MIN_HIT_RATE_AT_3);
		assertThat(mrr).as("MRR").isGreaterThanOrEqualTo(MIN_MRR);
	}

	@Test
	void questionsOutsideTheKnowledgeBaseGetNoPassages() throws IOException {
		List<String> unanswerable = lines("knowledge/out-of-scope.txt");
		assertThat(unanswerable).hasSizeGreaterThanOrEqualTo(10);
		for (String question : unanswerable) {
			List<KnowledgeSearch.ScoredPassage> best = this.retriever.search(question, 1, 0.0, Cancellation.none());
			System.out.printf(Locale.ROOT, "Out of scope: best relevance %.3f for \"%s\"%n",
					best.isEmpty() ? 0.0 : best.get(0).relevance(), question);
			assertThat(this.retriever.retrieve(question, 3, Cancellation.none())).as(question).isEmpty();
		}
	}

	/**
	 * Answerable questions of this set that may be refused. The refusal decision is no
	 * longer one cosine threshold calibrated on this set (which asked for none refused);
	 * since issue 12 it also weighs the question's words and is calibrated on the tuning
	 * split of the golden set ({@code eval/sample-golden-set.json}). Measured here: 3 of
	 * 56.
	 */
	static final double MAX_REFUSED_SHARE = 0.06;

	@Test
	void fewAnswerableQuestionsAreRefused() throws IOException {
		// A refused answerable question is answered "not found" although the knowledge
		// base has the answer.
		List<String> emptied = new ArrayList<>();
		for (Question question : questions()) {
			List<KnowledgeSearch.ScoredPassage> best = this.retriever.search(question.text(), 1, 0.0,
					Cancellation.none());
			double relevance = best.isEmpty() ? 0.0 : best.get(0).relevance();
			System.out.printf(Locale.ROOT, "In scope: best relevance %.3f for %s \"%s\"%n", relevance,
					question.expected(), question.text());
			if (this.retriever.retrieve(question.text(), 3, Cancellation.none()).isEmpty()) {
				emptied.add(question.text());
			}
		}
		System.out.println("Answerable questions refused: " + emptied);
		assertThat((double) emptied.size() / questions().size()).as("answerable questions that got no passage")
			.isLessThanOrEqualTo(MAX_REFUSED_SHARE);
	}

	static List<Question> questions() throws IOException {
		List<Question> questions = new ArrayList<>();
		for (String line : lines("knowledge/retrieval-quality.tsv")) {
			String[] fields = line.split("\t", 2);
			questions.add(new Question(fields[0].strip(), fields[1].strip()));
		}
		return questions;
	}

	static List<String> lines(String resource) throws IOException {
		String text = new ClassPathResource(resource).getContentAsString(StandardCharsets.UTF_8);
		return text.lines().map(String::strip).filter((l) -> !l.isEmpty() && !l.startsWith("#")).toList();
	}

}
