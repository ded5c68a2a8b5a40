package com.ragchat.provider.azure;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import com.ragchat.provider.ProviderProperties;
import com.ragchat.provider.support.Settings;
import com.ragchat.rag.ConditionalOnRetrieverProvider;
import com.ragchat.rag.Retriever;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@code RETRIEVER_PROVIDER=azure}: Azure AI Search hybrid queries. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRetrieverProvider("azure")
class AzureSearchConfiguration {

	@Bean
	Retriever azureSearchRetriever(ProviderProperties properties) {
		ProviderProperties.Azure azure = properties.azure();
		Map<String, @Nullable String> required = new LinkedHashMap<>();
		if (!Settings.present(azure.searchEndpoint())) {
			required.put("AZURE_SEARCH_SERVICE_NAME", azure.searchServiceName());
		}
		required.put("AZURE_SEARCH_KEY", azure.searchKey());
		required.put("AZURE_SEARCH_INDEX", azure.searchIndex());
		required.put("AZURE_SEARCH_VECTOR_FIELD", azure.searchVectorField());
		required.put("AZURE_OPENAI_ENDPOINT", azure.endpoint());
		required.put("AZURE_OPENAI_API_KEY", azure.apiKey());
		required.put("AZURE_EMBEDDING_DEPLOYMENT", azure.embeddingDeployment());
		Settings.require(required, "RETRIEVER_PROVIDER=azure");
		String searchEndpoint = Settings.present(azure.searchEndpoint()) ? azure.searchEndpoint()
				: "https://" + azure.searchServiceName().strip() + ".search.windows.net";
		return AzureSearchRetriever.create(searchEndpoint, azure.searchKey(), azure.searchIndex(),
				azure.searchApiVersion(), azure.searchVectorField(), azure.searchContentField(), azure.endpoint(),
				azure.apiKey(), azure.embeddingDeployment(), azure.apiVersion(), properties.timeout());
	}

}
