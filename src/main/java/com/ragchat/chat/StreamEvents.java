package com.ragchat.chat;

import java.util.List;

import org.jspecify.annotations.Nullable;

import com.ragchat.rag.Passage;
import com.ragchat.rag.Source;
import com.ragchat.rag.SourceKind;

/**
 * The events of the chat stream (API.md §3.4), in the order their keys are written.
 */
final class StreamEvents {

	/** What the web client shows when a stream fails; the cause is in {@code code}. */
	static final String ERROR_MESSAGE = "Error generating response.";

	private StreamEvents() {
	}

	record Status(String type, String message) {

		Status(String message) {
			this("status", message);
		}

	}

	record Token(String type, String token) {

		Token(String token) {
			this("token", token);
		}

	}

	record Done(String type, long sessionId, List<Source> sources, List<Passage> documentContents,
			SourceKind sourceKind, @Nullable String disclaimer, long userMessageId, long assistantMessageId,
			String title) {
	}

	/**
	 * @param code {@code timeout}, {@code rate_limited}, {@code unavailable},
	 * {@code rejected}, {@code auth}, {@code other} (provider failures) or
	 * {@code internal_error}
	 */
	record Error(String type, String message, String code) {

		Error(String code) {
			this("error", ERROR_MESSAGE, code);
		}

	}

}
