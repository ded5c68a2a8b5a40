package com.ragchat.chat;

import java.util.List;

import org.jspecify.annotations.Nullable;

import com.ragchat.rag.Passage;
import com.ragchat.rag.RagAnswer;
import com.ragchat.rag.Source;
import com.ragchat.rag.SourceKind;

/**
 * What a streamed answer consists of: progress, fragments of the answer, and exactly one
 * final event ({@link Done}, {@link Answered} or {@link Error}). The records are the chat
 * stream's frames (API.md §3.4), their components in the order the keys are written;
 * another wire format (an {@link EventStreamWriter.Format}) may render the same events
 * its own way.
 */
public sealed interface StreamEvent {

	/** What the web client shows when a stream fails; the cause is in {@code code}. */
	String ERROR_MESSAGE = "Error generating response.";

	/** Whether this is the stream's last event. */
	default boolean ends() {
		return false;
	}

	public record Status(String type, String message) implements StreamEvent {

		public Status(String message) {
			this("status", message);
		}

	}

	public record Token(String type, String token) implements StreamEvent {

		public Token(String token) {
			this("token", token);
		}

	}

	public record Done(String type, long sessionId, List<Source> sources, List<Passage> documentContents,
			SourceKind sourceKind, @Nullable String disclaimer, long userMessageId, long assistantMessageId,
			String title) implements StreamEvent {

		@Override
		public boolean ends() {
			return true;
		}

	}

	/**
	 * @param code {@code timeout}, {@code rate_limited}, {@code unavailable},
	 * {@code rejected}, {@code auth}, {@code other} (provider failures),
	 * {@code interrupted} or {@code internal_error}
	 */
	public record Error(String type, String message, String code) implements StreamEvent {

		public Error(String code) {
			this("error", ERROR_MESSAGE, code);
		}

		@Override
		public boolean ends() {
			return true;
		}

	}

	/**
	 * The end of a stream whose format renders the whole answer itself (the
	 * OpenAI-compatible stream): nothing stored, the pipeline's answer as it is.
	 */
	public record Answered(RagAnswer answer) implements StreamEvent {

		@Override
		public boolean ends() {
			return true;
		}

	}

}
