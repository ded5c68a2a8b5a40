package com.ragchat.tenant;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

import com.ragchat.rag.AssistantProfile;

/**
 * Fields of a profile that override those below it (the admin's over the settings', a
 * tenant's over the global profile). A null or absent field inherits; a list, even empty,
 * replaces. Stored as JSON and sent as the API's {@code profile} object.
 *
 * @param assistantName how the assistant introduces itself
 * @param supportedTopics what it answers about
 * @param outOfScopeMessage what it says when the knowledge base cannot answer
 * @param fewShotExamples example exchanges for language models
 * @param language the language of its answers (blank: the question's)
 * @param exampleQuestions questions the web app offers on an empty chat
 */
record ProfileOverrides(
		@Nullable @Size(max = 100) @Pattern(regexp = SINGLE_LINE, message = SINGLE_LINE_MESSAGE) String assistantName,
		@Nullable @Size(max = 30) List<@NotBlank @Size(max = 200) @Pattern(regexp = SINGLE_LINE,
				message = SINGLE_LINE_MESSAGE) String> supportedTopics,
		@Nullable @Size(min = 1, max = 1000) @Pattern(regexp = NO_NUL,
				message = NO_NUL_MESSAGE) String outOfScopeMessage,
		@Nullable @Size(max = 10) List<@NotNull @Valid Example> fewShotExamples,
		@Nullable @Size(max = 50) @Pattern(regexp = SINGLE_LINE, message = SINGLE_LINE_MESSAGE) String language,
		@Nullable @Size(max = 10) List<@NotBlank @Size(max = 300) @Pattern(regexp = SINGLE_LINE,
				message = SINGLE_LINE_MESSAGE) String> exampleQuestions) {

	/**
	 * One line without control characters or unpaired surrogates (which are not text: the
	 * database driver would store {@code ?} in their place).
	 */
	static final String SINGLE_LINE = "[^\\p{Cntrl}\\uD800-\\uDFFF]*";

	static final String SINGLE_LINE_MESSAGE = "must be one line without control characters or unpaired surrogates";

	/** Text without NUL characters or unpaired surrogates. */
	static final String NO_NUL = "[^\\x00\\uD800-\\uDFFF]*";

	static final String NO_NUL_MESSAGE = "must not contain NUL characters or unpaired surrogates";

	static final ProfileOverrides NONE = new ProfileOverrides(null, null, null, null, null, null);

	/**
	 * An example exchange.
	 *
	 * @param input what a user asks
	 * @param output how the assistant answers
	 */
	record Example(@NotBlank @Size(max = 1000) @Pattern(regexp = NO_NUL, message = NO_NUL_MESSAGE) String input,
			@NotBlank @Size(max = 4000) @Pattern(regexp = NO_NUL, message = NO_NUL_MESSAGE) String output) {
	}

	/** {@code base} with these overrides applied. */
	AssistantProfile applyTo(AssistantProfile base) {
		return new AssistantProfile(nonBlankOr(this.assistantName, base.assistantName()),
				(this.supportedTopics != null)
						? this.supportedTopics.stream().map(String::strip).toList() : base.supportedTopics(),
				nonBlankOr(this.outOfScopeMessage, base.outOfScopeMessage()),
				(this.fewShotExamples != null) ? this.fewShotExamples.stream()
					.map((example) -> new AssistantProfile.Example(example.input(), example.output()))
					.toList() : base.fewShotExamples(),
				(this.language != null) ? this.language.strip() : base.language(), (this.exampleQuestions != null)
						? this.exampleQuestions.stream().map(String::strip).toList() : base.exampleQuestions());
	}

	private static String nonBlankOr(@Nullable String value, String fallback) {
		return (value != null && !value.isBlank()) ? value.strip() : fallback;
	}

}
