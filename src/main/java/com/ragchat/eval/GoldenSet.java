package com.ragchat.eval;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/**
 * A golden set: questions with what a good answer must do. JSON, snake_case: <pre>{@code
 * {"description": "...", "questions": [
 *   {"id": "q1", "split": "heldout", "category": "typo",
 *    "previous": [{"role": "user", "content": "..."}, {"role": "assistant", "content": "..."}],
 *    "question": "how do i rest my pasword", "expected": ["KB0001"], "key_facts": ["Forgot password"]},
 *   {"id": "q2", "category": "out-of-scope", "question": "Where can I park?", "out_of_scope": true}]}
 * }</pre>
 *
 * @param description what the set is about
 * @param questions the questions, at most {@value #MAX_QUESTIONS}
 */
record GoldenSet(@Nullable String description,
		@NotNull @NotEmpty @Size(max = MAX_QUESTIONS) List<@Valid @NotNull Question> questions) {

	/** Largest set one run accepts (each question is a full pipeline call). */
	static final int MAX_QUESTIONS = 1000;

	/**
	 * One question of a golden set.
	 *
	 * @param id identifier for the report (defaults to its position)
	 * @param split {@code tuning} or {@code heldout} (or any label; default {@code all})
	 * @param category what kind of question it is (keyword, typo, follow-up…), for the
	 * per-category figures
	 * @param previous earlier turns of the conversation, oldest first
	 * @param question the user's message
	 * @param expected article numbers ({@code kb_number}) or source names that answer it;
	 * any of them among the sources is a hit
	 * @param keyFacts short strings a good answer contains (case and spacing ignored)
	 * @param outOfScope whether the knowledge base cannot answer it, so the answer must
	 * be a refusal
	 */
	record Question(@Nullable @Size(max = 100) String id, @Nullable @Size(max = 50) String split,
			@Nullable @Size(max = 50) String category, @Nullable @Size(max = 40) List<@Valid @NotNull Turn> previous,
			@NotBlank @Size(max = 8000) String question, @Nullable @Size(max = 20) List<@NotBlank String> expected,
			@Nullable @Size(max = 20) List<@NotBlank String> keyFacts, @Nullable Boolean outOfScope) {

		boolean refusalExpected() {
			return Boolean.TRUE.equals(this.outOfScope);
		}

		List<String> expectedDocuments() {
			return (this.expected != null) ? this.expected : List.of();
		}

		List<String> facts() {
			return (this.keyFacts != null) ? this.keyFacts : List.of();
		}

		List<Turn> turns() {
			return (this.previous != null) ? this.previous : List.of();
		}

	}

	/**
	 * An earlier turn.
	 *
	 * @param role {@code user} or {@code assistant}
	 * @param content what was said
	 */
	record Turn(@NotNull @Pattern(regexp = "user|assistant") String role, @NotNull @Size(max = 8000) String content) {
	}

}
