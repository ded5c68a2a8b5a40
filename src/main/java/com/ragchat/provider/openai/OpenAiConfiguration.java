package com.ragchat.provider.openai;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import com.ragchat.provider.ProviderProperties;
import com.ragchat.provider.support.Settings;
import com.ragchat.rag.AnswerModel;
import com.ragchat.rag.ConditionalOnLlmProvider;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@code LLM_PROVIDER=openai}. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnLlmProvider("openai")
class OpenAiConfiguration {

	@Bean
	AnswerModel openAiAnswerModel(ProviderProperties properties) {
		ProviderProperties.OpenAi openai = properties.openai();
		Map<String, @Nullable String> required = new LinkedHashMap<>();
		// A self-hosted compatible server often needs no key; OpenAI itself always does.
		if (!Settings.present(openai.baseUrl())) {
			required.put("OPENAI_API_KEY", openai.apiKey());
		}
		required.put("OPENAI_MODEL", openai.model());
		Settings.require(required, "LLM_PROVIDER=openai");
		return OpenAiAnswerModel.openAi(openai.baseUrl(), openai.apiKey(), openai.model(), properties.timeout());
	}

}
