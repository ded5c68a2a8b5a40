package com.ragchat.chat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;

import com.ragchat.support.ApiClient;
import com.ragchat.support.TestUsers;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Streaming holds no database connection: with a pool of 2 connections and a 3 s wait for
 * one, 20 streams of about 4 s each run side by side to completion. Were a connection
 * held for a stream's duration, 18 of them would time out waiting.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = { "DB_POOL_SIZE=2",
		"DB_POOL_MIN_IDLE=1", "DB_POOL_TIMEOUT_MS=3000", "STREAM_ARTIFICIAL_DELAY_MS=100" })
class ChatStreamPoolTests {

	/** 40 words: the mock answer has 22 fragments, about 2 s of pauses. */
	static final String QUESTION = String.join(" ", java.util.Collections.nCopies(40, "why"));

	@LocalServerPort
	int port;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	DataSource dataSource;

	@Test
	void twentyConcurrentStreamsCompleteOnAPoolOfTwo() throws Exception {
		HikariDataSource pool = (HikariDataSource) this.dataSource;
		assertThat(pool.getMaximumPoolSize()).isEqualTo(2);
		TestUsers.TestUser user = TestUsers.register(new ApiClient(this.port));
		HttpClient client = HttpClient.newHttpClient();
		List<CompletableFuture<HttpResponse<String>>> streams = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			HttpRequest request = HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/api/chat/stream"))
				.header("Content-Type", "application/json")
				.header("Authorization", "Bearer " + user.bearerToken())
				.POST(HttpRequest.BodyPublishers.ofString("{\"content\":\"" + QUESTION + " " + i + "\"}"))
				.build();
			streams.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
		}
		CompletableFuture.allOf(streams.toArray(CompletableFuture[]::new)).get();

		for (CompletableFuture<HttpResponse<String>> stream : streams) {
			HttpResponse<String> response = stream.get();
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.body()).contains("\"type\":\"done\"").doesNotContain("\"type\":\"error\"");
		}
		assertThat(this.jdbc.queryForObject(
				"select count(*) from chat_messages m join chat_sessions s"
						+ " on s.id = m.session_id where s.user_id = ? and m.role = 'assistant'",
				Long.class, user.id()))
			.isEqualTo(20);
	}

}
