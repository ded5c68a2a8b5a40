package com.ragchat.provider.ollama;

import com.ragchat.knowledge.ConditionalOnEmbeddingProvider;
import com.ragchat.knowledge.Embedder;
import com.ragchat.platform.InvalidConfigurationException;
import com.ragchat.provider.ProviderProperties;
import com.ragchat.provider.support.RequiredSettings;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** {@code EMBEDDING_PROVIDER=ollama}: an Ollama server's embedding model. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnEmbeddingProvider("ollama")
class OllamaEmbeddingConfiguration {

	@Bean
	Embedder ollamaEmbedder(ProviderProperties properties, Environment environment) {
		ProviderProperties.Ollama ollama = properties.ollama();
		RequiredSettings.forEmbeddings(environment, "ollama")
			.require("app.provider.ollama.base-url", ollama.baseUrl())
			.require("app.provider.ollama.embedding-model", ollama.embeddingModel())
			.check();
		if (properties.embeddingDimensions() > 0) {
			throw new InvalidConfigurationException("EMBEDDING_DIMENSIONS",
					"not supported with EMBEDDING_PROVIDER=ollama (leave it 0: the model decides)");
		}
		return OllamaEmbedder.create(ollama.baseUrl(), ollama.embeddingModel(), properties.timeout());
	}

}
