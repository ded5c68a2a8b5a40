package com.ragchat.platform;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import com.ragchat.support.ApiClient;
import com.ragchat.support.TestUsers;
import com.ragchat.support.TestUsers.TestUser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * The application receives SIGTERM while streams are open, as in a rolling deployment. It
 * runs in its own process (zero-setup mode: embedded PostgreSQL under a fresh
 * {@code DATA_DIR}), so the signal, the JVM's shutdown and the database's are all real:
 * the open streams run to their {@code done} event within the grace period, new
 * connections are refused from the moment the signal arrives, the process exits by
 * itself, and after a restart on the same data directory every streamed exchange is
 * stored, question and whole answer.
 */
class FaultShutdownTests {

	private static final Logger logger = LoggerFactory.getLogger(FaultShutdownTests.class);

	static final Duration GRACE_PERIOD = Duration.ofSeconds(20);

	static final int STREAMS = 5;

	/** 30 words: the mock answer has 17 fragments 300 ms apart, about 5 s. */
	static final String QUESTION = String.join(" ", Collections.nCopies(30, "why"));

	static final String ANSWER_PREFIX = "Mock response to: ";

	@Test
	void openStreamsFinishAfterSigtermNewConnectionsAreRefusedAndNoMessageIsLost(@TempDir Path work) throws Exception {
		Map<String, String> environment = Map.of("DATA_DIR", work.resolve("data").toString(), "LLM_PROVIDER", "mock",
				"RETRIEVER_PROVIDER", "mock", "STREAM_ARTIFICIAL_DELAY_MS", "300", "SHUTDOWN_GRACE_PERIOD",
				GRACE_PERIOD.toSeconds() + "s");
		TestUser user;
		List<Exchange> exchanges = new ArrayList<>();

		try (ApplicationProcess first = ApplicationProcess.start("first", work, environment)) {
			first.awaitReady(Duration.ofSeconds(120));
			user = TestUsers.register(new ApiClient(first.port()));
			HttpClient client = HttpClient.newHttpClient();
			List<EventStream> streams = new ArrayList<>();
			for (int i = 0; i < STREAMS; i++) {
				EventStream stream = EventStream.open(client, first.baseUrl(), user.bearerToken(),
						ApiClient.JSON.writeValueAsString(Map.of("content", QUESTION + " " + i)));
				assertThat(stream.status()).isEqualTo(200);
				stream.await("token", Duration.ofSeconds(20));
				streams.add(stream);
			}

			long signalled = System.nanoTime();
			first.terminate();
			await().atMost(Duration.ofSeconds(5))
				.pollInterval(Duration.ofMillis(20))
				.until(() -> refusesConnections(first.port()));
			long refusedAfter = millisSince(signalled);
			// Refused while every stream was still under way: the listener closed first.
			assertThat(streams).noneMatch(EventStream::finished);
			assertThatException().isThrownBy(() -> new ApiClient(first.port()).get("/api/health"));

			for (int i = 0; i < STREAMS; i++) {
				EventStream stream = streams.get(i);
				JsonNode done = stream.last(GRACE_PERIOD);
				assertThat(done.get("type").asString()).as("stream %d", i).isEqualTo("done");
				assertThat(stream.text()).isEqualTo(ANSWER_PREFIX + QUESTION + " " + i);
				exchanges.add(new Exchange(done.get("session_id").asLong(), done.get("user_message_id").asLong(),
						done.get("assistant_message_id").asLong(), QUESTION + " " + i, stream.text()));
			}
			long streamsDoneAfter = millisSince(signalled);
			assertThat(streamsDoneAfter).isLessThan(GRACE_PERIOD.toMillis());

			Integer exitCode = first.awaitExit(Duration.ofSeconds(30));
			long exitedAfter = millisSince(signalled);
			logger.info(
					"SIGTERM: new connections refused after {} ms, {} streams done after {} ms, exit {} after {} ms",
					refusedAfter, STREAMS, streamsDoneAfter, exitCode, exitedAfter);
			assertThat(exitCode).as("exit code").isIn(0, 143);
			// The web server finished before the database it writes to stopped.
			String log = first.log();
			int shutdownComplete = log.indexOf("Graceful shutdown complete");
			int databaseStopped = log.indexOf("Embedded PostgreSQL stopped");
			assertThat(shutdownComplete).as(log).isPositive();
			assertThat(databaseStopped).as(log).isGreaterThan(shutdownComplete);
		}

		try (ApplicationProcess second = ApplicationProcess.start("second", work, environment)) {
			second.awaitReady(Duration.ofSeconds(120));
			ApiClient api = new ApiClient(second.port());
			TestUser again = TestUsers.signIn(api, user.username(), user.password(), user.email());
			for (Exchange exchange : exchanges) {
				ApiClient.Response session = api.get("/api/chat/sessions/" + exchange.sessionId(),
						again.bearerHeaders());
				assertThat(session.status()).as(session.toString()).isEqualTo(200);
				JsonNode messages = session.json().get("messages");
				assertThat(messages).hasSize(2);
				assertThat(messages.get(0).get("id").asLong()).isEqualTo(exchange.userMessageId());
				assertThat(messages.get(0).get("role").asString()).isEqualTo("user");
				assertThat(messages.get(0).get("content").asString()).isEqualTo(exchange.question());
				assertThat(messages.get(1).get("id").asLong()).isEqualTo(exchange.assistantMessageId());
				assertThat(messages.get(1).get("role").asString()).isEqualTo("assistant");
				assertThat(messages.get(1).get("content").asString()).isEqualTo(exchange.answer());
				assertThat(messages.get(1).get("metadata").path("interrupted").asBoolean(false)).isFalse();
			}
		}
	}

	private static boolean refusesConnections(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
			return false;
		}
		catch (ConnectException ex) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static long millisSince(long nanos) {
		return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
	}

	record Exchange(long sessionId, long userMessageId, long assistantMessageId, String question, String answer) {
	}

}
