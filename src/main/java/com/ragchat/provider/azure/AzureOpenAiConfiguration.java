package com.ragchat.provider.azure;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import com.ragchat.provider.ProviderProperties;
import com.ragchat.provider.openai.OpenAiAnswerModel;
import com.ragchat.provider.support.Settings;
import com.ragchat.rag.AnswerModel;
import com.ragchat.rag.ConditionalOnLlmProvider;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@code LLM_PROVIDER=azure}: an Azure OpenAI chat deployment. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnLlmProvider("azure")
class AzureOpenAiConfiguration {

	@Bean
	AnswerModel azureOpenAiAnswerModel(ProviderProperties properties) {
		ProviderProperties.Azure azure = properties.azure();
		Map<String, @Nullable String> required = new LinkedHashMap<>();
		required.put("AZURE_OPENAI_ENDPOINT", azure.endpoint());
		required.put("AZURE_OPENAI_API_KEY", azure.apiKey());
		required.put("AZURE_OPENAI_DEPLOYMENT", azure.deployment());
		required.put("AZURE_OPENAI_API_VERSION", azure.apiVersion());
		Settings.require(required, "LLM_PROVIDER=azure");
		return OpenAiAnswerModel.azure(azure.endpoint(), azure.apiKey(), azure.deployment(), azure.apiVersion(),
				properties.timeout());
	}

}
