package com.ragchat.provider.azure;

import com.ragchat.knowledge.ConditionalOnEmbeddingProvider;
import com.ragchat.knowledge.Embedder;
import com.ragchat.provider.ProviderProperties;
import com.ragchat.provider.openai.OpenAiEmbedder;
import com.ragchat.provider.support.RequiredSettings;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** {@code EMBEDDING_PROVIDER=azure}: an Azure OpenAI embedding deployment. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnEmbeddingProvider("azure")
class AzureEmbeddingConfiguration {

	@Bean
	Embedder azureEmbedder(ProviderProperties properties, Environment environment) {
		ProviderProperties.Azure azure = properties.azure();
		RequiredSettings.forEmbeddings(environment, "azure")
			.require("app.provider.azure.endpoint", azure.endpoint())
			.require("app.provider.azure.api-key", azure.apiKey())
			.require("app.provider.azure.embedding-deployment", azure.embeddingDeployment())
			.require("app.provider.azure.api-version", azure.apiVersion())
			.check();
		return OpenAiEmbedder.azure(azure.endpoint(), azure.apiKey(), azure.embeddingDeployment(), azure.apiVersion(),
				properties.embeddingDimensions(), properties.timeout());
	}

}
