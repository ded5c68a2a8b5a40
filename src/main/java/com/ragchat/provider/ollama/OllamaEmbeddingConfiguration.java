package com.ragchat.provider.ollama;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import com.ragchat.knowledge.ConditionalOnEmbeddingProvider;
import com.ragchat.knowledge.Embedder;
import com.ragchat.platform.InvalidConfigurationException;
import com.ragchat.provider.ProviderProperties;
import com.ragchat.provider.support.Settings;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@code EMBEDDING_PROVIDER=ollama}: an Ollama server's embedding model. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnEmbeddingProvider("ollama")
class OllamaEmbeddingConfiguration {

	@Bean
	Embedder ollamaEmbedder(ProviderProperties properties) {
		ProviderProperties.Ollama ollama = properties.ollama();
		Map<String, @Nullable String> required = new LinkedHashMap<>();
		required.put("OLLAMA_BASE_URL", ollama.baseUrl());
		required.put("OLLAMA_EMBEDDING_MODEL", ollama.embeddingModel());
		Settings.require(required, "EMBEDDING_PROVIDER=ollama");
		if (properties.embeddingDimensions() > 0) {
			throw new InvalidConfigurationException("EMBEDDING_DIMENSIONS",
					"not supported with EMBEDDING_PROVIDER=ollama (leave it 0: the model decides)");
		}
		return OllamaEmbedder.create(ollama.baseUrl(), ollama.embeddingModel(), properties.timeout());
	}

}
