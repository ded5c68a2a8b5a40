package com.ragchat.chat;

import java.util.List;

import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;

interface ChatMessageRepository extends JpaRepository<ChatMessage, Long> {

	List<ChatMessage> findBySessionIdOrderByIdAsc(long sessionId);

	/** The last {@code limit} messages, newest first. */
	List<ChatMessage> findBySessionIdOrderByIdDesc(long sessionId, Limit limit);

}
