package com.ragchat.chat;

import java.util.List;

import com.ragchat.platform.Route;

import static com.ragchat.platform.Route.post;
import static com.ragchat.platform.Route.patch;

/**
 * The chat feature's routes (API.md §3.3, §3.4), each path spelled once: the controllers
 * are mapped to these constants and the {@code ratelimit} feature reads
 * {@link #QUESTIONS}. Every chat route needs a signed-in user.
 */
public final class ChatRoutes {

	public static final String CHAT = "/api/chat/chat";

	public static final String STREAM = "/api/chat/stream";

	public static final String SESSIONS = "/api/chat/sessions";

	public static final String SESSION = SESSIONS + "/{id}";

	public static final String SESSION_MESSAGES = SESSION + "/messages";

	public static final String FEEDBACK = "/api/chat/feedback";

	public static final String MESSAGE_SOURCES = "/api/chat/messages/{id}/sources";

	/**
	 * Every route that asks the model a question: the {@code chat-send} rate-limit scope
	 * ({@code RATE_LIMIT_CHAT_PER_MINUTE}), counted per user and per IP.
	 */
	public static final List<Route> QUESTIONS = List.of(post(CHAT), post(STREAM), post(SESSION_MESSAGES));

	/** Creating a session: the {@code session-create} scope, counted per user. */
	public static final List<Route> SESSION_CREATION = List.of(post(SESSIONS));

	/** Renaming a session: the {@code session-rename} scope, counted per user. */
	public static final List<Route> SESSION_RENAMES = List.of(patch(SESSION));

	/** Rating an answer: the {@code feedback} scope, counted per user. */
	public static final List<Route> FEEDBACK_POSTS = List.of(post(FEEDBACK));

	private ChatRoutes() {
	}

}
