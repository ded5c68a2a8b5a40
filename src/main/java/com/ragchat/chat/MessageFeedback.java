package com.ragchat.chat;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.jspecify.annotations.Nullable;

/** A user's verdict on an assistant message; at most one per user and message. */
@Entity
@Table(name = "message_feedback")
class MessageFeedback {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private @Nullable Long id;

	@Column(nullable = false)
	private long messageId;

	@Column(nullable = false)
	private long userId;

	@Column(nullable = false, length = 16)
	private String feedbackType;

	private @Nullable Short rating;

	@Column(length = 2000)
	private @Nullable String comment;

	@Column(nullable = false)
	private Instant createdAt;

	@Column(nullable = false)
	private Instant updatedAt;

	protected MessageFeedback() {
		this.feedbackType = "thumbs_up";
		this.createdAt = Instant.EPOCH;
		this.updatedAt = Instant.EPOCH;
	}

	MessageFeedback(long messageId, long userId, String feedbackType, @Nullable Short rating, @Nullable String comment,
			Instant now) {
		this.messageId = messageId;
		this.userId = userId;
		this.feedbackType = feedbackType;
		this.rating = rating;
		this.comment = comment;
		this.createdAt = now;
		this.updatedAt = now;
	}

	@Nullable Long getId() {
		return this.id;
	}

	long getMessageId() {
		return this.messageId;
	}

	long getUserId() {
		return this.userId;
	}

	String getFeedbackType() {
		return this.feedbackType;
	}

	@Nullable Short getRating() {
		return this.rating;
	}

	@Nullable String getComment() {
		return this.comment;
	}

	Instant getCreatedAt() {
		return this.createdAt;
	}

	Instant getUpdatedAt() {
		return this.updatedAt;
	}

}
