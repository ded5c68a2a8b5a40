package com.ragchat.provider.mock;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.ragchat.rag.Cancellation;
import com.ragchat.rag.ConditionalOnRetrieverProvider;
import com.ragchat.rag.Passage;
import com.ragchat.rag.Retriever;
import com.ragchat.rag.Source;
import com.ragchat.rag.SourceKind;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;

/**
 * A web search that returns one made-up result naming the query, for web research mode
 * ({@code WEB_RESEARCH_ENABLED=true}) without a search service.
 */
@Component
@ConditionalOnRetrieverProvider("mock")
@ConditionalOnBooleanProperty("app.rag.web-research-enabled")
class MockWebRetriever implements Retriever {

	@Override
	public String provider() {
		return "mock";
	}

	@Override
	public SourceKind kind() {
		return SourceKind.WEB;
	}

	@Override
	public List<Passage> retrieve(String query, int limit, Cancellation cancellation) {
		if (limit <= 0) {
			return List.of();
		}
		Source source = new Source("mock-web-result",
				"https://example.com/search?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8), null, "Web",
				"Mock web search result", null, null, null);
		return List.of(new Passage("This is a mock web search result for: " + query, source));
	}

}
