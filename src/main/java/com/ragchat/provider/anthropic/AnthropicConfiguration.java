package com.ragchat.provider.anthropic;

import com.ragchat.provider.ProviderProperties;
import com.ragchat.provider.support.RequiredSettings;
import com.ragchat.rag.AnswerModel;
import com.ragchat.rag.ConditionalOnLlmProvider;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** {@code LLM_PROVIDER=anthropic}. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnLlmProvider("anthropic")
class AnthropicConfiguration {

	@Bean
	AnswerModel anthropicAnswerModel(ProviderProperties properties, Environment environment) {
		ProviderProperties.Anthropic anthropic = properties.anthropic();
		RequiredSettings.forModel(environment, "anthropic")
			.require("app.provider.anthropic.api-key", anthropic.apiKey())
			.require("app.provider.anthropic.model", anthropic.model())
			.check();
		return AnthropicAnswerModel.create(anthropic.baseUrl(), anthropic.apiKey(), anthropic.model(),
				properties.timeout());
	}

}
