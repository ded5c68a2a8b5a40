package com.ragchat.chat;

import java.sql.Timestamp;
import java.sql.Types;
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
import org.springframework.jdbc.core.SqlParameterValue;
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
	 * <p>
	 * One statement, auto-committed: it marks the session active (only when this user
	 * owns it), stores the message and reads the history window, so a question costs one
	 * round trip to the database before its stream starts instead of five (read the
	 * session, update it, insert the message, read the history, commit). When the session
	 * is missing or another user's, nothing is written and a second query tells which.
	 */
	Turn beginTurn(long userId, @Nullable Long sessionId, String content) {
		// Read for every question, so that moving a user to another tenant applies to
		// the next one.
		Long tenant = this.tenants.tenantOf(userId);
		Instant now = Timestamps.now();
		Timestamp at = Timestamp.from(now);
		if (sessionId == null || sessionId == 0) {
			String title = titleFor(content);
			long[] ids = this.jdbc.queryForObject(NEW_SESSION_TURN,
					(rs, i) -> new long[] { rs.getLong(1), rs.getLong(2) }, userId, title,
					// Typed, so that a null costs no parameter-type lookup in the driver.
					new SqlParameterValue(Types.VARCHAR, (tenant != null) ? tenant.toString() : null), at, at, content,
					at);
			return new Turn(ids[0], title, new MessageView(ids[1], ids[0], "user", content, null, now), List.of(),
					tenant, userId);
		}
		int window = this.ragProperties.chatHistoryMaxMessages();
		List<TurnRow> rows = this.jdbc.query(EXISTING_SESSION_TURN,
				(rs, i) -> new TurnRow(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4)), at, sessionId,
				userId, content, at, (window == 0) ? Long.MAX_VALUE : window);
		if (rows.isEmpty()) {
			throw refusal(userId, sessionId);
		}
		List<ChatTurn> history = new ArrayList<>(rows.size());
		for (TurnRow row : rows) {
			if (row.role() != null) {
				history.add(new ChatTurn("user".equals(row.role()) ? ChatTurn.Role.USER : ChatTurn.Role.ASSISTANT,
						row.content()));
			}
		}
		TurnRow first = rows.get(0);
		return new Turn(sessionId, first.title(),
				new MessageView(first.messageId(), sessionId, "user", content, null, now), history, tenant, userId);
	}

	/**
	 * A new session and its first message in one statement: the session's id and the
	 * message's.
	 */
	private static final String NEW_SESSION_TURN = """
			with s as (
			    insert into chat_sessions (user_id, title, tenant_id, created_at, updated_at)
			    values (?, ?, ?, ?, ?) returning id
			), m as (
			    insert into chat_messages (session_id, role, content, created_at)
			    select id, 'user', ?, ? from s returning id
			)
			select s.id, m.id from s, m""";

	/**
	 * A question in an existing session of this user: touches the session, stores the
	 * message and returns the session's title, the message's id and the history window
	 * (the newest messages before it, oldest first; one row with a null role when there
	 * are none). The history sees the table as it was when the statement started, so it
	 * holds the earlier messages and not this one. No row: no such session of this user,
	 * and nothing written.
	 */
	private static final String EXISTING_SESSION_TURN = """
			with s as (
			    update chat_sessions set updated_at = ? where id = ? and user_id = ? returning id, title
			), m as (
			    insert into chat_messages (session_id, role, content, created_at)
			    select id, 'user', ?, ? from s returning id
			)
			select s.title, m.id, h.role, h.content
			from s cross join m
			left join lateral (
			    select id, role, content from chat_messages where session_id = s.id order by id desc limit ?
			) h on true
			order by h.id""";

	/** A row of {@link #EXISTING_SESSION_TURN}. */
	private record TurnRow(String title, long messageId, @Nullable String role, @Nullable String content) {
	}

	/**
	 * Why a question in {@code sessionId} was refused: no such session, or not theirs.
	 */
	private RuntimeException refusal(long userId, long sessionId) {
		List<Long> owners = this.jdbc.queryForList("select user_id from chat_sessions where id = ?", Long.class,
				sessionId);
		if (owners.isEmpty()) {
			return new ChatRefusals.SessionNotFound();
		}
		return (owners.get(0) == userId) ? new IllegalStateException("session " + sessionId + " not updated")
				: new ChatRefusals.ForeignSession(SESSION_FORBIDDEN);
	}

	/**
	 * Stores the assistant's answer of a turn and marks the session as active, in one
	 * auto-committed statement. A model may emit U+0000, which PostgreSQL text cannot
	 * hold; it is dropped.
	 */
	MessageView finishTurn(long sessionId, String answer, String metadataJson) {
		String content = answer.replace("\u0000", "");
		Instant now = Timestamps.now();
		Timestamp at = Timestamp.from(now);
		Long id = this.jdbc.queryForObject("""
				with s as (update chat_sessions set updated_at = ? where id = ?)
				insert into chat_messages (session_id, role, content, metadata, created_at)
				values (?, 'assistant', ?, cast(? as jsonb), ?) returning id""", Long.class, at, sessionId, sessionId,
				content, new SqlParameterValue(Types.VARCHAR, metadataJson), at);
		return new MessageView(requireId(id), sessionId, "assistant", content, metadataJson, now);
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
