package com.ragchat.rag;

/**
 * Receives the pipeline's progress as it happens, on the thread that runs the pipeline.
 * Implementations must be quick (hand the event to another thread); they must not throw.
 */
public interface RagListener {

	/** A stage started, e.g. "Searching the knowledge base…". */
	void onStatus(String message);

	/** A fragment of the answer, in order. */
	void onToken(String token);

	/** A listener that ignores everything, for callers that only want the result. */
	static RagListener ignoring() {
		return new RagListener() {

			@Override
			public void onStatus(String message) {
			}

			@Override
			public void onToken(String token) {
			}

		};
	}

}
