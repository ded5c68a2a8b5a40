package com.ragchat.chat;

/**
 * What the chat feature refuses about sessions and messages, named for what happened.
 * {@link ChatProblemAdvice} turns each into its problem (API.md §3.3): a missing row is
 * 404, another user's row is 403; the message is the detail the user reads. No stack
 * trace: these are answers, not failures.
 */
final class ChatRefusals {

	private ChatRefusals() {
	}

	/** Base of the refusals: a user-facing message and no stack trace. */
	abstract static class Refusal extends RuntimeException {

		private static final long serialVersionUID = 1L;

		Refusal(String detail) {
			super(detail, null, false, false);
		}

	}

	/** No session with that id. */
	static final class SessionNotFound extends Refusal {

		private static final long serialVersionUID = 1L;

		SessionNotFound() {
			super(ChatService.SESSION_NOT_FOUND);
		}

	}

	/** No message with that id. */
	static final class MessageNotFound extends Refusal {

		private static final long serialVersionUID = 1L;

		MessageNotFound() {
			super(ChatService.MESSAGE_NOT_FOUND);
		}

	}

	/** The session belongs to another user; {@code detail} says what was refused. */
	static final class ForeignSession extends Refusal {

		private static final long serialVersionUID = 1L;

		ForeignSession(String detail) {
			super(detail);
		}

	}

	/** The message is in another user's session. */
	static final class ForeignMessage extends Refusal {

		private static final long serialVersionUID = 1L;

		ForeignMessage() {
			super(ChatService.MESSAGE_FORBIDDEN);
		}

	}

}
