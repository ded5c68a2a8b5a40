package com.ragchat.provider;

import org.junit.jupiter.api.Test;

import com.ragchat.provider.azure.AzureSearchRetriever;
import com.ragchat.rag.Cancellation;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Azure AI Search with Azure OpenAI embeddings; needs the {@code AZURE_SEARCH_*} and
 * {@code AZURE_OPENAI_*} settings, {@code AZURE_EMBEDDING_DEPLOYMENT}, and
 * {@code LIVE_RETRIEVER_QUERY}: a question the index can answer.
 */
class AzureSearchRetrieverIT {

	@Test
	void retrievesPassagesWithScores() {
		String searchKey = LiveProviders.require("AZURE_SEARCH_KEY");
		String endpoint = (LiveProviders.optional("AZURE_SEARCH_ENDPOINT") != null)
				? LiveProviders.optional("AZURE_SEARCH_ENDPOINT")
				: "https://" + LiveProviders.require("AZURE_SEARCH_SERVICE_NAME") + ".search.windows.net";
		String vectorField = (LiveProviders.optional("AZURE_SEARCH_VECTOR_FIELD") != null)
				? LiveProviders.optional("AZURE_SEARCH_VECTOR_FIELD") : "content_vector";
		var retriever = AzureSearchRetriever.create(endpoint, searchKey, LiveProviders.require("AZURE_SEARCH_INDEX"),
				"2024-07-01", vectorField, "content", LiveProviders.require("AZURE_OPENAI_ENDPOINT"),
				LiveProviders.require("AZURE_OPENAI_API_KEY"), LiveProviders.require("AZURE_EMBEDDING_DEPLOYMENT"),
				"2024-10-21", LiveProviders.TIMEOUT);
		var passages = retriever.retrieve(LiveProviders.require("LIVE_RETRIEVER_QUERY"), 3, Cancellation.none());
		assertThat(passages).isNotEmpty().allSatisfy((p) -> assertThat(p.score()).isNotNull());
	}

}
