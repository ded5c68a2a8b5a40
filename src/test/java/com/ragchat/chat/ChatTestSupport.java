package com.ragchat.chat;

import java.io.IOException;
import java.util.List;
import java.util.UUID;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import com.ragchat.auth.AuthenticatedUser;
import com.ragchat.platform.HttpSecurityCustomizer;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.springframework.web.filter.OncePerRequestFilter;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.authentication;

/** Users and authentication for the chat tests. */
final class ChatTestSupport {

	/** Header naming the user id for {@link HeaderAuthentication}. */
	static final String TEST_USER_HEADER = "X-Test-User-Id";

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

	private static UsernamePasswordAuthenticationToken token(AuthenticatedUser user) {
		return UsernamePasswordAuthenticationToken.authenticated(user, null,
				List.of(new SimpleGrantedAuthority("ROLE_USER")));
	}

	/**
	 * For tests over real HTTP: authenticates a request as the user whose id is in
	 * {@value #TEST_USER_HEADER}. Test-only; the application authenticates with tokens.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class HeaderAuthentication {

		@Bean
		HttpSecurityCustomizer testHeaderAuthentication() {
			return (http) -> http.addFilterBefore(new OncePerRequestFilter() {

				@Override
				protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
						FilterChain chain) throws ServletException, IOException {
					String id = request.getHeader(TEST_USER_HEADER);
					SecurityContextHolderStrategy holder = SecurityContextHolder.getContextHolderStrategy();
					if (id != null) {
						SecurityContext context = holder.createEmptyContext();
						context.setAuthentication(token(new AuthenticatedUser(Long.parseLong(id), "test", false)));
						holder.setContext(context);
					}
					try {
						chain.doFilter(request, response);
					}
					finally {
						holder.clearContext();
					}
				}

			}, AnonymousAuthenticationFilter.class);
		}

	}

}
