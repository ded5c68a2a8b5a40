package com.ragchat.provider.azure;

import com.ragchat.provider.ProviderProperties;
import com.ragchat.provider.support.RequiredSettings;
import com.ragchat.provider.support.Settings;
import com.ragchat.rag.ConditionalOnRetrieverProvider;
import com.ragchat.rag.Retriever;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** {@code RETRIEVER_PROVIDER=azure}: Azure AI Search hybrid queries. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRetrieverProvider("azure")
class AzureSearchConfiguration {

	@Bean
	Retriever azureSearchRetriever(ProviderProperties properties, Environment environment) {
		ProviderProperties.Azure azure = properties.azure();
		boolean endpointGiven = Settings.present(azure.searchEndpoint());
		RequiredSettings required = RequiredSettings.forRetriever(environment, "azure");
		if (!endpointGiven) {
			required.require("app.provider.azure.search-service-name", azure.searchServiceName());
		}
		required.require("app.provider.azure.search-key", azure.searchKey())
			.require("app.provider.azure.search-index", azure.searchIndex())
			.require("app.provider.azure.search-vector-field", azure.searchVectorField())
			.require("app.provider.azure.endpoint", azure.endpoint())
			.require("app.provider.azure.api-key", azure.apiKey())
			.require("app.provider.azure.embedding-deployment", azure.embeddingDeployment())
			.check();
		String searchEndpoint = endpointGiven ? azure.searchEndpoint()
				: "https://" + azure.searchServiceName().strip() + ".search.windows.net";
		return AzureSearchRetriever.create(searchEndpoint, azure.searchKey(), azure.searchIndex(),
				azure.searchApiVersion(), azure.searchVectorField(), azure.searchContentField(), azure.endpoint(),
				azure.apiKey(), azure.embeddingDeployment(), azure.apiVersion(), properties.tenantField(),
				properties.timeout());
	}

}
