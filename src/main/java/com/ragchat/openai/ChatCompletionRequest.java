package com.ragchat.openai;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import com.ragchat.rag.ChatTurn;

/**
 * What the service takes from a Chat Completions request: the last user message is the
 * question, earlier user and assistant messages are the history (system and developer
 * messages are read as instructions for a general model and left out: the assistant's own
 * prompt governs the answer). Unknown parameters are ignored; parameters that would
 * change the meaning of the answer and cannot be honoured are refused.
 *
 * @param question the last user message's text
 * @param history the earlier user and assistant turns, oldest first
 * @param stream whether the answer is streamed
 * @param includeUsage whether a streamed answer ends with a usage chunk
 * @param temperature the sampling temperature asked for, if any
 * @param maxTokens the answer's token bound asked for ({@code max_completion_tokens}, or
 * the older {@code max_tokens}), if any
 * @param model the model asked for, if any (one of {@code GET /v1/models})
 */
record ChatCompletionRequest(String question, List<ChatTurn> history, boolean stream, boolean includeUsage,
		@Nullable Double temperature, @Nullable Integer maxTokens, @Nullable String model) {

	/** Longest question taken, as on the chat routes. */
	static final int MAX_QUESTION = 8000;

	/** Most messages taken in one request. */
	static final int MAX_MESSAGES = 200;

	/** Reads a request body. */
	static ChatCompletionRequest of(@Nullable JsonNode body) {
		if (body == null || !body.isObject()) {
			throw new InvalidRequest("The request body must be a JSON object.", null);
		}
		JsonNode n = body.get("n");
		if (n != null && !n.isNull() && (!n.isIntegralNumber() || n.asInt() != 1)) {
			throw new InvalidRequest("Only n=1 is supported: the assistant gives one answer per question.", "n");
		}
		for (String unsupported : List.of("tools", "functions")) {
			JsonNode value = body.get(unsupported);
			if (value != null && !value.isNull() && !(value.isArray() && value.isEmpty())) {
				throw new InvalidRequest(
						"Tool calling is not supported: the assistant answers from its knowledge base.", unsupported);
			}
		}
		JsonNode messages = body.get("messages");
		if (messages == null || !messages.isArray() || messages.isEmpty()) {
			throw new InvalidRequest("'messages' must be a non-empty array.", "messages");
		}
		if (messages.size() > MAX_MESSAGES) {
			throw new InvalidRequest("At most " + MAX_MESSAGES + " messages are accepted.", "messages");
		}
		List<ChatTurn> turns = new ArrayList<>();
		for (int i = 0; i < messages.size(); i++) {
			JsonNode message = messages.get(i);
			String param = "messages[" + i + "]";
			if (!message.isObject() || !message.path("role").isString()) {
				throw new InvalidRequest("Each message needs a 'role'.", param + ".role");
			}
			String role = message.get("role").asString();
			switch (role) {
				case "user" -> turns.add(new ChatTurn(ChatTurn.Role.USER, text(message.get("content"), param)));
				case "assistant" -> {
					JsonNode content = message.get("content");
					if (content != null && !content.isNull()) {
						turns.add(new ChatTurn(ChatTurn.Role.ASSISTANT, text(content, param)));
					}
				}
				case "system", "developer", "tool", "function" -> {
					// Not part of the conversation the knowledge base answers.
				}
				default -> throw new InvalidRequest("Unknown role '" + role + "'.", param + ".role");
			}
		}
		if (turns.isEmpty() || turns.get(turns.size() - 1).role() != ChatTurn.Role.USER) {
			throw new InvalidRequest("The last message must be the user's question.", "messages");
		}
		String question = turns.remove(turns.size() - 1).content().strip();
		if (question.isEmpty()) {
			throw new InvalidRequest("The question is empty.", "messages");
		}
		if (question.length() > MAX_QUESTION || question.indexOf('\u0000') >= 0) {
			throw new InvalidRequest("The question must be at most " + MAX_QUESTION + " characters, without NUL.",
					"messages");
		}
		boolean stream = body.path("stream").asBoolean(false);
		boolean includeUsage = body.path("stream_options").path("include_usage").asBoolean(false);
		Double temperature = null;
		JsonNode t = body.get("temperature");
		if (t != null && !t.isNull()) {
			if (!t.isNumber() || t.asDouble() < 0 || t.asDouble() > 2) {
				throw new InvalidRequest("'temperature' must be a number from 0 to 2.", "temperature");
			}
			temperature = t.asDouble();
		}
		Integer maxTokens = null;
		for (String name : List.of("max_tokens", "max_completion_tokens")) {
			JsonNode m = body.get(name);
			if (m != null && !m.isNull()) {
				if (!m.isIntegralNumber() || m.asLong() < 1 || m.asLong() > Integer.MAX_VALUE) {
					throw new InvalidRequest("'" + name + "' must be a positive integer.", name);
				}
				maxTokens = m.asInt();
			}
		}
		JsonNode model = body.get("model");
		if (model != null && !model.isNull() && !model.isString()) {
			throw new InvalidRequest("'model' must be a string.", "model");
		}
		return new ChatCompletionRequest(question, turns, stream, includeUsage, temperature, maxTokens,
				(model != null && model.isString()) ? model.asString().strip() : null);
	}

	/** A message's text: a string, or the text parts of a content array. */
	private static String text(@Nullable JsonNode content, String param) {
		if (content != null && content.isString()) {
			return content.asString();
		}
		if (content != null && content.isArray()) {
			StringBuilder text = new StringBuilder();
			for (JsonNode part : content) {
				if ("text".equals(part.path("type").asString("")) && part.path("text").isString()) {
					text.append(text.isEmpty() ? "" : "\n").append(part.get("text").asString());
				}
				else {
					throw new InvalidRequest("Only text content is supported.", param + ".content");
				}
			}
			return text.toString();
		}
		throw new InvalidRequest("A message's 'content' must be a string or an array of text parts.",
				param + ".content");
	}

	/**
	 * A model the caller may not use, or that does not exist: 404
	 * {@code model_not_found}.
	 */
	static final class ModelNotFound extends RuntimeException {

		private static final long serialVersionUID = 1L;

		ModelNotFound(String model) {
			super("The model '" + model + "' does not exist or you do not have access to it.");
		}

	}

	/** A request the API refuses with 400 {@code invalid_request_error}. */
	static final class InvalidRequest extends RuntimeException {

		private static final long serialVersionUID = 1L;

		private final @Nullable String param;

		InvalidRequest(String message, @Nullable String param) {
			super(message, null, false, false);
			this.param = param;
		}

		@Nullable String param() {
			return this.param;
		}

	}

}
