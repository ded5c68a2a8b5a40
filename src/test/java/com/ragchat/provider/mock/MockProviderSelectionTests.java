package com.ragchat.provider.mock;

import org.junit.jupiter.api.Test;

import com.ragchat.rag.RagProperties;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The mock beans exist only when selected: by {@code LLM_PROVIDER} /
 * {@code RETRIEVER_PROVIDER}, or by {@code RAG_FORCE_MOCK}; the web one also needs
 * {@code WEB_RESEARCH_ENABLED}.
 */
class MockProviderSelectionTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(
			Properties.class, MockAnswerModel.class, MockKnowledgeBaseRetriever.class, MockWebRetriever.class);

	@Test
	void selectedByName() {
		this.runner.withPropertyValues("app.rag.llm-provider=mock", "app.rag.retriever-provider=MOCK")
			.run((context) -> {
				assertThat(context).hasSingleBean(MockAnswerModel.class);
				assertThat(context).hasSingleBean(MockKnowledgeBaseRetriever.class);
				assertThat(context).doesNotHaveBean(MockWebRetriever.class);
			});
	}

	@Test
	void absentWhenOtherProvidersAreSelected() {
		this.runner.withPropertyValues("app.rag.llm-provider=openai", "app.rag.retriever-provider=local")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(MockAnswerModel.class);
				assertThat(context).doesNotHaveBean(MockKnowledgeBaseRetriever.class);
			});
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(MockAnswerModel.class));
	}

	@Test
	void forcedByRagForceMock() {
		this.runner
			.withPropertyValues("app.rag.llm-provider=openai", "app.rag.retriever-provider=azure",
					"app.rag.force-mock=true", "app.rag.web-research-enabled=true")
			.run((context) -> {
				assertThat(context).hasSingleBean(MockAnswerModel.class);
				assertThat(context).hasSingleBean(MockKnowledgeBaseRetriever.class);
				assertThat(context).hasSingleBean(MockWebRetriever.class);
			});
	}

	@Test
	void webSearchNeedsWebResearchEnabled() {
		this.runner.withPropertyValues("app.rag.retriever-provider=mock", "app.rag.web-research-enabled=true")
			.run((context) -> assertThat(context).hasSingleBean(MockWebRetriever.class));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(RagProperties.class)
	static class Properties {

	}

}
