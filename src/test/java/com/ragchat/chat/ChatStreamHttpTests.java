package com.ragchat.chat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import com.ragchat.support.ApiClient;
import com.ragchat.support.TestUsers;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The stream over real sockets: events reach the client as they are produced, quiet
 * periods carry heartbeats, and a client that leaves stops generation, gets its partial
 * answer stored, and leaves no thread or connection behind.
 * <p>
 * The mock model pauses 100 ms between fragments, so a 150-word question takes about 8 s
 * to answer in full; heartbeats every 40 ms make the quiet gaps visible.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "STREAM_ARTIFICIAL_DELAY_MS=100", "STREAM_HEARTBEAT_INTERVAL=40ms" })
class ChatStreamHttpTests {

	static final String LONG_QUESTION = String.join(" ", java.util.Collections.nCopies(150, "word"));

	@LocalServerPort
	int port;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	JsonMapper json;

	@Autowired
	DataSource dataSource;

	@Autowired
	GenerationThreads generationThreads;

	TestUsers.TestUser user;

	@BeforeEach
	void signIn() {
		this.user = TestUsers.register(new ApiClient(this.port));
	}

	@Test
	void eventsArriveAsTheyAreProducedWithHeartbeatsBetween() throws Exception {
		HttpClient client = HttpClient.newHttpClient();
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/api/chat/stream"))
			.header("Content-Type", "application/json")
			.header("Accept-Encoding", "gzip")
			.header("Authorization", "Bearer " + this.user.bearerToken())
			.POST(HttpRequest.BodyPublishers.ofString("{\"content\":\"one two three four five six seven\"}"))
			.build();
		HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream;charset=UTF-8");
		assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-cache");
		assertThat(response.headers().firstValue("X-Accel-Buffering")).hasValue("no");
		assertThat(response.headers().firstValue("Content-Encoding")).isEmpty();
		assertThat(response.headers().firstValue("X-Request-ID")).isPresent();

		List<String> blocks = new ArrayList<>();
		long firstTokenAt = 0;
		long doneAt = 0;
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
			StringBuilder block = new StringBuilder();
			String line;
			while ((line = reader.readLine()) != null) {
				if (!line.isEmpty()) {
					block.append(line);
					continue;
				}
				String complete = block.toString();
				block.setLength(0);
				blocks.add(complete);
				if (firstTokenAt == 0 && complete.contains("\"type\":\"token\"")) {
					firstTokenAt = System.nanoTime();
				}
				if (complete.contains("\"type\":\"done\"")) {
					doneAt = System.nanoTime();
				}
			}
		}
		// Every block is one data line or a heartbeat comment, nothing else.
		assertThat(blocks).allSatisfy((block) -> assertThat(block).matches("data: \\{.*}|: keep-alive"));
		List<String> events = blocks.stream().filter((b) -> b.startsWith("data: ")).toList();
		assertThat(events.get(0))
			.isEqualTo("data: {\"type\":\"status\",\"message\":\"Searching the knowledge base…\"}");
		assertThat(events).filteredOn((e) -> e.contains("\"type\":\"token\"")).hasSize(5);
		assertThat(events.get(events.size() - 1)).contains("\"type\":\"done\"");
		assertThat(blocks).contains(": keep-alive");
		// Five fragments 100 ms apart: the first arrived well before the last, so nothing
		// buffered the response.
		assertThat(TimeUnit.NANOSECONDS.toMillis(doneAt - firstTokenAt)).isGreaterThanOrEqualTo(300);
	}

	@Test
	void aClientThatLeavesStopsGenerationAndItsPartialAnswerIsStored() throws Exception {
		String fullAnswer = "Mock response to: " + LONG_QUESTION;
		long started = System.nanoTime();
		try (Socket socket = StreamProbe.openUntil(this.port, this.user.bearerToken(),
				"{\"content\":\"" + LONG_QUESTION + "\"}", "\"type\":\"token\"")) {
			assertThat(socket.isConnected()).isTrue();
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> this.generationThreads.live() == 0);
		// Well before the ~8 s the whole answer takes: the model call itself stopped.
		assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(6000);

		JsonNode stored = storedAnswer(this.user.id());
		String content = stored.get("content").asString();
		assertThat(content).startsWith("Mock response ");
		assertThat(fullAnswer).startsWith(content);
		assertThat(content.length()).isLessThan(fullAnswer.length() / 2);
		JsonNode metadata = this.json.readTree(stored.get("metadata").asString());
		assertThat(metadata.get("interrupted").asBoolean()).isTrue();
		assertThat(metadata.get("sources").get(0).get("kb_number").asString()).isEqualTo("KB-123");
	}

	@Test
	void manyClientsLeavingLeaveNoThreadOrConnectionBehind() throws Exception {
		HikariDataSource pool = (HikariDataSource) this.dataSource;
		await().atMost(Duration.ofSeconds(10)).until(() -> this.generationThreads.live() == 0);
		int baselineConnections = pool.getHikariPoolMXBean().getActiveConnections();
		int baselineThreads = StreamProbe.liveThreads("chat-generation-", ChatTurns.class.getName());
		int baselineGeneration = StreamProbe.liveThreads("chat-generation-", "no.such.Class");

		int streams = 30;
		List<Socket> sockets = new ArrayList<>();
		try {
			for (int i = 0; i < streams; i++) {
				sockets.add(StreamProbe.openUntil(this.port, this.user.bearerToken(),
						"{\"content\":\"" + LONG_QUESTION + "\"}", "\"type\":\"token\""));
			}
			assertThat(StreamProbe.liveThreads("chat-generation-", ChatTurns.class.getName()))
				.isGreaterThanOrEqualTo(baselineThreads + streams);
			// One thread per open stream: no request thread is still in the controller
			// or the filter chain while its stream runs (the request is asynchronous).
			assertThat(StreamProbe.liveThreads("no thread is named so", ChatController.class.getName()))
				.as("request threads waiting in the controller")
				.isZero();
			assertThat(StreamProbe.liveThreads("chat-generation-", "no.such.Class")).as("generation threads")
				.isEqualTo(baselineGeneration + streams);
		}
		finally {
			for (Socket socket : sockets) {
				socket.close();
			}
		}

		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> this.generationThreads.live() == 0
					&& StreamProbe.liveThreads("chat-generation-", ChatTurns.class.getName()) == baselineThreads
					&& pool.getHikariPoolMXBean().getActiveConnections() == baselineConnections);
		assertThat(pool.getHikariPoolMXBean().getThreadsAwaitingConnection()).isZero();
		List<String> metadata = this.jdbc.queryForList(
				"select m.metadata::text from chat_messages m join chat_sessions s"
						+ " on s.id = m.session_id where s.user_id = ? and m.role = 'assistant'",
				String.class, this.user.id());
		assertThat(metadata).hasSize(streams);
		assertThat(metadata)
			.allSatisfy((m) -> assertThat(this.json.readTree(m).get("interrupted").asBoolean()).isTrue());
	}

	private JsonNode storedAnswer(long userId) {
		return await().atMost(Duration.ofSeconds(5)).until(() -> {
			List<JsonNode> rows = this.jdbc.query(
					"select m.content, m.metadata::text as metadata from chat_messages m join chat_sessions s"
							+ " on s.id = m.session_id where s.user_id = ? and m.role = 'assistant'",
					(rs, i) -> this.json.createObjectNode()
						.put("content", rs.getString("content"))
						.put("metadata", rs.getString("metadata")),
					userId);
			return rows.isEmpty() ? null : rows.get(0);
		}, (row) -> row != null);
	}

}
