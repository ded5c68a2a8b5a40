package com.ragchat.rag;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the answering pipeline ({@code app.rag}).
 *
 * @param llmProvider answer model ({@code LLM_PROVIDER}); see {@link ProviderSelection}
 * @param retrieverProvider knowledge-base retriever ({@code RETRIEVER_PROVIDER})
 * @param forceMock use the mock model and retriever whatever the two settings above say
 * ({@code RAG_FORCE_MOCK})
 * @param temperature sampling temperature of the answer model ({@code TEMPERATURE}, 0–2)
 * @param maxTokens upper bound on the tokens of one answer ({@code MAX_TOKENS})
 * @param retrieverNumberOfResults how many passages ground an answer
 * ({@code RETRIEVER_NUMBER_OF_RESULTS})
 * @param chatHistoryMaxMessages how many earlier messages of a session the pipeline sees
 * ({@code CHAT_HISTORY_MAX_MESSAGES}); 0 means all of them
 * @param streamArtificialDelayMs pause between the mock model's chunks, to make streaming
 * visible and load tests realistic ({@code STREAM_ARTIFICIAL_DELAY_MS})
 * @param webResearchEnabled whether {@code research_mode: "web"} is accepted and routed
 * to the web-search retriever ({@code WEB_RESEARCH_ENABLED})
 * @param outOfScopeMessage what the user is told when the knowledge base cannot answer
 * ({@code OUT_OF_SCOPE_MESSAGE}): the keyless answerer says it, every model's prompt asks
 * for it verbatim, and the evaluation recognises refusals by it
 */
@ConfigurationProperties("app.rag")
@Validated
public record RagProperties(@DefaultValue(ProviderSelection.DEFAULT_LLM) @NotBlank String llmProvider,
		@DefaultValue(ProviderSelection.DEFAULT_RETRIEVER) @NotBlank String retrieverProvider,
		@DefaultValue("false") boolean forceMock,
		@DefaultValue("0.2") @DecimalMin("0.0") @DecimalMax("2.0") double temperature,
		@DefaultValue("1024") @Min(1) @Max(200_000) int maxTokens,
		@DefaultValue("3") @Min(1) @Max(50) int retrieverNumberOfResults,
		@DefaultValue("40") @Min(0) int chatHistoryMaxMessages,
		@DefaultValue("0") @Min(0) @Max(60_000) long streamArtificialDelayMs,
		@DefaultValue("false") boolean webResearchEnabled,
		@DefaultValue(RagProperties.DEFAULT_OUT_OF_SCOPE_MESSAGE) @NotBlank @Size(
				max = 1000) String outOfScopeMessage) {

	/** The refusal when {@code OUT_OF_SCOPE_MESSAGE} is not set. */
	public static final String DEFAULT_OUT_OF_SCOPE_MESSAGE = "I could not find this in the knowledge base. "
			+ "Please contact the help desk, who can help you with this question.";

}
