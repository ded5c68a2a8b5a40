package com.ragchat.provider;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import com.ragchat.knowledge.Embedder;
import com.ragchat.platform.InvalidConfigurationException;
import com.ragchat.rag.AnswerModel;
import com.ragchat.rag.ProviderCalls;
import com.ragchat.rag.Retriever;

import org.springframework.aop.support.AopUtils;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.FilterType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Start-up with each selection: a selected provider with missing settings fails with one
 * line naming them (as application.yml maps them to environment variables); unselected
 * providers are never read; the selected one is registered as it is, the guard being the
 * pipeline's.
 */
class ProviderStartupTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		// application.yml maps each setting to its environment variable, which is the
		// name a start-up failure gives.
		.withInitializer(new ConfigDataApplicationContextInitializer())
		.withUserConfiguration(ProviderBeans.class)
		// The defaults of application.yml for the settings that have one.
		.withPropertyValues("app.provider.openai.model=gpt-4o-mini", "app.provider.azure.api-version=2024-10-21",
				"app.provider.anthropic.model=claude-3-5-haiku-latest", "app.rag.retriever-provider=local",
				"aws.region=", "AWS_REGION=");

	@Test
	void noProviderKeyIsNeededWhenNoneIsSelected() {
		this.runner.withPropertyValues("app.rag.llm-provider=extractive").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(AnswerModel.class);
			assertThat(context).doesNotHaveBean(Retriever.class);
		});
	}

	@Test
	void aSelectedProviderWithoutItsKeyFailsNamingIt() {
		assertFailsNaming("app.rag.llm-provider=openai", "OPENAI_API_KEY", "LLM_PROVIDER=openai");
		assertFailsNaming("app.rag.llm-provider=anthropic", "ANTHROPIC_API_KEY", "LLM_PROVIDER=anthropic");
		assertFailsNaming("app.rag.llm-provider=azure",
				"AZURE_OPENAI_ENDPOINT, AZURE_OPENAI_API_KEY, AZURE_OPENAI_DEPLOYMENT", "LLM_PROVIDER=azure");
		assertFailsNaming("app.rag.llm-provider=bedrock", "BEDROCK_MODEL_ID", "LLM_PROVIDER=bedrock");
		assertFailsNaming("app.rag.retriever-provider=bedrock", "BEDROCK_KNOWLEDGE_BASE_ID",
				"RETRIEVER_PROVIDER=bedrock");
		assertFailsNaming("app.rag.retriever-provider=azure",
				"AZURE_SEARCH_SERVICE_NAME, AZURE_SEARCH_KEY, AZURE_SEARCH_INDEX, AZURE_OPENAI_ENDPOINT, "
						+ "AZURE_OPENAI_API_KEY, AZURE_EMBEDDING_DEPLOYMENT",
				"RETRIEVER_PROVIDER=azure");
	}

	@Test
	void aSelectedEmbeddingProviderWithoutItsSettingsFailsNamingThem() {
		assertFailsNaming("app.knowledge.embedding-provider=openai", "OPENAI_API_KEY", "EMBEDDING_PROVIDER=openai");
		assertFailsNaming("app.knowledge.embedding-provider=azure",
				"AZURE_OPENAI_ENDPOINT, AZURE_OPENAI_API_KEY, AZURE_EMBEDDING_DEPLOYMENT", "EMBEDDING_PROVIDER=azure");
		this.runner
			.withPropertyValues("app.knowledge.embedding-provider=ollama", "app.provider.embedding-dimensions=256")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationException.class)
				.hasMessageStartingWith("Invalid configuration: EMBEDDING_DIMENSIONS: not supported"));
	}

	@Test
	void theSelectedEmbeddingProviderStartsOnlyForTheBuiltInKnowledgeBase() {
		this.runner
			.withPropertyValues("app.knowledge.embedding-provider=OpenAI",
					"app.provider.openai.base-url=http://127.0.0.1:1/v1")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(Embedder.class).modelId()).isEqualTo("openai:text-embedding-3-small");
				assertThat(context.getBean(Embedder.class).dimensions()).isEqualTo(1536);
			});
		this.runner.withPropertyValues("app.knowledge.embedding-provider=ollama",
				"app.provider.ollama.base-url=http://o:11434", "app.provider.ollama.embedding-model=nomic-embed-text")
			.run((context) -> assertThat(context.getBean(Embedder.class).modelId())
				.isEqualTo("ollama:nomic-embed-text"));
		// Another retriever needs no embeddings: the provider's missing key does not
		// matter.
		this.runner.withPropertyValues("app.knowledge.embedding-provider=openai", "app.rag.retriever-provider=mock")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(Embedder.class);
			});
	}

	@Test
	void anOpenAiCompatibleServerNeedsNoKey() {
		this.runner
			.withPropertyValues("app.rag.llm-provider=openai", "app.provider.openai.base-url=http://127.0.0.1:1/v1")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				AnswerModel model = context.getBean(AnswerModel.class);
				assertThat(model.provider()).isEqualTo("openai");
				// No proxy: the pipeline calls the model through the one guard.
				assertThat(AopUtils.isAopProxy(model)).isFalse();
				assertThat(context).hasSingleBean(ProviderCalls.class);
			});
	}

	@Test
	void theSelectedProvidersStartWithTheirSettingsAndOnlyThey() {
		this.runner
			.withPropertyValues("app.rag.llm-provider=bedrock", "app.rag.retriever-provider=azure",
					"app.provider.bedrock.region=eu-west-1", "app.provider.bedrock.model-id=model-x",
					"app.provider.anthropic.api-key=", "app.provider.azure.search-service-name=s",
					"app.provider.azure.search-key=k", "app.provider.azure.search-index=i",
					"app.provider.azure.endpoint=https://r.openai.azure.com", "app.provider.azure.api-key=k",
					"app.provider.azure.embedding-deployment=e")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(AnswerModel.class).provider()).isEqualTo("bedrock");
				assertThat(context.getBean(Retriever.class).provider()).isEqualTo("azure");
			});
	}

	@Test
	void aMalformedKnowledgeBaseSearchTypeFailsNamingIt() {
		assertFailsNaming(
				new String[] { "app.rag.retriever-provider=bedrock", "app.provider.bedrock.knowledge-base-id=KB",
						"app.provider.bedrock.region=eu-west-1", "app.provider.bedrock.search-type=fuzzy" },
				"RETRIEVER_SEARCH_TYPE", "must be hybrid or semantic");
	}

	private void assertFailsNaming(String selection, String settings, String reason) {
		assertFailsNaming(new String[] { selection }, settings, reason);
	}

	private void assertFailsNaming(String[] properties, String settings, String reason) {
		this.runner.withPropertyValues(properties).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationException.class)
				.hasMessage("Invalid configuration: " + settings + ": " + reasonText(reason));
		});
	}

	private static String reasonText(String reason) {
		return reason.contains("=") ? "required when " + reason
				: reason + " (or empty for the knowledge base's default)";
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(ProviderProperties.class)
	@ComponentScan(basePackages = "com.ragchat.provider", useDefaultFilters = false,
			includeFilters = @ComponentScan.Filter(type = FilterType.REGEX,
					pattern = "com\\.ragchat\\.provider\\.(ProviderConfiguration|(openai|azure|anthropic|ollama|bedrock)\\..*Configuration)"))
	static class ProviderBeans {

		@Bean
		MeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

}
