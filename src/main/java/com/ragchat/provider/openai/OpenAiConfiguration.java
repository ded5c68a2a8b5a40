package com.ragchat.provider.openai;

import com.ragchat.provider.ProviderProperties;
import com.ragchat.provider.support.RequiredSettings;
import com.ragchat.provider.support.Settings;
import com.ragchat.rag.AnswerModel;
import com.ragchat.rag.ConditionalOnLlmProvider;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** {@code LLM_PROVIDER=openai}. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnLlmProvider("openai")
class OpenAiConfiguration {

	@Bean
	AnswerModel openAiAnswerModel(ProviderProperties properties, Environment environment) {
		ProviderProperties.OpenAi openai = properties.openai();
		RequiredSettings required = RequiredSettings.forModel(environment, "openai");
		// A self-hosted compatible server often needs no key; OpenAI itself always does.
		if (!Settings.present(openai.baseUrl())) {
			required.require("app.provider.openai.api-key", openai.apiKey());
		}
		required.require("app.provider.openai.model", openai.model()).check();
		return OpenAiAnswerModel.openAi(openai.baseUrl(), openai.apiKey(), openai.model(), properties.timeout());
	}

}
