package com.ragchat.provider;

import java.time.Duration;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

import com.ragchat.platform.InvalidConfigurationException;
import com.ragchat.provider.bedrock.BedrockKnowledgeBaseRetriever;
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
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Bedrock Knowledge Base Retrieve against WireMock, SigV4-signed. */
class BedrockKnowledgeBaseRetrieverTests extends RetrieverWireContract {

	@BeforeAll
	static void credentials() {
		AwsWire.useTestCredentials();
	}

	@Override
	Retriever createRetriever(String baseUrl, Duration timeout) {
		return BedrockKnowledgeBaseRetriever.create(Region.of(AwsWire.REGION), baseUrl, "KBTEST1234", "hybrid",
				"project=Helpdesk,language=en", timeout);
	}

	@Override
	String provider() {
		return "bedrock";
	}

	@Override
	MappingBuilder searchRequest() {
		return AwsWire.signed(post(urlPathEqualTo("/knowledgebases/KBTEST1234/retrieve")))
			.withRequestBody(matchingJsonPath("$.retrievalQuery.text", equalTo("reset my password")));
	}

	@Override
	ResponseDefinitionBuilder twoResults() {
		String body = """
				{"retrievalResults":[
				  {"content":{"text":"To reset a password, open Settings and choose Security.","type":"TEXT"},
				   "location":{"s3Location":{"uri":"s3://kb-bucket/password-reset.md"},"type":"S3"},
				   "metadata":{"source":"password-reset.md","kb_url":"https://kb.example.com/KB-1","kb_number":"KB-1",
				     "kb_category":"Accounts","short_description":"Reset a password","project":"Helpdesk",
				     "ingestion_date":"2025-03-01","x-amz-bedrock-kb-chunk-id":"1%3A0%3Aabc",
				     "x-amz-bedrock-kb-data-source-id":"DS123"},
				   "score":0.9},
				  {"content":{"text":"VPN access needs a ticket.","type":"TEXT"},
				   "location":{"s3Location":{"uri":"s3://kb-bucket/vpn.txt"},"type":"S3"},
				   "score":0.41}
				]}
				""";
		return aResponse().withStatus(200)
			.withHeader("Content-Type", "application/json")
			.withHeader("x-amzn-RequestId", "7f4d3c2b-0000-4000-8000-000000000003")
			.withBody(body);
	}

	@Override
	ResponseDefinitionBuilder errorResponse(int status) {
		return AwsWire.error(status);
	}

	@Override
	Source bareSource() {
		return new Source("s3://kb-bucket/vpn.txt", null, null, null, null, null, null, 0.41);
	}

	@Test
	void sendsTheSearchTypeTheResultCountAndTheMetadataFilter() {
		server.stubFor(searchRequest().willReturn(twoResults()));

		guarded(0, TIMEOUT).retrieve("reset my password", 4, Cancellation.none());

		server.verify(postRequestedFor(urlPathEqualTo("/knowledgebases/KBTEST1234/retrieve"))
			.withRequestBody(matchingJsonPath("$.retrievalConfiguration.vectorSearchConfiguration.numberOfResults",
					equalTo("4")))
			.withRequestBody(matchingJsonPath("$.retrievalConfiguration.vectorSearchConfiguration.overrideSearchType",
					equalTo("HYBRID")))
			.withRequestBody(
					matchingJsonPath("$.retrievalConfiguration.vectorSearchConfiguration.filter.andAll[0].equals.key",
							equalTo("project")))
			.withRequestBody(
					matchingJsonPath("$.retrievalConfiguration.vectorSearchConfiguration.filter.andAll[1].equals.value",
							equalTo("en"))));
	}

	@Test
	void refusesAMalformedSearchTypeOrFilterAtStartUp() {
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> BedrockKnowledgeBaseRetriever.create(Region.of(AwsWire.REGION), server.baseUrl(), "KB",
					"fuzzy", null, TIMEOUT))
			.satisfies((ex) -> org.assertj.core.api.Assertions.assertThat(ex.setting())
				.isEqualTo("RETRIEVER_SEARCH_TYPE"));
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> BedrockKnowledgeBaseRetriever.create(Region.of(AwsWire.REGION), server.baseUrl(), "KB",
					"semantic", "project", TIMEOUT))
			.satisfies((ex) -> org.assertj.core.api.Assertions.assertThat(ex.setting())
				.isEqualTo("BEDROCK_KB_METADATA_FILTER"));
	}

	@Test
	void withATenantFieldOnlySharedDocumentsAndTheAskersTenantsAreSearched() {
		server.stubFor(searchRequest().willReturn(twoResults()));
		GuardedCalls.Searcher tenants = new GuardedCalls.Searcher(GuardedCalls.guard(TIMEOUT, 0, 5, this.registry),
				BedrockKnowledgeBaseRetriever.create(Region.of(AwsWire.REGION), server.baseUrl(), "KBTEST1234", null,
						"project=Helpdesk", "tenant_id", TIMEOUT));

		tenants.retrieve("reset my password", 4, 42L, Cancellation.none());
		tenants.retrieve("reset my password", 4, null, Cancellation.none());

		String filter = "$.retrievalConfiguration.vectorSearchConfiguration.filter";
		server.verify(postRequestedFor(urlPathEqualTo("/knowledgebases/KBTEST1234/retrieve"))
			.withRequestBody(matchingJsonPath(filter + ".andAll[0].equals.key", equalTo("project")))
			.withRequestBody(matchingJsonPath(filter + ".andAll[1].in.key", equalTo("tenant_id")))
			.withRequestBody(matchingJsonPath(filter + ".andAll[1].in.value[0]", equalTo("shared")))
			.withRequestBody(matchingJsonPath(filter + ".andAll[1].in.value[1]", equalTo("42"))));
		server.verify(postRequestedFor(urlPathEqualTo("/knowledgebases/KBTEST1234/retrieve"))
			.withRequestBody(matchingJsonPath(filter + ".andAll[1].equals.key", equalTo("tenant_id")))
			.withRequestBody(matchingJsonPath(filter + ".andAll[1].equals.value", equalTo("shared"))));
	}

	@Test
	void withoutATenantFieldTheRequestCarriesNoTenantFilter() {
		server.stubFor(searchRequest().willReturn(twoResults()));
		guarded(0, TIMEOUT).retrieve("reset my password", 4, 42L, Cancellation.none());
		server.verify(postRequestedFor(urlPathEqualTo("/knowledgebases/KBTEST1234/retrieve"))
			.withRequestBody(notContaining("tenant_id")));
	}

}
