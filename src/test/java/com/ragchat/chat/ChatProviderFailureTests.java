package com.ragchat.chat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import com.ragchat.auth.AuthenticatedUser;
import com.ragchat.rag.AnswerModel;
import com.ragchat.rag.Cancellation;
import com.ragchat.rag.Generation;
import com.ragchat.rag.GenerationRequest;
import com.ragchat.rag.ProviderException;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.util.AopTestUtils;
import org.springframework.test.web.servlet.MockMvc;

import static com.ragchat.chat.ChatTestSupport.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * A failing model: buffered routes answer 502/503/504 problems that say nothing of the
 * provider's message, streams end with an error event, and the user message stays stored
 * without an answer.
 */
// The provider feature's retries and circuit breaker would absorb or mask the failures
// this test makes on purpose.
@SpringBootTest(
		properties = { "LLM_PROVIDER=failing", "PROVIDER_MAX_RETRIES=0", "PROVIDER_CIRCUIT_FAILURE_THRESHOLD=1000" })
@AutoConfigureMockMvc
@Import(ChatProviderFailureTests.FailingModelConfiguration.class)
class ChatProviderFailureTests {

	static final String PROVIDER_SECRET = "upstream said: invalid key sk-secret-123";

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	JsonMapper json;

	@Autowired
	FailingModel model;

	AuthenticatedUser user;

	@BeforeEach
	void createUser() {
		this.user = ChatTestSupport.createUser(this.jdbc);
		// Every model bean is behind the provider feature's instrumentation proxy; its
		// fields are the target's.
		this.model = AopTestUtils.getUltimateTargetObject(this.model);
	}

	@AfterEach
	void reset() {
		this.model.failure = null;
		this.model.tokensBeforeFailure = 0;
		this.model.answer = "fine";
	}

	@Test
	void eachFailureKindMapsToItsStatusWithAGenericDetail() throws Exception {
		record Case(ProviderException.Kind kind, int status) {
		}
		for (Case c : List.of(new Case(ProviderException.Kind.TIMEOUT, 504),
				new Case(ProviderException.Kind.RATE_LIMITED, 503), new Case(ProviderException.Kind.UNAVAILABLE, 503),
				new Case(ProviderException.Kind.REJECTED, 502), new Case(ProviderException.Kind.AUTH, 502),
				new Case(ProviderException.Kind.OTHER, 502))) {
			this.model.failure = new ProviderException("fake", "chat", c.kind(), PROVIDER_SECRET);
			MockHttpServletResponse response = send("/api/chat/chat", "{\"content\":\"hello\"}");
			assertThat(response.getStatus()).as(c.kind().name()).isEqualTo(c.status());
			assertThat(response.getContentType()).isEqualTo("application/problem+json");
			JsonNode problem = this.json.readTree(response.getContentAsString());
			assertThat(problem.get("status").asInt()).isEqualTo(c.status());
			assertThat(problem.get("detail").asString()).isEqualTo(ChatProblemAdvice.detail(c.kind()));
			assertThat(problem.get("code").asString()).isEqualTo(c.kind().reason());
			assertThat(problem.get("request_id").asString()).isNotBlank();
			assertThat(response.getContentAsString()).doesNotContain("sk-secret").doesNotContain("upstream");
			assertThat(response.getHeader("Retry-After")).isNull();
		}
	}

	@Test
	void rateLimitedFailureCarriesRetryAfterAndKeepsTheUserMessageOnly() throws Exception {
		this.model.failure = new ProviderException("fake", "chat", ProviderException.Kind.RATE_LIMITED,
				Duration.ofMillis(2500), PROVIDER_SECRET, null);
		MockHttpServletResponse response = send("/api/chat/chat", "{\"content\":\"will fail\"}");
		assertThat(response.getStatus()).isEqualTo(503);
		assertThat(response.getHeader("Retry-After")).isEqualTo("3");
		assertThat(messages()).containsExactly("user:will fail");

		long sessionId = this.jdbc.queryForObject("select id from chat_sessions where user_id = ?", Long.class,
				this.user.id());
		MockHttpServletResponse again = send("/api/chat/sessions/" + sessionId + "/messages",
				"{\"content\":\"again\"}");
		assertThat(again.getStatus()).isEqualTo(503);
		assertThat(again.getHeader("Retry-After")).isEqualTo("3");
		assertThat(messages()).containsExactly("user:will fail", "user:again");
	}

	@Test
	void aStreamEndsWithAnErrorEventAfterTheTokensSoFar() throws Exception {
		this.model.failure = new ProviderException("fake", "chat", ProviderException.Kind.TIMEOUT, PROVIDER_SECRET);
		this.model.tokensBeforeFailure = 1;
		MockHttpServletResponse response = send("/api/chat/stream", "{\"content\":\"hello\"}");
		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(response.getContentAsString(StandardCharsets.UTF_8)).isEqualTo("""
				data: {"type":"status","message":"Searching the knowledge base…"}

				data: {"type":"token","token":"partial "}

				data: {"type":"error","message":"Error generating response.","code":"timeout"}

				""");
		assertThat(messages()).containsExactly("user:hello");
	}

	@Test
	void anUnexpectedFailureInAStreamIsAnInternalErrorEvent() throws Exception {
		this.model.unexpected = true;
		try {
			MockHttpServletResponse response = send("/api/chat/stream", "{\"content\":\"hello\"}");
			assertThat(response.getContentAsString(StandardCharsets.UTF_8)).endsWith(
					"data: {\"type\":\"error\",\"message\":\"Error generating response.\",\"code\":\"internal_error\"}\n\n")
				.doesNotContain("boom");
			assertThat(messages()).containsExactly("user:hello");
		}
		finally {
			this.model.unexpected = false;
		}
	}

	@Test
	void aNulCharacterFromTheModelIsDroppedBeforeStoring() throws Exception {
		this.model.answer = "bad\u0000byte";
		MockHttpServletResponse response = send("/api/chat/chat", "{\"content\":\"hello\"}");
		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(messages()).containsExactly("user:hello", "assistant:badbyte");
	}

	private List<String> messages() {
		return this.jdbc.queryForList("select m.role || ':' || m.content from chat_messages m join chat_sessions s"
				+ " on s.id = m.session_id where s.user_id = ? order by m.id", String.class, this.user.id());
	}

	private MockHttpServletResponse send(String path, String body) throws Exception {
		return ChatTestSupport.completed(
				this.mvc.perform(post(path).with(as(this.user)).contentType(MediaType.APPLICATION_JSON).content(body)));
	}

	/** A model that fails as told; selected by {@code LLM_PROVIDER=failing}. */
	static class FailingModel implements AnswerModel {

		volatile ProviderException failure;

		volatile int tokensBeforeFailure;

		volatile boolean unexpected;

		volatile String answer = "fine";

		@Override
		public String provider() {
			return "failing";
		}

		@Override
		public String model() {
			return "failing-1";
		}

		@Override
		public Generation generate(GenerationRequest request, Consumer<String> deltas, Cancellation cancellation) {
			for (int i = 0; i < this.tokensBeforeFailure; i++) {
				deltas.accept("partial ");
			}
			if (this.unexpected) {
				throw new IllegalStateException("boom");
			}
			if (this.failure != null) {
				throw this.failure;
			}
			deltas.accept(this.answer);
			return new Generation(this.answer, null, false);
		}

	}

	@TestConfiguration(proxyBeanMethods = false)
	static class FailingModelConfiguration {

		@Bean
		FailingModel failingModel() {
			return new FailingModel();
		}

	}

}
