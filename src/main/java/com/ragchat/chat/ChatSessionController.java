package com.ragchat.chat;

import java.time.Instant;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.jspecify.annotations.Nullable;

import com.ragchat.auth.AuthenticatedUser;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A user's chat sessions: create, list, read with messages, rename, delete. */
@RestController
class ChatSessionController {

	/**
	 * Cursors outside these bounds mean "everything" or "nothing"; they are not sent to
	 * the database, whose timestamps cannot hold every {@link Instant}.
	 */
	private static final Instant EARLIEST_CURSOR = Instant.parse("0001-01-01T00:00:00Z");

	private static final Instant LATEST_CURSOR = Instant.parse("9999-12-31T23:59:59Z");

	private final ChatService chat;

	private final ChatJson json;

	ChatSessionController(ChatService chat, ChatJson json) {
		this.chat = chat;
		this.json = json;
	}

	@PostMapping(ChatRoutes.SESSIONS)
	ChatApi.SessionResponse create(@AuthenticationPrincipal AuthenticatedUser user,
			@Valid @RequestBody ChatApi.CreateSessionRequest request) {
		return ChatApi.SessionResponse.of(this.chat.createSession(user.id(), request.title(), request.tenantId()));
	}

	/**
	 * The caller's sessions, most recently active first; {@code before} (an
	 * {@code updated_at} of the previous page's last session) continues a listing.
	 */
	@GetMapping(ChatRoutes.SESSIONS)
	List<ChatApi.SessionResponse> list(@AuthenticationPrincipal AuthenticatedUser user,
			@RequestParam(defaultValue = "100") @Min(1) @Max(500) int limit,
			@RequestParam(required = false) @Nullable Instant before) {
		if (before != null && before.isBefore(EARLIEST_CURSOR)) {
			// Nothing was active before then.
			return List.of();
		}
		Instant cursor = (before != null && before.isAfter(LATEST_CURSOR)) ? null : before;
		return this.chat.listSessions(user.id(), limit, cursor).stream().map(ChatApi.SessionResponse::of).toList();
	}

	@GetMapping(ChatRoutes.SESSION)
	ChatApi.SessionWithMessagesResponse get(@AuthenticationPrincipal AuthenticatedUser user, @PathVariable long id,
			@RequestParam(required = false) @Min(1) @Nullable Integer limit) {
		ChatService.SessionDetail detail = this.chat.getSession(user.id(), id, limit);
		ChatService.SessionView session = detail.session();
		return new ChatApi.SessionWithMessagesResponse(session.id(), session.title(),
				Timestamps.format(session.createdAt()), Timestamps.format(session.updatedAt()),
				detail.messages().stream().map(this.json::message).toList());
	}

	@PatchMapping(ChatRoutes.SESSION)
	ChatApi.SessionResponse rename(@AuthenticationPrincipal AuthenticatedUser user, @PathVariable long id,
			@Valid @RequestBody ChatApi.RenameSessionRequest request) {
		return ChatApi.SessionResponse.of(this.chat.renameSession(user.id(), id, request.title()));
	}

	@DeleteMapping(ChatRoutes.SESSION)
	ChatApi.DeletedResponse delete(@AuthenticationPrincipal AuthenticatedUser user, @PathVariable long id) {
		this.chat.deleteSession(user.id(), id);
		return new ChatApi.DeletedResponse("Chat session deleted successfully");
	}

}
