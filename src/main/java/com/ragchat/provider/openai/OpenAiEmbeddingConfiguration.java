package com.ragchat.provider.openai;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import com.ragchat.knowledge.ConditionalOnEmbeddingProvider;
import com.ragchat.knowledge.Embedder;
import com.ragchat.provider.ProviderProperties;
import com.ragchat.provider.support.Settings;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@code EMBEDDING_PROVIDER=openai}: OpenAI's (or a compatible server's) embeddings. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnEmbeddingProvider("openai")
class OpenAiEmbeddingConfiguration {

	@Bean
	Embedder openAiEmbedder(ProviderProperties properties) {
		ProviderProperties.OpenAi openai = properties.openai();
		Map<String, @Nullable String> required = new LinkedHashMap<>();
		// A self-hosted compatible server often needs no key; OpenAI itself always does.
		if (!Settings.present(openai.baseUrl())) {
			required.put("OPENAI_API_KEY", openai.apiKey());
		}
		required.put("OPENAI_EMBEDDING_MODEL", openai.embeddingModel());
		Settings.require(required, "EMBEDDING_PROVIDER=openai");
		return OpenAiEmbedder.openAi(openai.baseUrl(), openai.apiKey(), openai.embeddingModel(),
				properties.embeddingDimensions(), properties.timeout());
	}

}
