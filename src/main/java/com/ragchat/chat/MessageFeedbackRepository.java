package com.ragchat.chat;

import java.time.Instant;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

interface MessageFeedbackRepository extends JpaRepository<MessageFeedback, Long> {

	Optional<MessageFeedback> findByUserIdAndMessageId(long userId, long messageId);

	/**
	 * Stores the user's feedback on a message, replacing an earlier one; a single
	 * statement, so two concurrent submissions cannot both insert.
	 */
	@Modifying(clearAutomatically = true, flushAutomatically = true)
	@Query(nativeQuery = true,
			value = """
					insert into message_feedback (message_id, user_id, feedback_type, rating, comment, created_at, updated_at)
					values (:messageId, :userId, :feedbackType, cast(:rating as smallint), cast(:comment as varchar), :now, :now)
					on conflict on constraint message_feedback_user_message_uk do update
					set feedback_type = excluded.feedback_type, rating = excluded.rating, comment = excluded.comment,
					    updated_at = excluded.updated_at
					""")
	int upsert(long messageId, long userId, String feedbackType, @Nullable Short rating, @Nullable String comment,
			Instant now);

}
