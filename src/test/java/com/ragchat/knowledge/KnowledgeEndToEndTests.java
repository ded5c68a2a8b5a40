package com.ragchat.knowledge;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import com.ragchat.platform.TestDatabase;
import com.ragchat.support.ApiClient;
import com.ragchat.support.TestUsers;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole application over real HTTP in its zero-setup configuration (extractive
 * answers, the local knowledge base with the samples imported on first start): a user's
 * streamed question is answered from the right sample article and cites it, a question
 * outside the knowledge base gets an honest "not found" without sources, and an admin's
 * upload is searchable and cited at once and gone at once after deletion.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = { "LLM_PROVIDER=extractive",
		"RETRIEVER_PROVIDER=local", "KNOWLEDGE_IMPORT_DIR=samples/knowledge", "ragchat.test.own-datasource=true" })
class KnowledgeEndToEndTests {

	private static final TestDatabase.Info DATABASE = TestDatabase.createEmptyDatabase();

	private static final String NOT_FOUND = com.ragchat.rag.RagProperties.DEFAULT_OUT_OF_SCOPE_MESSAGE;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		registry.add("spring.datasource.url", DATABASE::url);
		registry.add("spring.datasource.username", DATABASE::username);
		registry.add("spring.datasource.password", DATABASE::password);
	}

	@LocalServerPort
	int port;

	ApiClient api;

	@BeforeEach
	void client() {
		this.api = new ApiClient(this.port);
	}

	@Test
	void streamedPasswordQuestionIsAnsweredFromThePasswordArticleAndCitesIt() {
		TestUsers.TestUser user = TestUsers.register(this.api);
		Stream stream = stream(user, "How do I reset my password?");
		System.out.println("Extractive answer to \"How do I reset my password?\":\n" + stream.answer());
		assertThat(stream.tokens()).as("streamed in fragments").hasSizeGreaterThan(5);
		assertThat(stream.answer()).contains("[1]")
			.contains("https://account.aldermoor.example")
			.containsIgnoringCase("forgot password");
		JsonNode sources = stream.done().get("sources");
		assertThat(sources.size()).isBetween(1, 3);
		assertThat(sources.get(0).get("kb_number").asString()).isEqualTo("KB0001");
		assertThat(sources.get(0).get("source").asString()).isEqualTo("Reset a forgotten password");
		assertThat(sources.get(0).get("kb_url").asString()).isEqualTo("https://help.aldermoor.example/kb/KB0001");
		assertThat(sources.get(0).get("score").asDouble()).isGreaterThan(0.3);
		assertThat(stream.done().get("document_contents").get(0).get("content").asString())
			.containsIgnoringCase("forgot password");
		assertThat(stream.done().get("source_kind").asString()).isEqualTo("kb");
	}

	@Test
	void questionOutsideTheKnowledgeBaseGetsAnHonestNotFoundWithoutSources() {
		TestUsers.TestUser user = TestUsers.register(this.api);
		Stream stream = stream(user, "What is the capital of France?");
		assertThat(stream.answer()).isEqualTo(NOT_FOUND);
		assertThat(stream.done().get("sources").size()).isZero();
		assertThat(stream.done().get("document_contents").size()).isZero();
	}

	@Test
	void uploadSearchChatCitesDeleteSearchNoLongerFinds() {
		TestUsers.TestUser admin = TestUsers.admin(this.api);
		TestUsers.TestUser user = TestUsers.register(this.api);
		String article = """
				---
				title: Bicycle parking and the bike repair station
				kb_number: KB9300
				kb_category: Campus Life
				---

				# Bicycle parking and the bike repair station

				Covered bicycle racks stand behind the Brindle Library and beside the sports hall.
				The bike repair station next to the sports hall has a pump and tools on steel cables,
				free to use at any time. Register your bicycle with Campus Security to get a free
				D-lock and a frame sticker (%s).
				""".formatted(UUID.randomUUID());
		String question = "Where can I pump up my bike tyres on campus?";

		ApiClient.Response uploaded = upload(admin, "bicycles.md", article);
		assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(201);
		long id = uploaded.json().get("id").asLong();
		assertThat(upload(admin, "bicycles-again.md", article).status()).isEqualTo(200);

		assertThat(searchKbNumbers(admin, question)).first().isEqualTo("KB9300");
		JsonNode answer = chat(user, question);
		JsonNode metadata = answer.get("assistant_message").get("metadata");
		assertThat(metadata.get("sources").get(0).get("kb_number").asString()).isEqualTo("KB9300");
		assertThat(answer.get("assistant_message").get("content").asString()).contains("repair station")
			.contains("[1]");

		ApiClient.Response deleted = this.api.delete("/api/knowledge/documents/" + id, admin.bearerHeaders());
		assertThat(deleted.status()).isEqualTo(204);

		assertThat(searchKbNumbers(admin, question)).doesNotContain("KB9300");
		JsonNode after = chat(user, question).get("assistant_message").get("metadata").get("sources");
		assertThat(after.valueStream().map((s) -> s.get("kb_number").asString())).doesNotContain("KB9300");
		assertThat(this.api.get("/api/knowledge/documents/" + id, admin.bearerHeaders()).status()).isEqualTo(404);
	}

	@Test
	void onlyAdminsReachTheKnowledgeApi() {
		TestUsers.TestUser user = TestUsers.register(this.api);
		assertThat(this.api.get("/api/knowledge/documents", user.bearerHeaders()).status()).isEqualTo(403);
		assertThat(upload(user, "x.md", "# Nope\n\nNot allowed.").status()).isEqualTo(403);
		assertThat(this.api.get("/api/knowledge/documents").status()).isEqualTo(401);
		TestUsers.TestUser admin = TestUsers.admin(this.api);
		ApiClient.Response listed = this.api.get("/api/knowledge/documents?limit=100", admin.cookieHeaders());
		assertThat(listed.status()).isEqualTo(200);
		assertThat(listed.json().size()).isGreaterThanOrEqualTo(32);
	}

	private ApiClient.Response upload(TestUsers.TestUser user, String filename, String markdown) {
		String boundary = "----ragchat" + UUID.randomUUID();
		String body = "--" + boundary + "\r\n" + "Content-Disposition: form-data; name=\"file\"; filename=\"" + filename
				+ "\"\r\n" + "Content-Type: text/markdown\r\n\r\n" + markdown + "\r\n--" + boundary + "--\r\n";
		return this.api.send("POST", "/api/knowledge/documents", body, TestUsers.TestUser.with(user.cookieHeaders(),
				"Content-Type", "multipart/form-data; boundary=" + boundary));
	}

	private List<String> searchKbNumbers(TestUsers.TestUser admin, String question) {
		ApiClient.Response response = this.api.get(
				"/api/knowledge/search?q=" + URLEncoder.encode(question, StandardCharsets.UTF_8),
				admin.bearerHeaders());
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		return response.json().valueStream().map((hit) -> hit.get("metadata").get("kb_number").asString()).toList();
	}

	private JsonNode chat(TestUsers.TestUser user, String question) {
		ApiClient.Response response = this.api.postJson("/api/chat/chat", Map.of("content", question),
				user.bearerHeaders());
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		return response.json();
	}

	private Stream stream(TestUsers.TestUser user, String question) {
		ApiClient.Response response = this.api.postJson("/api/chat/stream", Map.of("content", question),
				user.cookieHeaders());
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(response.contentType()).startsWith("text/event-stream");
		List<String> tokens = new ArrayList<>();
		JsonNode done = null;
		for (String block : response.body().split("\n\n")) {
			if (!block.startsWith("data: ")) {
				continue;
			}
			JsonNode event = ApiClient.JSON.readTree(block.substring("data: ".length()));
			switch (event.get("type").asString()) {
				case "token" -> tokens.add(event.get("token").asString());
				case "done" -> done = event;
				case "error" -> throw new AssertionError("stream failed: " + block);
				default -> {
				}
			}
		}
		assertThat(done).as("done event in " + response.body()).isNotNull();
		return new Stream(tokens, String.join("", tokens), done);
	}

	record Stream(List<String> tokens, String answer, JsonNode done) {
	}

}
