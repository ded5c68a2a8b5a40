package com.ragchat.provider.azure;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import com.ragchat.knowledge.ConditionalOnEmbeddingProvider;
import com.ragchat.knowledge.Embedder;
import com.ragchat.provider.ProviderProperties;
import com.ragchat.provider.openai.OpenAiEmbedder;
import com.ragchat.provider.support.Settings;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@code EMBEDDING_PROVIDER=azure}: an Azure OpenAI embedding deployment. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnEmbeddingProvider("azure")
class AzureEmbeddingConfiguration {

	@Bean
	Embedder azureEmbedder(ProviderProperties properties) {
		ProviderProperties.Azure azure = properties.azure();
		Map<String, @Nullable String> required = new LinkedHashMap<>();
		required.put("AZURE_OPENAI_ENDPOINT", azure.endpoint());
		required.put("AZURE_OPENAI_API_KEY", azure.apiKey());
		required.put("AZURE_EMBEDDING_DEPLOYMENT", azure.embeddingDeployment());
		required.put("AZURE_OPENAI_API_VERSION", azure.apiVersion());
		Settings.require(required, "EMBEDDING_PROVIDER=azure");
		return OpenAiEmbedder.azure(azure.endpoint(), azure.apiKey(), azure.embeddingDeployment(), azure.apiVersion(),
				properties.embeddingDimensions(), properties.timeout());
	}

}
