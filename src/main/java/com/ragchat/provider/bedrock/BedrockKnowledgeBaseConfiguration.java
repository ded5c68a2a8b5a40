package com.ragchat.provider.bedrock;

import software.amazon.awssdk.regions.Region;

import com.ragchat.provider.ProviderProperties;
import com.ragchat.provider.support.RequiredSettings;
import com.ragchat.rag.ConditionalOnRetrieverProvider;
import com.ragchat.rag.Retriever;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** {@code RETRIEVER_PROVIDER=bedrock}: Knowledge Base Retrieve. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRetrieverProvider("bedrock")
class BedrockKnowledgeBaseConfiguration {

	@Bean
	Retriever bedrockKnowledgeBaseRetriever(ProviderProperties properties, Environment environment) {
		ProviderProperties.Bedrock bedrock = properties.bedrock();
		RequiredSettings required = RequiredSettings.forRetriever(environment, "bedrock")
			.require("app.provider.bedrock.knowledge-base-id", bedrock.knowledgeBaseId());
		required.check();
		Region region = BedrockRegions.resolve(bedrock.region(), required);
		return BedrockKnowledgeBaseRetriever.create(region, bedrock.agentEndpoint(), bedrock.knowledgeBaseId(),
				bedrock.searchType(), bedrock.metadataFilter(), properties.tenantField(), properties.timeout());
	}

}
