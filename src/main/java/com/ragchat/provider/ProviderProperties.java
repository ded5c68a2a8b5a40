package com.ragchat.provider;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the model and retrieval providers ({@code app.provider}). Only the selected
 * providers' settings are checked, when their adapter starts: an unselected provider's
 * missing key never stops the service.
 *
 * @param timeoutSeconds how long one provider call may take
 * ({@code PROVIDER_TIMEOUT_SECONDS}); for a streamed answer, how long the model may stay
 * silent before its first token or between two tokens
 * @param maxRetries retries of a failed call after the first attempt
 * ({@code PROVIDER_MAX_RETRIES}), only for transient failures (timeout, 429, 5xx) and
 * never once a token has been handed out
 * @param circuit the per-provider circuit breaker
 * @param openai OpenAI or any OpenAI-compatible server
 * @param azure Azure OpenAI chat and embeddings, Azure AI Search
 * @param anthropic Anthropic messages API
 * @param ollama a local Ollama server
 * @param bedrock AWS Bedrock models and Knowledge Bases
 * @param embeddingDimensions shorter vectors from a provider's embedding model that
 * offers them ({@code EMBEDDING_DIMENSIONS}: OpenAI and Azure {@code text-embedding-3-*},
 * Titan v2's 256, 512 or 1024); 0 means the model's own length
 * @param tenantField the metadata attribute (Bedrock) or index field (Azure AI Search)
 * naming a document's tenant ({@code RETRIEVER_TENANT_FIELD}); empty: the managed
 * knowledge base is shared by every tenant
 */
@ConfigurationProperties("app.provider")
@Validated
public record ProviderProperties(@DefaultValue("60") @Min(1) @Max(600) int timeoutSeconds,
		@DefaultValue("2") @Min(0) @Max(10) int maxRetries, @DefaultValue @Valid @NotNull Circuit circuit,
		@DefaultValue @NotNull OpenAi openai, @DefaultValue @NotNull Azure azure,
		@DefaultValue @NotNull Anthropic anthropic, @DefaultValue @NotNull Ollama ollama,
		@DefaultValue @NotNull Bedrock bedrock, @DefaultValue("0") @Min(0) @Max(16384) int embeddingDimensions,
		@DefaultValue("") @Pattern(regexp = "[A-Za-z0-9_.-]{0,100}",
				message = "must be a field name: letters, digits, '_', '.', '-'") String tenantField) {

	/** The per-call timeout as a duration. */
	public Duration timeout() {
		return Duration.ofSeconds(this.timeoutSeconds);
	}

	/**
	 * The circuit breaker kept per provider: after {@code failureThreshold} consecutive
	 * transient failures calls fail at once for {@code openSeconds}, then one trial call
	 * decides whether to close it again.
	 *
	 * @param failureThreshold consecutive failures that open the circuit
	 * ({@code PROVIDER_CIRCUIT_FAILURE_THRESHOLD})
	 * @param openSeconds how long an open circuit refuses calls
	 * ({@code PROVIDER_CIRCUIT_OPEN_SECONDS})
	 */
	public record Circuit(@DefaultValue("5") @Min(1) int failureThreshold,
			@DefaultValue("30") @Min(1) int openSeconds) {

	}

	/**
	 * OpenAI, or any server speaking its chat completions API.
	 *
	 * @param apiKey {@code OPENAI_API_KEY}; required for api.openai.com, optional for a
	 * compatible server
	 * @param baseUrl {@code OPENAI_BASE_URL}, e.g. {@code http://localhost:8000/v1} for
	 * vLLM; empty means OpenAI itself
	 * @param model {@code OPENAI_MODEL}
	 * @param embeddingModel embedding model when {@code EMBEDDING_PROVIDER=openai}
	 * ({@code OPENAI_EMBEDDING_MODEL})
	 */
	public record OpenAi(@Nullable String apiKey, @Nullable String baseUrl,
			@DefaultValue("gpt-4o-mini") @Nullable String model,
			@DefaultValue("text-embedding-3-small") @Nullable String embeddingModel) {

	}

	/**
	 * Azure OpenAI and Azure AI Search.
	 *
	 * @param endpoint {@code AZURE_OPENAI_ENDPOINT}, e.g.
	 * {@code https://my-resource.openai.azure.com}
	 * @param apiKey {@code AZURE_OPENAI_API_KEY}
	 * @param deployment chat deployment name ({@code AZURE_OPENAI_DEPLOYMENT})
	 * @param apiVersion {@code AZURE_OPENAI_API_VERSION}
	 * @param embeddingDeployment embedding deployment for search queries and for the
	 * built-in knowledge base when {@code EMBEDDING_PROVIDER=azure}
	 * ({@code AZURE_EMBEDDING_DEPLOYMENT})
	 * @param searchServiceName {@code AZURE_SEARCH_SERVICE_NAME}: the service at
	 * {@code https://<name>.search.windows.net}
	 * @param searchEndpoint {@code AZURE_SEARCH_ENDPOINT}: a full URL instead of the
	 * service name (private endpoints, tests)
	 * @param searchKey query or admin key ({@code AZURE_SEARCH_KEY})
	 * @param searchIndex {@code AZURE_SEARCH_INDEX}
	 * @param searchVectorField vector field of the index
	 * ({@code AZURE_SEARCH_VECTOR_FIELD})
	 * @param searchContentField text field of the index
	 * ({@code AZURE_SEARCH_CONTENT_FIELD})
	 * @param searchApiVersion REST API version of Azure AI Search
	 * ({@code AZURE_SEARCH_API_VERSION})
	 */
	public record Azure(@Nullable String endpoint, @Nullable String apiKey, @Nullable String deployment,
			@DefaultValue("2024-10-21") @Nullable String apiVersion, @Nullable String embeddingDeployment,
			@Nullable String searchServiceName, @Nullable String searchEndpoint, @Nullable String searchKey,
			@Nullable String searchIndex, @DefaultValue("content_vector") @Nullable String searchVectorField,
			@DefaultValue("content") @Nullable String searchContentField,
			@DefaultValue("2024-07-01") @Nullable String searchApiVersion) {

	}

	/**
	 * Anthropic.
	 *
	 * @param apiKey {@code ANTHROPIC_API_KEY}
	 * @param model {@code ANTHROPIC_MODEL}
	 * @param baseUrl {@code ANTHROPIC_BASE_URL}: empty means Anthropic itself
	 */
	public record Anthropic(@Nullable String apiKey, @DefaultValue("claude-3-5-haiku-latest") @Nullable String model,
			@Nullable String baseUrl) {

	}

	/**
	 * Ollama.
	 *
	 * @param baseUrl {@code OLLAMA_BASE_URL}
	 * @param model {@code OLLAMA_MODEL}, pulled beforehand ({@code ollama pull})
	 * @param embeddingModel embedding model when {@code EMBEDDING_PROVIDER=ollama}
	 * ({@code OLLAMA_EMBEDDING_MODEL}), pulled beforehand
	 */
	public record Ollama(@DefaultValue("http://localhost:11434") @Nullable String baseUrl,
			@DefaultValue("llama3.2") @Nullable String model, @DefaultValue("bge-m3") @Nullable String embeddingModel) {

	}

	/**
	 * AWS Bedrock. Credentials come from the AWS default chain (environment, profile, web
	 * identity, container or instance role).
	 *
	 * @param region {@code AWS_REGION}; empty falls back to the AWS profile's region
	 * @param modelId model or inference profile id for Converse
	 * ({@code BEDROCK_MODEL_ID})
	 * @param knowledgeBaseId {@code BEDROCK_KNOWLEDGE_BASE_ID}
	 * @param searchType {@code RETRIEVER_SEARCH_TYPE}: {@code hybrid} or
	 * {@code semantic}; empty lets the knowledge base decide
	 * @param metadataFilter {@code BEDROCK_KB_METADATA_FILTER}: {@code key=value} pairs
	 * separated by commas, all of which a passage's metadata must match
	 * @param endpoint {@code BEDROCK_ENDPOINT_URL}: overrides the Bedrock runtime
	 * endpoint (VPC endpoints, tests)
	 * @param agentEndpoint {@code BEDROCK_AGENT_ENDPOINT_URL}: overrides the Knowledge
	 * Base (agent runtime) endpoint
	 * @param embeddingModelId Titan embedding model when
	 * {@code EMBEDDING_PROVIDER=bedrock} ({@code BEDROCK_EMBEDDING_MODEL_ID})
	 */
	public record Bedrock(@Nullable String region, @Nullable String modelId, @Nullable String knowledgeBaseId,
			@Nullable String searchType, @Nullable String metadataFilter, @Nullable String endpoint,
			@Nullable String agentEndpoint,
			@DefaultValue("amazon.titan-embed-text-v2:0") @Nullable String embeddingModelId) {

	}

}
