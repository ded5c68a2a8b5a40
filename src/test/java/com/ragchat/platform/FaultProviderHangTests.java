package com.ragchat.platform;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import com.ragchat.support.ApiClient;
import com.ragchat.support.TestUsers;
import com.ragchat.support.TestUsers.TestUser;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The model provider hangs. The {@code openai} adapter talks to a
 * {@link HangingHttpServer} that reads each request and never finishes its answer, with
 * {@code PROVIDER_TIMEOUT_SECONDS=2}: the timeout fires, the client gets 504 or the
 * stream's {@code error} event, the question stays stored without an answer, and nothing
 * is left behind: no provider connection, no thread serving or generating, no pooled
 * database connection.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "LLM_PROVIDER=openai", "OPENAI_API_KEY=sk-test", "OPENAI_MODEL=gpt-4o-mini",
				"PROVIDER_TIMEOUT_SECONDS=" + FaultProviderHangTests.TIMEOUT_SECONDS,
				// One attempt per question, and a circuit that stays closed: the test
				// looks at the timeout itself.
				"PROVIDER_MAX_RETRIES=0", "PROVIDER_CIRCUIT_FAILURE_THRESHOLD=1000",
				// Frequent heartbeats reveal a client that left well within the timeout.
				"STREAM_HEARTBEAT_INTERVAL=200ms" })
@DirtiesContext
class FaultProviderHangTests {

	static final int TIMEOUT_SECONDS = 2;

	static final int CONCURRENT_STREAMS = 6;

	static final HangingHttpServer provider = start();

	static boolean warmedUp;

	@LocalServerPort
	int port;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	DataSource dataSource;

	ApiClient api;

	TestUser user;

	@DynamicPropertySource
	static void openAi(DynamicPropertyRegistry properties) {
		properties.add("OPENAI_BASE_URL", () -> provider.baseUrl() + "/v1");
	}

	@AfterAll
	static void stopProvider() throws Exception {
		provider.close();
	}

	@BeforeEach
	void signIn() {
		this.api = new ApiClient(this.port);
		this.user = TestUsers.register(this.api);
		if (!warmedUp) {
			// The first call loads the HTTP client; on a busy machine that alone can
			// outlast a 2 s timeout before the request is even sent.
			provider.behave(HangingHttpServer.Behaviour.SILENT);
			this.api.postJson("/api/chat/chat", Map.of("content", "warm-up"), this.user.bearerHeaders());
			await().atMost(Duration.ofSeconds(10)).until(() -> provider.openConnections() == 0);
			warmedUp = true;
		}
	}

	@Test
	void aBufferedAnswerThatNeverComesIs504AfterTheTimeout() {
		provider.behave(HangingHttpServer.Behaviour.SILENT);
		Baseline baseline = baseline();
		String question = "silent " + UUID.randomUUID();

		long started = System.nanoTime();
		ApiClient.Response response = this.api.postJson("/api/chat/chat", Map.of("content", question),
				this.user.bearerHeaders());
		long elapsed = millisSince(started);

		assertThat(response.status()).as(response.toString()).isEqualTo(504);
		assertThat(response.contentType()).isEqualTo("application/problem+json");
		assertThat(response.json().get("code").asString()).isEqualTo("timeout");
		assertThat(response.json().get("detail").asString())
			.isEqualTo("The answer service took too long to respond. Please try again.");
		assertThat(elapsed).isBetween(TIMEOUT_SECONDS * 1000L, TIMEOUT_SECONDS * 1000L + 3000);
		assertQuestionStoredWithoutAnswer(question);
		assertNothingLeftBehind(baseline);
	}

	@Test
	void streamsWhoseProviderNeverAnswersEndWithATimeoutError() throws Exception {
		provider.behave(HangingHttpServer.Behaviour.SILENT);
		List<JsonNode> ends = streamConcurrently("silent");
		for (JsonNode end : ends) {
			assertThat(end.get("type").asString()).isEqualTo("error");
			assertThat(end.get("code").asString()).isEqualTo("timeout");
		}
	}

	@Test
	void streamsWhoseProviderStallsMidAnswerEndWithATimeoutError() throws Exception {
		provider.behave(HangingHttpServer.Behaviour.STALLS_MID_STREAM);
		List<JsonNode> ends = streamConcurrently("stalling");
		for (JsonNode end : ends) {
			assertThat(end.get("type").asString()).isEqualTo("error");
			assertThat(end.get("code").asString()).isEqualTo("timeout");
		}
	}

	/**
	 * What {@code chat.ChatStreamHttpTests} shows for the mock model, here with a real
	 * HTTP provider that has stalled: the client's departure is noticed (by the next
	 * heartbeat), the partial answer is stored as interrupted, and the provider call is
	 * abandoned without leaving anything behind.
	 */
	@Test
	void aClientLeavingWhileTheProviderStallsStoresThePartialAnswer() throws Exception {
		provider.behave(HangingHttpServer.Behaviour.STALLS_MID_STREAM);
		Baseline baseline = baseline();
		String question = "leaving " + UUID.randomUUID();
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.port)) {
			byte[] body = ApiClient.JSON.writeValueAsBytes(Map.of("content", question));
			socket.getOutputStream()
				.write(("POST /api/chat/stream HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
						+ "Authorization: Bearer " + this.user.bearerToken() + "\r\nContent-Length: " + body.length
						+ "\r\n\r\n")
					.getBytes(StandardCharsets.US_ASCII));
			socket.getOutputStream().write(body);
			socket.setSoTimeout(10_000);
			InputStream in = socket.getInputStream();
			StringBuilder received = new StringBuilder();
			byte[] buffer = new byte[1024];
			while (!received.toString().contains(HangingHttpServer.FIRST_FRAGMENT)) {
				int read = in.read(buffer);
				assertThat(read).as("stream ended early: " + received).isPositive();
				received.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
			}
		}

		Map<String, Object> answer = await().atMost(Duration.ofSeconds(5))
			.until(() -> this.jdbc
				.queryForList(
						"select a.content, a.metadata::text as metadata from chat_messages q join chat_messages a"
								+ " on a.session_id = q.session_id and a.role = 'assistant' where q.content = ?",
						question),
					(rows) -> rows.size() == 1)
			.get(0);
		assertThat(answer.get("content")).isEqualTo(HangingHttpServer.FIRST_FRAGMENT);
		JsonNode metadata = ApiClient.JSON.readTree((String) answer.get("metadata"));
		assertThat(metadata.get("interrupted").asBoolean()).isTrue();
		assertNothingLeftBehind(baseline);
	}

	/**
	 * Opens {@link #CONCURRENT_STREAMS} streams at once against the hanging provider and
	 * returns their terminal events, after checking what every hung stream must leave:
	 * its question, no answer, no connection, no thread.
	 */
	private List<JsonNode> streamConcurrently(String label) throws Exception {
		Baseline baseline = baseline();
		int requestsBefore = provider.requests();
		HttpClient client = HttpClient.newHttpClient();
		List<String> questions = new ArrayList<>();
		List<EventStream> streams = new ArrayList<>();
		long started = System.nanoTime();
		for (int i = 0; i < CONCURRENT_STREAMS; i++) {
			String question = label + " " + i + " " + UUID.randomUUID();
			questions.add(question);
			streams.add(EventStream.open(client, this.api.baseUrl(), this.user.bearerToken(),
					ApiClient.JSON.writeValueAsString(Map.of("content", question))));
		}
		List<JsonNode> ends = new ArrayList<>();
		for (EventStream stream : streams) {
			assertThat(stream.status()).isEqualTo(200);
			ends.add(stream.last(Duration.ofSeconds(TIMEOUT_SECONDS + 10)));
			if (label.equals("stalling")) {
				assertThat(stream.text()).isEqualTo(HangingHttpServer.FIRST_FRAGMENT);
			}
		}
		long elapsed = millisSince(started);
		// Every stream waited for the timeout, and none much longer: they ran side by
		// side, not one after another.
		assertThat(elapsed).isBetween(TIMEOUT_SECONDS * 1000L, TIMEOUT_SECONDS * 1000L + 4000);
		assertThat(provider.requests() - requestsBefore).isEqualTo(CONCURRENT_STREAMS);
		for (String question : questions) {
			assertQuestionStoredWithoutAnswer(question);
		}
		assertNothingLeftBehind(baseline);
		return ends;
	}

	private void assertQuestionStoredWithoutAnswer(String question) {
		List<Map<String, Object>> rows = this.jdbc
			.queryForList(
					"select m.role, (select count(*) from chat_messages a where a.session_id = m.session_id"
							+ " and a.role = 'assistant') as answers from chat_messages m where m.content = ?",
					question);
		assertThat(rows).as(question).hasSize(1);
		assertThat(rows.get(0).get("role")).isEqualTo("user");
		assertThat(((Number) rows.get(0).get("answers")).longValue()).as(question).isZero();
	}

	private Baseline baseline() {
		return new Baseline(active(), ThreadCensus.running("com.ragchat.chat.ChatController"),
				ThreadCensus.named("chat-generation-"), ThreadCensus.running("okhttp3.internal.http1."));
	}

	/**
	 * The provider saw its connections closed (the timeout cancelled the HTTP calls, they
	 * were not left to the HTTP client's own 10-minute limit), and no request, generation
	 * or HTTP-client thread nor database connection is still busy.
	 */
	private void assertNothingLeftBehind(Baseline baseline) {
		await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
			assertThat(provider.openConnections()).as("provider connections still open").isZero();
			assertThat(ThreadCensus.running("okhttp3.internal.http1."))
				.as("threads still in an HTTP exchange with the provider")
				.isLessThanOrEqualTo(baseline.httpExchanges());
			assertThat(ThreadCensus.named("chat-generation-")).as("generation threads")
				.isLessThanOrEqualTo(baseline.generation());
			assertThat(ThreadCensus.running("com.ragchat.chat.ChatController")).as("request threads")
				.isLessThanOrEqualTo(baseline.requests());
			assertThat(active()).as("pooled connections in use").isLessThanOrEqualTo(baseline.connections());
		});
	}

	private int active() {
		return ((HikariDataSource) this.dataSource).getHikariPoolMXBean().getActiveConnections();
	}

	private static HangingHttpServer start() {
		try {
			return new HangingHttpServer();
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static long millisSince(long nanos) {
		return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
	}

	record Baseline(int connections, int requests, int generation, int httpExchanges) {
	}

}
