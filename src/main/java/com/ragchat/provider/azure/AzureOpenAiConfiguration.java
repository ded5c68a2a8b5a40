package com.ragchat.provider.azure;

import com.ragchat.provider.ProviderProperties;
import com.ragchat.provider.support.RequiredSettings;
import com.ragchat.provider.openai.OpenAiAnswerModel;
import com.ragchat.rag.AnswerModel;
import com.ragchat.rag.ConditionalOnLlmProvider;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** {@code LLM_PROVIDER=azure}: an Azure OpenAI chat deployment. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnLlmProvider("azure")
class AzureOpenAiConfiguration {

	@Bean
	AnswerModel azureOpenAiAnswerModel(ProviderProperties properties, Environment environment) {
		ProviderProperties.Azure azure = properties.azure();
		RequiredSettings.forModel(environment, "azure")
			.require("app.provider.azure.endpoint", azure.endpoint())
			.require("app.provider.azure.api-key", azure.apiKey())
			.require("app.provider.azure.deployment", azure.deployment())
			.require("app.provider.azure.api-version", azure.apiVersion())
			.check();
		return OpenAiAnswerModel.azure(azure.endpoint(), azure.apiKey(), azure.deployment(), azure.apiVersion(),
				properties.timeout());
	}

}
