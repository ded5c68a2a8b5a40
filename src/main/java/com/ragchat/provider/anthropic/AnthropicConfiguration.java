package com.ragchat.provider.anthropic;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import com.ragchat.provider.ProviderProperties;
import com.ragchat.provider.support.Settings;
import com.ragchat.rag.AnswerModel;
import com.ragchat.rag.ConditionalOnLlmProvider;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@code LLM_PROVIDER=anthropic}. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnLlmProvider("anthropic")
class AnthropicConfiguration {

	@Bean
	AnswerModel anthropicAnswerModel(ProviderProperties properties) {
		ProviderProperties.Anthropic anthropic = properties.anthropic();
		Map<String, @Nullable String> required = new LinkedHashMap<>();
		required.put("ANTHROPIC_API_KEY", anthropic.apiKey());
		required.put("ANTHROPIC_MODEL", anthropic.model());
		Settings.require(required, "LLM_PROVIDER=anthropic");
		return AnthropicAnswerModel.create(anthropic.baseUrl(), anthropic.apiKey(), anthropic.model(),
				properties.timeout());
	}

}
