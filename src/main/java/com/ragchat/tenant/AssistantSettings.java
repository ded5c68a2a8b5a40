package com.ragchat.tenant;

import java.util.List;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The global assistant profile from settings ({@code app.assistant}); the admin API may
 * override each field, and each tenant may override it again. The refusal is
 * {@code OUT_OF_SCOPE_MESSAGE} ({@code app.rag.out-of-scope-message}).
 *
 * @param name how the assistant introduces itself ({@code ASSISTANT_NAME})
 * @param topics what it answers about, comma-separated ({@code ASSISTANT_TOPICS})
 * @param language the language of its answers; empty: the question's
 * ({@code ASSISTANT_LANGUAGE})
 * @param exampleQuestions questions the web app offers on an empty chat, separated by
 * {@code |} ({@code ASSISTANT_EXAMPLE_QUESTIONS})
 * @param fewShotExamples example exchanges for language models, as a JSON list of
 * {@code {"input","output"}} ({@code ASSISTANT_FEW_SHOT_EXAMPLES})
 */
@ConfigurationProperties("app.assistant")
@Validated
record AssistantSettings(@DefaultValue("Help Desk Assistant") @NotBlank @Size(max = 100) String name,
		@Nullable List<String> topics, @DefaultValue("") @Size(max = 50) String language,
		@DefaultValue("") @Size(max = 4000) String exampleQuestions,
		@DefaultValue("") @Size(max = 20000) String fewShotExamples) {

	AssistantSettings {
		topics = (topics == null) ? List.of()
				: topics.stream().map(String::strip).filter((topic) -> !topic.isEmpty()).toList();
	}

	List<String> exampleQuestionList() {
		return List.of(this.exampleQuestions.split("\\|"))
			.stream()
			.map(String::strip)
			.filter((q) -> !q.isEmpty())
			.toList();
	}

}
