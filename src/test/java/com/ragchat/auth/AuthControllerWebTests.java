package com.ragchat.auth;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static org.mockito.BDDMockito.given;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.authentication;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The accounts routes' refusals in a web slice: each of {@link AccountRefusals} becomes
 * the exact problem of API.md §3.2 (status, detail, {@code WWW-Authenticate} on 401). The
 * collaborators are mocks; the flows themselves are proved by the full-application
 * {@link AuthApiTests} and {@link PasswordChangeTests}. The slice's security is Spring's
 * default chain, so every request is signed in and carries a CSRF token.
 */
@WebMvcTest(controllers = AuthController.class, excludeFilters = @ComponentScan.Filter(type = FilterType.REGEX,
		pattern = "com\\.ragchat\\.(platform\\.RequestSizeLimitFilter|observability\\.RequestTelemetryFilter)"))
class AuthControllerWebTests {

	private static final AuthenticatedUser ANN = new AuthenticatedUser(7, "ann", false);

	@Autowired
	MockMvc mvc;

	@MockitoBean
	AccountService accounts;

	@MockitoBean
	AccessTokens tokens;

	@MockitoBean
	TokenRevocations revocations;

	@MockitoBean
	HandoffCodes handoffCodes;

	@MockitoBean
	AuthCookies cookies;

	@MockitoBean
	BrowserBinding binding;

	private static MockHttpServletRequestBuilder signedIn(MockHttpServletRequestBuilder request) {
		return request.header("X-Request-ID", "req-1")
			.with(authentication(new UsernamePasswordAuthenticationToken(ANN, "", List.of())))
			.with(csrf());
	}

	private static MockHttpServletRequestBuilder json(MockHttpServletRequestBuilder request, String body) {
		return signedIn(request).contentType(MediaType.APPLICATION_JSON).content(body);
	}

	@Test
	void aTakenUsernameIsABadRequest() throws Exception {
		given(this.accounts.register("ann", "ann@example.com", "long enough", null))
			.willThrow(new AccountRefusals.UsernameTaken());

		this.mvc
			.perform(json(post(AuthRoutes.REGISTER),
					"{\"username\":\"ann\",\"email\":\"ann@example.com\",\"password\":\"long enough\"}"))
			.andExpect(status().isBadRequest())
			.andExpect(header().string("Content-Type", "application/problem+json"))
			.andExpect(content().json("""
					{"type":"about:blank","title":"Bad Request","status":400,"detail":"Username already registered",
					 "instance":"/api/auth/register","request_id":"req-1"}""", JsonCompareMode.STRICT));
	}

	@Test
	void wrongCredentialsAreUnauthorizedWithABearerChallenge() throws Exception {
		given(this.accounts.authenticate("ann", "wrong")).willReturn(Optional.empty());

		this.mvc.perform(json(post(AuthRoutes.LOGIN_JSON), "{\"username\":\"ann\",\"password\":\"wrong\"}"))
			.andExpect(status().isUnauthorized())
			.andExpect(header().string("WWW-Authenticate", "Bearer"))
			.andExpect(content()
				.json("""
						{"type":"about:blank","title":"Unauthorized","status":401,
						 "detail":"Incorrect username or password","instance":"/api/auth/login-json","request_id":"req-1"}""",
						JsonCompareMode.STRICT));
	}

	@Test
	void aDeletedAccountIsUnauthorized() throws Exception {
		given(this.accounts.profile(7)).willReturn(Optional.empty());

		this.mvc.perform(signedIn(get(AuthRoutes.ME)))
			.andExpect(status().isUnauthorized())
			.andExpect(header().string("WWW-Authenticate", "Bearer"))
			.andExpect(content().json("""
					{"status":401,"detail":"Your account no longer exists. Please sign in."}"""));
	}

	@Test
	void aWrongCurrentPasswordIsABadRequest() throws Exception {
		given(this.accounts.changePassword(7, "old password", "new password"))
			.willThrow(new AccountRefusals.WrongCurrentPassword());

		this.mvc
			.perform(json(post(AuthRoutes.PASSWORD),
					"{\"current_password\":\"old password\",\"new_password\":\"new password\"}"))
			.andExpect(status().isBadRequest())
			.andExpect(content().json("""
					{"status":400,"detail":"Current password is incorrect"}"""));
	}

	@Test
	void anUnknownHandoffCodeIsABadRequest() throws Exception {
		given(this.handoffCodes.redeem(org.mockito.ArgumentMatchers.eq("a-code-of-sixteen-chars"),
				org.mockito.ArgumentMatchers.any()))
			.willReturn(java.util.OptionalLong.of(7));
		given(this.accounts.signedInUser(7)).willReturn(Optional.empty());

		this.mvc.perform(json(post(AuthRoutes.OAUTH_HANDOFF), "{\"code\":\"a-code-of-sixteen-chars\"}"))
			.andExpect(status().isBadRequest())
			.andExpect(content().json("""
					{"status":400,"detail":"Invalid or expired handoff code"}"""));
	}

}
