package com.ragchat.provider.mock;

import java.util.List;

import com.ragchat.rag.Cancellation;
import com.ragchat.rag.ConditionalOnRetrieverProvider;
import com.ragchat.rag.Passage;
import com.ragchat.rag.Retriever;
import com.ragchat.rag.Source;

import org.springframework.stereotype.Component;

/**
 * Finds the same mock article for every question: the "KB-123" source of the API
 * contract's example.
 */
@Component
@ConditionalOnRetrieverProvider("mock")
class MockKnowledgeBaseRetriever implements Retriever {

	static final Source SOURCE = new Source("mock-document", "https://example.com/kb/123", "KB-123",
			"Educational Technology", "Mock KB article for development", "Chatbot", "2023-07-01", null);

	static final Passage PASSAGE = new Passage("This is mock content for testing purposes.", SOURCE);

	@Override
	public String provider() {
		return "mock";
	}

	@Override
	public List<Passage> retrieve(String query, int limit, Cancellation cancellation) {
		return (limit > 0) ? List.of(PASSAGE) : List.of();
	}

}
