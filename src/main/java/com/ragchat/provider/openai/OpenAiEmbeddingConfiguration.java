package com.ragchat.provider.openai;

import com.ragchat.knowledge.ConditionalOnEmbeddingProvider;
import com.ragchat.knowledge.Embedder;
import com.ragchat.provider.ProviderProperties;
import com.ragchat.provider.support.RequiredSettings;
import com.ragchat.provider.support.Settings;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** {@code EMBEDDING_PROVIDER=openai}: OpenAI's (or a compatible server's) embeddings. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnEmbeddingProvider("openai")
class OpenAiEmbeddingConfiguration {

	@Bean
	Embedder openAiEmbedder(ProviderProperties properties, Environment environment) {
		ProviderProperties.OpenAi openai = properties.openai();
		RequiredSettings required = RequiredSettings.forEmbeddings(environment, "openai");
		// A self-hosted compatible server often needs no key; OpenAI itself always does.
		if (!Settings.present(openai.baseUrl())) {
			required.require("app.provider.openai.api-key", openai.apiKey());
		}
		required.require("app.provider.openai.embedding-model", openai.embeddingModel()).check();
		return OpenAiEmbedder.openAi(openai.baseUrl(), openai.apiKey(), openai.embeddingModel(),
				properties.embeddingDimensions(), properties.timeout());
	}

}
