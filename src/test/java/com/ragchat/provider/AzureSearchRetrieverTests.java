package com.ragchat.provider;

import java.time.Duration;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import org.junit.jupiter.api.Test;

import com.ragchat.provider.azure.AzureSearchRetriever;
import com.ragchat.rag.Cancellation;
import com.ragchat.rag.Retriever;
import com.ragchat.rag.Source;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

/**
 * Azure AI Search hybrid queries against WireMock, with the query's embedding from an
 * Azure OpenAI embedding deployment on the same stub server.
 */
class AzureSearchRetrieverTests extends RetrieverWireContract {

	private static final String SEARCH_PATH = "/indexes/kb-index/docs/search";

	private static final String EMBEDDINGS_PATH = "/openai/deployments/embed-deploy/embeddings";

	@Override
	Retriever createRetriever(String baseUrl, Duration timeout) {
		return AzureSearchRetriever.create(baseUrl, "search-key", "kb-index", "2024-07-01", "content_vector", "content",
				baseUrl, "azure-key", "embed-deploy", "2024-10-21", timeout);
	}

	@Override
	String provider() {
		return "azure";
	}

	@Override
	void stubPrerequisites() {
		server.stubFor(post(urlPathEqualTo(EMBEDDINGS_PATH)).withQueryParam("api-version", equalTo("2024-10-21"))
			.withHeader("api-key", equalTo("azure-key"))
			.withRequestBody(matchingJsonPath("$.input", equalTo("reset my password")))
			.willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("""
					{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.0123,-0.0456,0.0789]}],
					 "model":"text-embedding-3-small","usage":{"prompt_tokens":4,"total_tokens":4}}
					""")));
	}

	@Override
	MappingBuilder searchRequest() {
		return post(urlPathEqualTo(SEARCH_PATH)).withQueryParam("api-version", equalTo("2024-07-01"))
			.withHeader("api-key", equalTo("search-key"))
			.withRequestBody(matchingJsonPath("$.search", equalTo("reset my password")));
	}

	@Override
	ResponseDefinitionBuilder twoResults() {
		String body = """
				{"@odata.context":"https://x.search.windows.net/indexes('kb-index')/$metadata#docs(*)","value":[
				  {"@search.score":0.9,"id":"doc-1","content":"To reset a password, open Settings and choose Security.",
				   "metadata":"{\\"source\\": \\"password-reset.md\\", \\"kb_url\\": \\"https://kb.example.com/KB-1\\", \\"kb_number\\": \\"KB-1\\", \\"kb_category\\": \\"Accounts\\", \\"short_description\\": \\"Reset a password\\", \\"project\\": \\"Helpdesk\\", \\"ingestion_date\\": \\"2025-03-01\\"}"},
				  {"@search.score":0.41,"id":"doc-2","content":"VPN access needs a ticket."}
				]}
				""";
		return aResponse().withStatus(200)
			.withHeader("Content-Type", "application/json; odata.metadata=minimal")
			.withBody(body);
	}

	@Override
	ResponseDefinitionBuilder errorResponse(int status) {
		return aResponse().withStatus(status)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"error\":{\"code\":\"\",\"message\":\"secret-detail: provider said " + status + "\"}}");
	}

	@Override
	Source bareSource() {
		return new Source("doc-2", null, null, null, null, null, null, 0.41);
	}

	@Test
	void sendsAHybridQueryWithTheEmbedding() {
		stubPrerequisites();
		server.stubFor(searchRequest().willReturn(twoResults()));

		guarded(0, TIMEOUT).retrieve("reset my password", 3, Cancellation.none());

		server.verify(
				postRequestedFor(urlPathEqualTo(SEARCH_PATH)).withRequestBody(matchingJsonPath("$.top", equalTo("3")))
					.withRequestBody(matchingJsonPath("$.vectorQueries[0].kind", equalTo("vector")))
					.withRequestBody(matchingJsonPath("$.vectorQueries[0].fields", equalTo("content_vector")))
					.withRequestBody(matchingJsonPath("$.vectorQueries[0].k", equalTo("3")))
					.withRequestBody(matchingJsonPath("$.vectorQueries[0].vector[1]", equalTo("-0.0456"))));
	}

	@Test
	void withATenantFieldOnlySharedDocumentsAndTheAskersTenantsAreSearched() {
		stubPrerequisites();
		server.stubFor(searchRequest().willReturn(twoResults()));
		GuardedCalls.Searcher tenants = new GuardedCalls.Searcher(GuardedCalls.guard(TIMEOUT, 0, 5, this.registry),
				AzureSearchRetriever.create(server.baseUrl(), "search-key", "kb-index", "2024-07-01", "content_vector",
						"content", server.baseUrl(), "azure-key", "embed-deploy", "2024-10-21", "tenant_id", TIMEOUT));

		tenants.retrieve("reset my password", 3, 42L, Cancellation.none());
		tenants.retrieve("reset my password", 3, null, Cancellation.none());

		server.verify(postRequestedFor(urlPathEqualTo(SEARCH_PATH))
			.withRequestBody(matchingJsonPath("$.filter", equalTo("tenant_id eq null or tenant_id eq '42'"))));
		server.verify(postRequestedFor(urlPathEqualTo(SEARCH_PATH))
			.withRequestBody(matchingJsonPath("$.filter", equalTo("tenant_id eq null"))));
	}

	@Test
	void withoutATenantFieldTheQueryHasNoFilter() {
		stubPrerequisites();
		server.stubFor(searchRequest().willReturn(twoResults()));
		guarded(0, TIMEOUT).retrieve("reset my password", 3, 42L, Cancellation.none());
		server.verify(postRequestedFor(urlPathEqualTo(SEARCH_PATH)).withRequestBody(notContaining("filter")));
	}

}
