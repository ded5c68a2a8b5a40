package com.ragchat.provider.bedrock;

import software.amazon.awssdk.regions.Region;

import com.ragchat.provider.ProviderProperties;
import com.ragchat.provider.support.RequiredSettings;
import com.ragchat.rag.AnswerModel;
import com.ragchat.rag.ConditionalOnLlmProvider;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** {@code LLM_PROVIDER=bedrock}: Converse and ConverseStream. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnLlmProvider("bedrock")
class BedrockModelConfiguration {

	@Bean
	AnswerModel bedrockAnswerModel(ProviderProperties properties, Environment environment) {
		ProviderProperties.Bedrock bedrock = properties.bedrock();
		RequiredSettings required = RequiredSettings.forModel(environment, "bedrock")
			.require("app.provider.bedrock.model-id", bedrock.modelId());
		required.check();
		Region region = BedrockRegions.resolve(bedrock.region(), required);
		return BedrockAnswerModel.create(region, bedrock.endpoint(), bedrock.modelId(), properties.timeout());
	}

}
