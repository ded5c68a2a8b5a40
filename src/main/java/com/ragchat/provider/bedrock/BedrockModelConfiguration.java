package com.ragchat.provider.bedrock;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.regions.Region;

import com.ragchat.provider.ProviderProperties;
import com.ragchat.provider.support.Settings;
import com.ragchat.rag.AnswerModel;
import com.ragchat.rag.ConditionalOnLlmProvider;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@code LLM_PROVIDER=bedrock}: Converse and ConverseStream. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnLlmProvider("bedrock")
class BedrockModelConfiguration {

	@Bean
	AnswerModel bedrockAnswerModel(ProviderProperties properties) {
		ProviderProperties.Bedrock bedrock = properties.bedrock();
		Map<String, @Nullable String> required = new LinkedHashMap<>();
		required.put("BEDROCK_MODEL_ID", bedrock.modelId());
		Settings.require(required, "LLM_PROVIDER=bedrock");
		Region region = BedrockRegions.resolve(bedrock.region(), "LLM_PROVIDER=bedrock");
		return BedrockAnswerModel.create(region, bedrock.endpoint(), bedrock.modelId(), properties.timeout());
	}

}
