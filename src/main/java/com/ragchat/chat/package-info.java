/**
 * Chat sessions, their messages and feedback, and the buffered and streamed chat
 * endpoints.
 */
@NullMarked
package com.ragchat.chat;

import org.jspecify.annotations.NullMarked;
