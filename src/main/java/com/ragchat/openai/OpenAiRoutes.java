package com.ragchat.openai;

import java.util.List;

import com.ragchat.platform.Route;

import static com.ragchat.platform.Route.post;

/**
 * The OpenAI-compatible routes, each path spelled once: the controller is mapped to these
 * constants, {@link OpenAiSecurity} guards {@link #ALL}, and the {@code ratelimit}
 * feature counts {@link #QUESTIONS} with the chat questions.
 */
public final class OpenAiRoutes {

	/** Every route of the OpenAI-compatible API, as a pattern. */
	public static final String ALL = "/v1/**";

	public static final String MODELS = "/v1/models";

	public static final String CHAT_COMPLETIONS = "/v1/chat/completions";

	/** Routes that ask the model a question (the {@code chat-send} rate-limit scope). */
	public static final List<Route> QUESTIONS = List.of(post(CHAT_COMPLETIONS));

	private OpenAiRoutes() {
	}

	/**
	 * Whether the request path is one of these routes (its errors take OpenAI's shape).
	 */
	public static boolean covers(String requestUri) {
		return requestUri.startsWith(ALL.substring(0, ALL.length() - 2));
	}

}
