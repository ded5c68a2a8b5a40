package com.ragchat.openai;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.http.MediaType;

/**
 * Errors in the shape OpenAI's clients parse: {@code {"error":{"message","type","param",
 * "code"}}}, with the status codes OpenAI uses (401 bad key, 400 bad request, 429 rate
 * limit, 5xx service trouble), so that an SDK raises its matching exception.
 */
public final class OpenAiErrors {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private OpenAiErrors() {
	}

	/** The error body. */
	public static ObjectNode body(String message, String type, @Nullable String param, @Nullable String code) {
		ObjectNode root = JSON.createObjectNode();
		ObjectNode error = root.putObject("error");
		error.put("message", message);
		error.put("type", type);
		error.put("param", param);
		error.put("code", code);
		return root;
	}

	/** Writes an error response from a filter, outside Spring MVC. */
	public static void write(HttpServletResponse response, int status, String message, String type,
			@Nullable String code) throws IOException {
		response.setStatus(status);
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		response.getOutputStream().write(JSON.writeValueAsBytes(body(message, type, null, code)));
	}

}
