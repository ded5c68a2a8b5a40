package com.ragchat.chat;

import org.springframework.data.jpa.repository.JpaRepository;

interface ChatSessionRepository extends JpaRepository<ChatSession, Long> {

}
