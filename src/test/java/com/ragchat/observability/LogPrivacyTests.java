package com.ragchat.observability;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import com.ragchat.support.ApiClient;
import com.ragchat.support.TestUsers;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.ConfigurableEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The log of real use: in JSON mode every line a chat stream writes, on the request
 * thread and on the generation thread, carries the request's id; at INFO, a sign-in and
 * chat flow leaves no password, token, cookie or chat text in the log.
 */
@ExtendWith(OutputCaptureExtension.class)
class LogPrivacyTests extends FullApplicationTestSupport {

	@Autowired
	ConfigurableEnvironment environment;

	@AfterEach
	void backToDefaultLogging() {
		LoggingRestart.apply(this.environment, Map.of());
	}

	@Test
	void everyLineOfAStreamCarriesItsRequestId(CapturedOutput output) {
		TestUsers.TestUser user = registerUser();
		long session = createSession(user, "Logged session");
		// JSON lines, and the application's debug lines too, so that generation (on its
		// own thread) has something to say.
		LoggingRestart.apply(this.environment, Map.of("LOG_JSON", "true", "logging.level.com.ragchat", "DEBUG"));
		String requestId = "stream-" + UUID.randomUUID();
		Instant start = Instant.now();
		stream(user, session, "Which documents mention refunds?", "X-Request-ID", requestId);
		Instant end = Instant.now();

		List<JsonNode> lines = output.getOut()
			.lines()
			.filter((line) -> line.startsWith("{"))
			.map(ApiClient.JSON::readTree)
			.toList();
		List<JsonNode> ours = lines.stream()
			.filter((line) -> requestId.equals(line.path("request_id").asString()))
			.toList();
		assertThat(ours).extracting((line) -> line.get("logger_name").asString())
			.contains(RequestTelemetryFilter.ACCESS_LOGGER, "com.ragchat.rag.RagPipeline");
		// Written on the generation thread, not the request's.
		assertThat(ours.stream().map((line) -> line.get("thread_name").asString()).distinct().count())
			.isGreaterThanOrEqualTo(2);
		// Nothing the chat path logged while the stream ran lacks the id.
		List<JsonNode> duringRequest = lines.stream().filter((line) -> {
			Instant at = Instant.parse(line.get("@timestamp").asString());
			return !at.isBefore(start) && !at.isAfter(end);
		}).filter((line) -> isRequestPath(line.get("logger_name").asString())).toList();
		assertThat(duringRequest).isNotEmpty()
			.allSatisfy(
					(line) -> assertThat(line.path("request_id").asString()).as(line.toString()).isEqualTo(requestId));
	}

	@Test
	void signInAndChatLeaveNoSecretsInTheLogAtInfo(CapturedOutput output) {
		LoggingRestart.apply(this.environment, Map.of("LOGGING_LEVEL", "INFO"));
		int from = output.getOut().length();
		ApiClient api = api();
		TestUsers.TestUser user = registerUser();
		String question = "My card ending 4242 was charged twice, order zebra-umbrella-" + UUID.randomUUID();
		long session = createSession(user, "Billing");
		assertThat(api
			.postJson("/api/chat/chat", Map.of("content", question, "session_id", session),
					fromClient(user.cookieHeaders()))
			.status()).isEqualTo(200);
		stream(user, session, question);
		assertThat(api.get("/api/auth/me", user.bearerHeaders()).status()).isEqualTo(200);
		assertThat(api
			.postJson("/api/auth/login-json", Map.of("username", user.username(), "password", "wrong-pw-x"),
					fromClient())
			.status()).isEqualTo(401);
		assertThat(api.postJson("/api/auth/logout", Map.of(), fromClient(user.cookieHeaders())).status())
			.isEqualTo(200);

		String log = output.getOut().substring(from);
		// The flow was logged (access lines), so absence below means something.
		assertThat(log).contains("POST /api/chat/stream 200", "POST /api/auth/login-json 200",
				"POST /api/auth/logout 200");
		assertThat(log).doesNotContain(user.password(), "wrong-pw-x", user.accessToken(), user.bearerToken(),
				user.csrfToken(), "access_token=", "csrf_token=", question, "zebra-umbrella");
		// No JWT of any kind.
		assertThat(log).doesNotContainPattern("eyJ[A-Za-z0-9_-]{8,}\\.eyJ");
	}

	private static boolean isRequestPath(String logger) {
		return logger.equals(RequestTelemetryFilter.ACCESS_LOGGER) || logger.startsWith("com.ragchat.chat")
				|| logger.startsWith("com.ragchat.rag") || logger.startsWith("com.ragchat.provider")
				|| logger.startsWith("com.ragchat.observability");
	}

}
