package com.ragchat.knowledge;

/**
 * An ingestion stopped because its job was cancelled (by the client, or because nobody
 * waited for it any more) before anything was written.
 */
final class IngestionCancelledException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	IngestionCancelledException() {
		super("The upload was cancelled before it was stored.", null, false, false);
	}

}
