package com.ragchat.knowledge;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Query preparation: typos corrected against the knowledge base's words, help-desk words
 * expanded, content words kept for the lexical coverage of the refusal decision.
 */
class QueryTermsTests {

	private static final QueryTerms.Vocabulary VOCABULARY = new QueryTerms.Vocabulary(
			Map.of("password", 40, "passwords", 5, "eduroam", 12, "android", 3, "reset", 9, "printer", 8));

	@Test
	void correctsWordsThatAreNotInTheKnowledgeBaseToTheClosestFrequentOne() {
		assertThat(VOCABULARY.correct("pasword")).isEqualTo("password");
		assertThat(VOCABULARY.correct("eduraom")).isEqualTo("eduroam");
		assertThat(VOCABULARY.correct("andriod")).isEqualTo("android");
		assertThat(VOCABULARY.correct("password")).isEqualTo("password");
		// Short words and words far from every known one stay as typed.
		assertThat(VOCABULARY.correct("pin")).isEqualTo("pin");
		assertThat(VOCABULARY.correct("parking")).isEqualTo("parking");
	}

	@Test
	void expandsHelpDeskWordsAndTranslationsAndKeepsTheQuestion() {
		QueryTerms terms = QueryTerms.load();
		QueryTerms.Prepared prepared = terms.prepare("¿Cómo restablezco mi contraseña?", VOCABULARY, true, true);
		assertThat(prepared.searchText()).startsWith("¿Cómo restablezco mi contraseña?").contains("reset", "password");
		assertThat(prepared.terms()).extracting(QueryTerms.Term::word).containsExactly("restablezco", "contraseña");
		assertThat(prepared.terms().get(1).alternatives()).contains("password");
	}

	@Test
	void correctedWordsReplaceTheTyposInTheSearchText() {
		QueryTerms.Prepared prepared = QueryTerms.none().prepare("eduraom on andriod", VOCABULARY, true, false);
		assertThat(prepared.searchText()).isEqualTo("eduroam on android");
		QueryTerms.Prepared untouched = QueryTerms.none().prepare("eduraom on andriod", VOCABULARY, false, false);
		assertThat(untouched.searchText()).isEqualTo("eduraom on andriod");
	}

	@Test
	void twoTypedWordsThatMakeAKnowledgeBaseWordAreThatWord() {
		QueryTerms.Vocabulary vocabulary = new QueryTerms.Vocabulary(Map.of("mailbox", 7, "mail", 9, "box", 2));
		QueryTerms.Prepared prepared = QueryTerms.none().prepare("my mail box is full", vocabulary, true, false);
		assertThat(prepared.searchText()).isEqualTo("my mailbox is full");
		assertThat(prepared.terms()).extracting(QueryTerms.Term::word).containsExactly("mailbox", "full");
		// Not without typo tolerance, and not across a stop word.
		assertThat(QueryTerms.none().prepare("my mail box is full", vocabulary, false, false).searchText())
			.isEqualTo("my mail box is full");
		assertThat(QueryTerms.none().prepare("mail is box", vocabulary, true, false).searchText())
			.isEqualTo("mail is box");
	}

	@Test
	void spanishAndGermanFunctionWordsAreNotContentWords() {
		assertThat(QueryTerms.contentWords("¿Qué hago si recibo un correo de phishing?")).containsExactly("recibo",
				"correo", "phishing");
		assertThat(QueryTerms.contentWords("Was muss ich tun, wenn mein Konto gesperrt ist?")).containsExactly("konto",
				"gesperrt");
	}

	@Test
	void coverageCountsQuestionWordsFoundThroughAnyAlternative() {
		QueryTerms.Prepared prepared = QueryTerms.load()
			.prepare("Where can I park my car on campus?", VOCABULARY, true, true);
		double coverage = KnowledgeSearch.coverage(prepared.terms(), QueryTerms.stems("Wi-Fi on every campus"));
		assertThat(coverage).isEqualTo(1.0 / 3);
	}

}
