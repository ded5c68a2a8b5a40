package com.ragchat.rag;

import java.util.List;

/**
 * One question for the pipeline.
 *
 * @param question the user's message as typed
 * @param history earlier messages of the conversation, oldest first (already limited to
 * {@link RagProperties#chatHistoryMaxMessages()})
 * @param sourceKind where to search: the knowledge base or the web
 */
public record RagQuestion(String question, List<ChatTurn> history, SourceKind sourceKind) {

	public RagQuestion {
		history = List.copyOf(history);
	}

}
