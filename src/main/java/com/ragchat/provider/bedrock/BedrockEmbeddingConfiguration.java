package com.ragchat.provider.bedrock;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.regions.Region;

import com.ragchat.knowledge.ConditionalOnEmbeddingProvider;
import com.ragchat.knowledge.Embedder;
import com.ragchat.provider.ProviderProperties;
import com.ragchat.provider.support.Settings;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@code EMBEDDING_PROVIDER=bedrock}: Amazon Titan text embeddings. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnEmbeddingProvider("bedrock")
class BedrockEmbeddingConfiguration {

	@Bean
	Embedder bedrockEmbedder(ProviderProperties properties) {
		ProviderProperties.Bedrock bedrock = properties.bedrock();
		Map<String, @Nullable String> required = new LinkedHashMap<>();
		required.put("BEDROCK_EMBEDDING_MODEL_ID", bedrock.embeddingModelId());
		Settings.require(required, "EMBEDDING_PROVIDER=bedrock");
		Region region = BedrockRegions.resolve(bedrock.region(), "EMBEDDING_PROVIDER=bedrock");
		return BedrockTitanEmbedder.create(region, bedrock.endpoint(), bedrock.embeddingModelId(),
				properties.embeddingDimensions(), properties.timeout());
	}

}
