package com.ragchat.chat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import com.ragchat.rag.RagAnswer;

import org.springframework.stereotype.Component;

/**
 * JSON of the chat feature with the application's mapper (snake_case keys): assistant
 * metadata for storage, messages for responses, and stream frames.
 */
@Component
class ChatJson {

	private static final byte[] DATA_PREFIX = "data: ".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] FRAME_END = "\n\n".getBytes(StandardCharsets.US_ASCII);

	private final JsonMapper mapper;

	ChatJson(JsonMapper mapper) {
		this.mapper = mapper;
	}

	/** The {@code metadata} stored with an assistant message. */
	String metadata(RagAnswer answer) {
		ChatApi.Usage usage = (answer.usage() != null)
				? new ChatApi.Usage(answer.usage().inputTokens(), answer.usage().outputTokens()) : null;
		return this.mapper.writeValueAsString(new ChatApi.AssistantMetadata(answer.sources(), answer.passages(),
				answer.sourceKind(), answer.disclaimer(), answer.provider(), answer.model(), usage, answer.latencyMs(),
				answer.interrupted() ? Boolean.TRUE : null));
	}

	ChatApi.MessageResponse message(ChatService.MessageView message) {
		return new ChatApi.MessageResponse(message.id(), message.content(), message.role(), parse(message.metadata()),
				Timestamps.format(message.createdAt()));
	}

	@Nullable JsonNode parse(@Nullable String json) {
		return (json != null) ? this.mapper.readTree(json) : null;
	}

	/**
	 * One stream event, framed as the web client parses it: {@code data: }, the event as
	 * one line of JSON (the mapper escapes line breaks inside strings), a blank line. The
	 * chat stream's {@link EventStreamWriter.Format}.
	 */
	byte[] frame(StreamEvent event) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(128);
		out.writeBytes(DATA_PREFIX);
		out.writeBytes(this.mapper.writeValueAsBytes(event));
		out.writeBytes(FRAME_END);
		return out.toByteArray();
	}

}
