package com.ragchat.provider.ollama;

import com.ragchat.provider.ProviderProperties;
import com.ragchat.provider.support.RequiredSettings;
import com.ragchat.rag.AnswerModel;
import com.ragchat.rag.ConditionalOnLlmProvider;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** {@code LLM_PROVIDER=ollama}. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnLlmProvider("ollama")
class OllamaConfiguration {

	@Bean
	AnswerModel ollamaAnswerModel(ProviderProperties properties, Environment environment) {
		ProviderProperties.Ollama ollama = properties.ollama();
		RequiredSettings.forModel(environment, "ollama")
			.require("app.provider.ollama.base-url", ollama.baseUrl())
			.require("app.provider.ollama.model", ollama.model())
			.check();
		return OllamaAnswerModel.create(ollama.baseUrl(), ollama.model(), properties.timeout());
	}

}
