package com.ragchat.provider.mock;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.ragchat.rag.Cancellation;
import com.ragchat.rag.Passage;
import com.ragchat.rag.SourceKind;

import static org.assertj.core.api.Assertions.assertThat;

/** The mock retrievers' fixed results. */
class MockRetrieverTests {

	@Test
	void knowledgeBaseReturnsTheContractsMockSource() {
		List<Passage> passages = new MockKnowledgeBaseRetriever().retrieve("anything", 3, Cancellation.none());
		assertThat(passages).hasSize(1);
		Passage passage = passages.get(0);
		assertThat(passage.content()).isEqualTo("This is mock content for testing purposes.");
		assertThat(passage.metadata().source()).isEqualTo("mock-document");
		assertThat(passage.metadata().kbUrl()).isEqualTo("https://example.com/kb/123");
		assertThat(passage.metadata().kbNumber()).isEqualTo("KB-123");
		assertThat(passage.metadata().kbCategory()).isEqualTo("Educational Technology");
		assertThat(passage.metadata().shortDescription()).isEqualTo("Mock KB article for development");
		assertThat(passage.metadata().project()).isEqualTo("Chatbot");
		assertThat(passage.metadata().ingestionDate()).isEqualTo("2023-07-01");
		assertThat(passage.metadata().score()).isNull();
		assertThat(new MockKnowledgeBaseRetriever().retrieve("anything", 0, Cancellation.none())).isEmpty();
	}

	@Test
	void webSearchNamesTheQuery() {
		MockWebRetriever web = new MockWebRetriever();
		assertThat(web.kind()).isEqualTo(SourceKind.WEB);
		Passage result = web.retrieve("café prices", 3, Cancellation.none()).get(0);
		assertThat(result.content()).isEqualTo("This is a mock web search result for: café prices");
		assertThat(result.metadata().kbUrl()).isEqualTo("https://example.com/search?q=caf%C3%A9+prices");
		assertThat(result.metadata().kbNumber()).isEqualTo("N/A");
	}

}
