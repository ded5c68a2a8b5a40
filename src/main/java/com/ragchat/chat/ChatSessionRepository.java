package com.ragchat.chat;

import java.time.Instant;
import java.util.List;

import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface ChatSessionRepository extends JpaRepository<ChatSession, Long> {

	@Query("select s from ChatSession s where s.userId = :userId order by s.updatedAt desc, s.id desc")
	List<ChatSession> findNewestFirst(long userId, Limit limit);

	@Query("select s from ChatSession s where s.userId = :userId and s.updatedAt < :before"
			+ " order by s.updatedAt desc, s.id desc")
	List<ChatSession> findNewestFirstBefore(long userId, Instant before, Limit limit);

}
