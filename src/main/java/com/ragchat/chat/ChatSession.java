package com.ragchat.chat;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.jspecify.annotations.Nullable;

/** A conversation owned by one user. The owner is referenced by id, not by entity. */
@Entity
@Table(name = "chat_sessions")
class ChatSession {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private @Nullable Long id;

	@Column(nullable = false)
	private long userId;

	@Column(nullable = false, length = 200)
	private String title;

	@Column(length = 100)
	private @Nullable String tenantId;

	@Column(nullable = false)
	private Instant createdAt;

	@Column(nullable = false)
	private Instant updatedAt;

	protected ChatSession() {
		this.title = "";
		this.createdAt = Instant.EPOCH;
		this.updatedAt = Instant.EPOCH;
	}

	ChatSession(long userId, String title, @Nullable String tenantId, Instant now) {
		this.userId = userId;
		this.title = title;
		this.tenantId = tenantId;
		this.createdAt = now;
		this.updatedAt = now;
	}

	@Nullable Long getId() {
		return this.id;
	}

	long getUserId() {
		return this.userId;
	}

	String getTitle() {
		return this.title;
	}

	void setTitle(String title) {
		this.title = title;
	}

	@Nullable String getTenantId() {
		return this.tenantId;
	}

	Instant getCreatedAt() {
		return this.createdAt;
	}

	Instant getUpdatedAt() {
		return this.updatedAt;
	}

	void touch(Instant now) {
		this.updatedAt = now;
	}

}
