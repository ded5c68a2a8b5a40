package com.ragchat.chat;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.jspecify.annotations.Nullable;

import com.ragchat.auth.AccountTenants;
import com.ragchat.rag.ChatTurn;
import com.ragchat.rag.RagProperties;

import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Service;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sessions, messages and feedback in the database. Every method is one short transaction
 * of its own: the chat flow calls {@link #beginTurn} before generation and
 * {@link #finishTurn} after it, so no connection is held while a model answers. Ownership
 * is checked here: a missing row and another user's row are {@link ChatRefusals}.
 */
@Service
class ChatService {

	static final String SESSION_NOT_FOUND = "Chat session not found";

	static final String SESSION_FORBIDDEN = "Not authorized to access this chat session";

	static final String SESSION_DELETE_FORBIDDEN = "Not authorized to delete this chat session";

	static final String MESSAGE_NOT_FOUND = "Message not found";

	static final String MESSAGE_FORBIDDEN = "Not authorized to access this message";

	private static final int TITLE_FROM_CONTENT_MAX = 20;

	private final ChatSessionRepository sessions;

	private final JdbcTemplate jdbc;

	private final AccountTenants tenants;

	private final ChatMessageRepository messages;

	private final MessageFeedbackRepository feedback;

	private final RagProperties ragProperties;

	private final TransactionTemplate writing;

	private final TransactionTemplate reading;

	ChatService(ChatSessionRepository sessions, ChatMessageRepository messages, MessageFeedbackRepository feedback,
			RagProperties ragProperties, PlatformTransactionManager transactionManager, JdbcTemplate jdbc,
			AccountTenants tenants) {
		this.jdbc = jdbc;
		this.tenants = tenants;
		this.sessions = sessions;
		this.messages = messages;
		this.feedback = feedback;
		this.ragProperties = ragProperties;
		this.writing = new TransactionTemplate(transactionManager);
		this.reading = new TransactionTemplate(transactionManager);
		this.reading.setReadOnly(true);
	}

	/**
	 * Creates a session. A member of a tenant gets its tenant's id whatever
	 * {@code tenantId} says; for others the client's value is kept as a label (API.md).
	 */
	SessionView createSession(long userId, String title, @Nullable String tenantId) {
		Long tenant = this.tenants.tenantOf(userId);
		String label = (tenant != null) ? tenant.toString() : tenantId;
		return this.writing.execute((tx) -> SessionView
			.of(this.sessions.saveAndFlush(new ChatSession(userId, title, label, Timestamps.now()))));
	}

	/**
	 * A page of the user's sessions, newest activity first. One auto-committed query
	 * without the ORM or a transaction: the web client lists sessions on every page load,
	 * and this is the API's most frequent database read.
	 */
	List<SessionView> listSessions(long userId, int limit, @Nullable Instant before) {
		RowMapper<SessionView> row = (rs, i) -> new SessionView(rs.getLong(1), rs.getString(2),
				rs.getTimestamp(3).toInstant(), rs.getTimestamp(4).toInstant());
		if (before != null) {
			return this.jdbc.query(
					"select id, title, created_at, updated_at from chat_sessions"
							+ " where user_id = ? and updated_at < ? order by updated_at desc, id desc limit ?",
					row, userId, Timestamp.from(before), limit);
		}
		return this.jdbc.query("select id, title, created_at, updated_at from chat_sessions"
				+ " where user_id = ? order by updated_at desc, id desc limit ?", row, userId, limit);
	}

	SessionDetail getSession(long userId, long sessionId, @Nullable Integer lastMessages) {
		return this.reading.execute((tx) -> {
			ChatSession session = owned(userId, sessionId, SESSION_FORBIDDEN);
			List<ChatMessage> rows;
			if (lastMessages == null) {
				rows = this.messages.findBySessionIdOrderByIdAsc(sessionId);
			}
			else {
				rows = new ArrayList<>(this.messages.findBySessionIdOrderByIdDesc(sessionId, Limit.of(lastMessages)));
				Collections.reverse(rows);
			}
			return new SessionDetail(SessionView.of(session), rows.stream().map(MessageView::of).toList());
		});
	}

	SessionView renameSession(long userId, long sessionId, String title) {
		return this.writing.execute((tx) -> {
			ChatSession session = owned(userId, sessionId, SESSION_FORBIDDEN);
			session.setTitle(title);
			session.touch(Timestamps.now());
			return SessionView.of(this.sessions.saveAndFlush(session));
		});
	}

	void deleteSession(long userId, long sessionId) {
		this.writing.executeWithoutResult((tx) -> {
			// Messages and their feedback go with the session (foreign keys cascade).
			this.sessions.delete(owned(userId, sessionId, SESSION_DELETE_FORBIDDEN));
		});
	}

	/**
	 * Stores the user's message, first creating the session when {@code sessionId} is
	 * null or 0, and returns what generation needs: the session, the stored message and
	 * the history window before it.
	 */
	Turn beginTurn(long userId, @Nullable Long sessionId, String content) {
		// Read for every question, so that moving a user to another tenant applies to
		// the next one.
		Long tenant = this.tenants.tenantOf(userId);
		return this.writing.execute((tx) -> {
			Instant now = Timestamps.now();
			ChatSession session;
			if (sessionId == null || sessionId == 0) {
				session = this.sessions
					.save(new ChatSession(userId, titleFor(content), (tenant != null) ? tenant.toString() : null, now));
			}
			else {
				session = owned(userId, sessionId, SESSION_FORBIDDEN);
				session.touch(now);
			}
			long id = requireId(this.sessions.saveAndFlush(session).getId());
			ChatMessage message = this.messages.saveAndFlush(new ChatMessage(id, "user", content, null, now));
			List<ChatTurn> history = history(id, requireId(message.getId()));
			return new Turn(id, session.getTitle(), MessageView.of(message), history, tenant, userId);
		});
	}

	/**
	 * Stores the assistant's answer of a turn and marks the session as active. A model
	 * may emit U+0000, which PostgreSQL text cannot hold; it is dropped.
	 */
	MessageView finishTurn(long sessionId, String answer, String metadataJson) {
		String content = answer.replace("\u0000", "");
		return this.writing.execute((tx) -> {
			Instant now = Timestamps.now();
			this.sessions.findById(sessionId).ifPresent((session) -> session.touch(now));
			return MessageView
				.of(this.messages.saveAndFlush(new ChatMessage(sessionId, "assistant", content, metadataJson, now)));
		});
	}

	FeedbackView submitFeedback(long userId, long messageId, String feedbackType, @Nullable Short rating,
			@Nullable String comment) {
		return this.writing.execute((tx) -> {
			ownedMessage(userId, messageId);
			this.feedback.upsert(messageId, userId, feedbackType, rating, comment, Timestamps.now());
			MessageFeedback stored = this.feedback.findByUserIdAndMessageId(userId, messageId)
				.orElseThrow(() -> new IllegalStateException("feedback not stored"));
			return new FeedbackView(requireId(stored.getId()), stored.getMessageId(), stored.getUserId(),
					stored.getFeedbackType(), stored.getRating(), stored.getComment(), stored.getCreatedAt());
		});
	}

	MessageView message(long userId, long messageId) {
		return this.reading.execute((tx) -> MessageView.of(ownedMessage(userId, messageId)));
	}

	/**
	 * The title of a session created implicitly by its first message (API.md §3.3).
	 */
	static String titleFor(String content) {
		if (content.codePointCount(0, content.length()) <= TITLE_FROM_CONTENT_MAX) {
			return content;
		}
		return "Chat: " + content.substring(0, content.offsetByCodePoints(0, TITLE_FROM_CONTENT_MAX)) + "...";
	}

	private ChatSession owned(long userId, long sessionId, String forbiddenDetail) {
		ChatSession session = this.sessions.findById(sessionId).orElseThrow(ChatRefusals.SessionNotFound::new);
		if (session.getUserId() != userId) {
			throw new ChatRefusals.ForeignSession(forbiddenDetail);
		}
		return session;
	}

	private ChatMessage ownedMessage(long userId, long messageId) {
		ChatMessage message = this.messages.findById(messageId).orElseThrow(ChatRefusals.MessageNotFound::new);
		boolean mine = this.sessions.findById(message.getSessionId())
			.map((session) -> session.getUserId() == userId)
			.orElse(false);
		if (!mine) {
			throw new ChatRefusals.ForeignMessage();
		}
		return message;
	}

	private static long requireId(@Nullable Long id) {
		if (id == null) {
			throw new IllegalStateException("row has no id after flush");
		}
		return id;
	}

	/**
	 * The window of earlier turns, oldest first: role and text only, read in the turn's
	 * transaction without loading the messages as entities (an assistant message's
	 * metadata, its sources and passages, is most of its size and the model needs none of
	 * it).
	 */
	private List<ChatTurn> history(long sessionId, long beforeMessageId) {
		int window = this.ragProperties.chatHistoryMaxMessages();
		RowMapper<ChatTurn> row = (rs, i) -> new ChatTurn(
				"user".equals(rs.getString(1)) ? ChatTurn.Role.USER : ChatTurn.Role.ASSISTANT, rs.getString(2));
		String earlier = "select role, content from chat_messages where session_id = ? and id < ? order by id desc";
		List<ChatTurn> newestFirst = (window == 0) ? this.jdbc.query(earlier, row, sessionId, beforeMessageId)
				: this.jdbc.query(earlier + " limit ?", row, sessionId, beforeMessageId, window);
		List<ChatTurn> history = new ArrayList<>(newestFirst);
		Collections.reverse(history);
		return history;
	}

	/** A session as the API shows it. */
	record SessionView(long id, String title, Instant createdAt, Instant updatedAt) {

		static SessionView of(ChatSession session) {
			return new SessionView(requireId(session.getId()), session.getTitle(), session.getCreatedAt(),
					session.getUpdatedAt());
		}

	}

	/** A session with its messages, oldest first. */
	record SessionDetail(SessionView session, List<MessageView> messages) {
	}

	/**
	 * A stored message; {@code metadata} is the JSON text of the assistant's metadata.
	 */
	record MessageView(long id, long sessionId, String role, String content, @Nullable String metadata,
			Instant createdAt) {

		static MessageView of(ChatMessage message) {
			return new MessageView(requireId(message.getId()), message.getSessionId(), message.getRole(),
					message.getContent(), message.getMetadata(), message.getCreatedAt());
		}

	}

	/**
	 * A turn under way: its session, the stored user message and the earlier messages the
	 * pipeline sees.
	 */
	record Turn(long sessionId, String title, MessageView userMessage, List<ChatTurn> history, @Nullable Long tenantId,
			long userId) {
	}

	/** Stored feedback. */
	record FeedbackView(long id, long messageId, long userId, String feedbackType, @Nullable Short rating,
			@Nullable String comment, Instant createdAt) {
	}

}
