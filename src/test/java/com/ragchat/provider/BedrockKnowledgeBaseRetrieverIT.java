package com.ragchat.provider;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

import com.ragchat.provider.bedrock.BedrockKnowledgeBaseRetriever;
import com.ragchat.rag.Cancellation;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Bedrock Knowledge Base; needs {@code AWS_REGION}, {@code BEDROCK_KNOWLEDGE_BASE_ID},
 * credentials, and {@code LIVE_RETRIEVER_QUERY}: a question the knowledge base can
 * answer.
 */
class BedrockKnowledgeBaseRetrieverIT {

	@Test
	void retrievesPassagesWithScores() {
		if (LiveProviders.optional("AWS_PROFILE") == null) {
			LiveProviders.require("AWS_ACCESS_KEY_ID");
		}
		Region region = Region.of(LiveProviders.require("AWS_REGION"));
		String knowledgeBase = LiveProviders.require("BEDROCK_KNOWLEDGE_BASE_ID");
		String query = LiveProviders.require("LIVE_RETRIEVER_QUERY");
		var retriever = BedrockKnowledgeBaseRetriever.create(region, null, knowledgeBase,
				LiveProviders.optional("RETRIEVER_SEARCH_TYPE"), LiveProviders.optional("BEDROCK_KB_METADATA_FILTER"),
				LiveProviders.TIMEOUT);
		var passages = retriever.retrieve(query, 3, Cancellation.none());
		assertThat(passages).isNotEmpty().allSatisfy((p) -> assertThat(p.score()).isNotNull());
	}

}
