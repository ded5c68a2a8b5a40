package com.ragchat.chat;

import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;

interface MessageFeedbackRepository extends JpaRepository<MessageFeedback, Long> {

	Optional<MessageFeedback> findByUserIdAndMessageId(long userId, long messageId);

}
