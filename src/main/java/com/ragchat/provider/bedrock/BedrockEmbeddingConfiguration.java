package com.ragchat.provider.bedrock;

import software.amazon.awssdk.regions.Region;

import com.ragchat.knowledge.ConditionalOnEmbeddingProvider;
import com.ragchat.knowledge.Embedder;
import com.ragchat.provider.ProviderProperties;
import com.ragchat.provider.support.RequiredSettings;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** {@code EMBEDDING_PROVIDER=bedrock}: Amazon Titan text embeddings. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnEmbeddingProvider("bedrock")
class BedrockEmbeddingConfiguration {

	@Bean
	Embedder bedrockEmbedder(ProviderProperties properties, Environment environment) {
		ProviderProperties.Bedrock bedrock = properties.bedrock();
		RequiredSettings required = RequiredSettings.forEmbeddings(environment, "bedrock")
			.require("app.provider.bedrock.embedding-model-id", bedrock.embeddingModelId());
		required.check();
		Region region = BedrockRegions.resolve(bedrock.region(), required);
		return BedrockTitanEmbedder.create(region, bedrock.endpoint(), bedrock.embeddingModelId(),
				properties.embeddingDimensions(), properties.timeout());
	}

}
