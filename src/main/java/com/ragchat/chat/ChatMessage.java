package com.ragchat.chat;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import org.jspecify.annotations.Nullable;

/**
 * One turn of a conversation. {@code metadata} holds the assistant's sources and
 * generation details as JSON text; it is parsed at the edge, not by the persistence
 * layer.
 */
@Entity
@Table(name = "chat_messages")
class ChatMessage {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private @Nullable Long id;

	@Column(nullable = false)
	private long sessionId;

	@Column(nullable = false, length = 16)
	private String role;

	@Column(nullable = false, columnDefinition = "text")
	private String content;

	@JdbcTypeCode(SqlTypes.JSON)
	@Column(columnDefinition = "jsonb")
	private @Nullable String metadata;

	@Column(nullable = false)
	private Instant createdAt;

	protected ChatMessage() {
		this.role = "user";
		this.content = "";
		this.createdAt = Instant.EPOCH;
	}

	ChatMessage(long sessionId, String role, String content, @Nullable String metadata, Instant now) {
		this.sessionId = sessionId;
		this.role = role;
		this.content = content;
		this.metadata = metadata;
		this.createdAt = now;
	}

	@Nullable Long getId() {
		return this.id;
	}

	long getSessionId() {
		return this.sessionId;
	}

	String getRole() {
		return this.role;
	}

	String getContent() {
		return this.content;
	}

	@Nullable String getMetadata() {
		return this.metadata;
	}

	Instant getCreatedAt() {
		return this.createdAt;
	}

}
