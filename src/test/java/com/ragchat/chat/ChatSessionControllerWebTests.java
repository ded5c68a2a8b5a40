package com.ragchat.chat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.ragchat.auth.AuthenticatedUser;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willThrow;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.authentication;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The session routes' contract in a web slice: response shapes, and the exact problem
 * bodies of refusals (a missing session is 404, another user's 403, a bad parameter 422).
 * The service is a mock; ownership itself is proved by the full-application
 * {@link ChatSessionControllerTests}. The slice's security is Spring's default chain: the
 * signed-in user is given directly, and unsafe requests carry its CSRF token.
 */
@WebMvcTest(controllers = ChatSessionController.class,
		excludeFilters = @ComponentScan.Filter(type = FilterType.REGEX,
				pattern = "com\\.ragchat\\.(platform\\.RequestSizeLimitFilter|observability\\.RequestTelemetryFilter)"))
@Import(ChatJson.class)
class ChatSessionControllerWebTests {

	private static final AuthenticatedUser ANN = new AuthenticatedUser(7, "ann", false);

	@Autowired
	MockMvc mvc;

	@MockitoBean
	ChatService chat;

	private static RequestPostProcessor ann() {
		return (request) -> {
			request.addHeader("X-Request-ID", "req-1");
			return authentication(new UsernamePasswordAuthenticationToken(ANN, "", List.of()))
				.postProcessRequest(request);
		};
	}

	@Test
	void createdSessionHasTheContractShape() throws Exception {
		Instant at = Instant.parse("2026-01-02T03:04:05.678Z");
		given(this.chat.createSession(7, "Trip", null)).willReturn(new ChatService.SessionView(41, "Trip", at, at));

		this.mvc
			.perform(post(ChatRoutes.SESSIONS).with(ann())
				.with(csrf())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"title\":\"Trip\"}"))
			.andExpect(status().isOk())
			.andExpect(content().json("""
					{"id":41,"title":"Trip"}"""))
			.andExpect(content().string(org.hamcrest.Matchers.containsString("\"created_at\"")));
	}

	@Test
	void anotherUsersSessionIsAForbiddenProblem() throws Exception {
		given(this.chat.getSession(7, 5, null))
			.willThrow(new ChatRefusals.ForeignSession(ChatService.SESSION_FORBIDDEN));

		this.mvc.perform(get(ChatRoutes.SESSION, 5).with(ann()))
			.andExpect(status().isForbidden())
			.andExpect(header().string("Content-Type", "application/problem+json"))
			.andExpect(content()
				.json("""
						{"type":"about:blank","title":"Forbidden","status":403,
						 "detail":"Not authorized to access this chat session","instance":"/api/chat/sessions/5","request_id":"req-1"}""",
						org.springframework.test.json.JsonCompareMode.STRICT));
	}

	@Test
	void deletingAnotherUsersSessionSaysSo() throws Exception {
		willThrow(new ChatRefusals.ForeignSession(ChatService.SESSION_DELETE_FORBIDDEN)).given(this.chat)
			.deleteSession(7, 5);

		this.mvc.perform(delete(ChatRoutes.SESSION, 5).with(ann()).with(csrf()))
			.andExpect(status().isForbidden())
			.andExpect(content().json("""
					{"status":403,"detail":"Not authorized to delete this chat session"}"""));
	}

	@Test
	void aMissingSessionIsANotFoundProblem() throws Exception {
		given(this.chat.getSession(7, 99, null)).willThrow(new ChatRefusals.SessionNotFound());

		this.mvc.perform(get(ChatRoutes.SESSION, 99).with(ann()))
			.andExpect(status().isNotFound())
			.andExpect(content().json("""
					{"type":"about:blank","title":"Not Found","status":404,"detail":"Chat session not found",
					 "instance":"/api/chat/sessions/99","request_id":"req-1"}""",
					org.springframework.test.json.JsonCompareMode.STRICT));
	}

	@Test
	void aLimitOutOfRangeIsAValidationProblem() throws Exception {
		this.mvc.perform(get(ChatRoutes.SESSIONS).param("limit", "0").with(ann()))
			.andExpect(status().isUnprocessableContent())
			.andExpect(content().json("""
					{"status":422,"errors":[{"field":"limit"}]}"""));
	}

}
