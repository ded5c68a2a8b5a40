package com.ragchat.rag;

/**
 * One earlier message of the conversation, as history for the model.
 *
 * @param role who said it
 * @param content what was said
 */
public record ChatTurn(Role role, String content) {

	/** The speaker of a turn. */
	public enum Role {

		USER, ASSISTANT

	}

}
