package com.ragchat.provider.bedrock;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.regions.Region;

import com.ragchat.provider.ProviderProperties;
import com.ragchat.provider.support.Settings;
import com.ragchat.rag.ConditionalOnRetrieverProvider;
import com.ragchat.rag.Retriever;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@code RETRIEVER_PROVIDER=bedrock}: Knowledge Base Retrieve. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRetrieverProvider("bedrock")
class BedrockKnowledgeBaseConfiguration {

	@Bean
	Retriever bedrockKnowledgeBaseRetriever(ProviderProperties properties) {
		ProviderProperties.Bedrock bedrock = properties.bedrock();
		Map<String, @Nullable String> required = new LinkedHashMap<>();
		required.put("BEDROCK_KNOWLEDGE_BASE_ID", bedrock.knowledgeBaseId());
		Settings.require(required, "RETRIEVER_PROVIDER=bedrock");
		Region region = BedrockRegions.resolve(bedrock.region(), "RETRIEVER_PROVIDER=bedrock");
		return BedrockKnowledgeBaseRetriever.create(region, bedrock.agentEndpoint(), bedrock.knowledgeBaseId(),
				bedrock.searchType(), bedrock.metadataFilter(), properties.timeout());
	}

}
