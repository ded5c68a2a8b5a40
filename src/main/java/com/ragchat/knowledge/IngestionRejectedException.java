package com.ragchat.knowledge;

/** A file the knowledge base will not take, with a reason the uploader can act on. */
final class IngestionRejectedException extends RuntimeException {

	/** Why a file was refused. */
	enum Reason {

		/** Not one of the accepted file types. */
		UNSUPPORTED_TYPE,

		/** Larger than {@code KNOWLEDGE_MAX_UPLOAD_MB}. */
		TOO_LARGE,

		/** Damaged, encrypted, or not what its extension says. */
		UNREADABLE,

		/** Parsed, but holds no text (a scanned PDF, an empty file). */
		NO_TEXT,

		/** The embedding pool is saturated. */
		BUSY,

		/**
		 * Metadata the service does not store, e.g. a {@code kb_url} that is not http(s).
		 */
		INVALID_METADATA,

		/** Beyond a content limit: characters, chunks, extraction time. */
		LIMIT_EXCEEDED

	}

	private final Reason reason;

	IngestionRejectedException(Reason reason, String detail) {
		super(detail);
		this.reason = reason;
	}

	Reason reason() {
		return this.reason;
	}

}
