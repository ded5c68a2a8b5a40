package com.ragchat.chat;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.ragchat.auth.AuthenticatedUser;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.authentication;

/**
 * Users and authentication for the MockMvc chat tests: a user row (sessions reference
 * users) and the principal the auth feature's token filter would set. Tests over real
 * HTTP sign in for real with {@link com.ragchat.support.TestUsers}.
 */
final class ChatTestSupport {

	private ChatTestSupport() {
	}

	/** Inserts a user row (chat_sessions reference users) and returns its principal. */
	static AuthenticatedUser createUser(JdbcTemplate jdbc) {
		String name = "u" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		Long id = jdbc.queryForObject("insert into users (username, email) values (?, ?) returning id", Long.class,
				name, name + "@example.com");
		return new AuthenticatedUser(id, name, false);
	}

	/** Signs a MockMvc request in as {@code user}, as the auth feature's filter would. */
	static RequestPostProcessor as(AuthenticatedUser user) {
		return authentication(token(user));
	}

	/**
	 * The response of a performed request once it is complete: a stream's request is
	 * asynchronous and is written by its generation thread after {@code perform} returns.
	 */
	static MockHttpServletResponse completed(ResultActions actions) {
		MvcResult result = actions.andReturn();
		await().atMost(Duration.ofSeconds(20)).until(() -> !result.getRequest().isAsyncStarted());
		return result.getResponse();
	}

	private static UsernamePasswordAuthenticationToken token(AuthenticatedUser user) {
		return UsernamePasswordAuthenticationToken.authenticated(user, null,
				List.of(new SimpleGrantedAuthority("ROLE_USER")));
	}

}
