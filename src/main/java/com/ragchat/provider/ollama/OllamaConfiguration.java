package com.ragchat.provider.ollama;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import com.ragchat.provider.ProviderProperties;
import com.ragchat.provider.support.Settings;
import com.ragchat.rag.AnswerModel;
import com.ragchat.rag.ConditionalOnLlmProvider;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@code LLM_PROVIDER=ollama}. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnLlmProvider("ollama")
class OllamaConfiguration {

	@Bean
	AnswerModel ollamaAnswerModel(ProviderProperties properties) {
		ProviderProperties.Ollama ollama = properties.ollama();
		Map<String, @Nullable String> required = new LinkedHashMap<>();
		required.put("OLLAMA_BASE_URL", ollama.baseUrl());
		required.put("OLLAMA_MODEL", ollama.model());
		Settings.require(required, "LLM_PROVIDER=ollama");
		return OllamaAnswerModel.create(ollama.baseUrl(), ollama.model(), properties.timeout());
	}

}
