package com.ragchat.tenant;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import com.ragchat.platform.TestDatabase;
import com.ragchat.support.ApiClient;
import com.ragchat.support.TestUsers;
import com.ragchat.support.TestUsers.TestUser;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tenants through the whole application over real HTTP (keyless answers, the local
 * knowledge base, a database of its own): a tenant's document reaches only its members —
 * not another tenant's, not users without a tenant — on every route that answers (chat,
 * stream, follow-ups, the OpenAI-compatible API, the admin search as a tenant); shared
 * documents reach everyone; a tenant's profile answers its members; deleting a tenant
 * deletes its documents and leaves its members on the global profile.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "LLM_PROVIDER=extractive", "RETRIEVER_PROVIDER=local", "KNOWLEDGE_IMPORT_DIR=none",
				"ragchat.test.own-datasource=true", "ASSISTANT_NAME=Aldermoor Help",
				"OUT_OF_SCOPE_MESSAGE=Not in our articles. Call the IT desk on +44 20 7946 0123.",
				"ASSISTANT_EXAMPLE_QUESTIONS=How do I reset my password?|Where can I print?" })
class TenantIsolationTests {

	private static final TestDatabase.Info DATABASE = TestDatabase.createEmptyDatabase();

	/** Words only the private article holds. */
	private static final String SECRET = "helium dewar code 7731";

	private static final String PRIVATE_QUESTION = "How do I book the cryostat in the low temperature lab?";

	private static final String SHARED_QUESTION = "Where can I pump up my bike tyres on campus?";

	private static final String GLOBAL_REFUSAL = "Not in our articles. Call the IT desk on +44 20 7946 0123.";

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		registry.add("spring.datasource.url", DATABASE::url);
		registry.add("spring.datasource.username", DATABASE::username);
		registry.add("spring.datasource.password", DATABASE::password);
	}

	@LocalServerPort
	int port;

	@Autowired
	JdbcTemplate jdbc;

	ApiClient api;

	TestUser admin;

	@BeforeEach
	void client() {
		this.api = new ApiClient(this.port);
		this.admin = TestUsers.admin(this.api);
	}

	@Test
	void aTenantsDocumentReachesOnlyItsMembersAndSharedDocumentsReachEveryone() {
		String suffix = UUID.randomUUID().toString().substring(0, 8);
		long physics = createTenant("Physics " + suffix, "physics-" + suffix, Map.of()).get("id").asLong();
		long history = createTenant("History " + suffix, "history-" + suffix, Map.of()).get("id").asLong();
		TestUser member = memberOf(physics);
		TestUser outsider = memberOf(history);
		TestUser unaffiliated = TestUsers.register(this.api);

		ApiClient.Response uploaded = upload("cryostat.md", privateArticle(suffix), physics);
		assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(201);
		assertThat(uploaded.json().get("tenant_id").asLong()).isEqualTo(physics);
		assertThat(upload("bicycles.md", sharedArticle(suffix), null).status()).isEqualTo(201);
		String privateNumber = "KB94" + suffix.substring(0, 2);

		// The member finds it on every route.
		assertThat(kbNumbers(chat(member, PRIVATE_QUESTION, null))).first().isEqualTo(privateNumber);
		Stream memberStream = stream(member, PRIVATE_QUESTION);
		assertThat(memberStream.answer()).contains(SECRET);
		assertThat(searchKbNumbers(PRIVATE_QUESTION, physics)).first().isEqualTo(privateNumber);

		// Nobody else does, on any route, nor through a follow-up.
		for (TestUser other : List.of(outsider, unaffiliated)) {
			JsonNode answer = chat(other, PRIVATE_QUESTION, null);
			assertThat(kbNumbers(answer)).doesNotContain(privateNumber);
			assertThat(answer.get("assistant_message").get("content").asString()).doesNotContain(SECRET);
			Stream streamed = stream(other, PRIVATE_QUESTION);
			assertThat(streamed.answer()).doesNotContain(SECRET);
			assertThat(streamed.kbNumbers()).doesNotContain(privateNumber);
			assertThat(streamed.body()).doesNotContain(SECRET);

			JsonNode shared = chat(other, SHARED_QUESTION, null);
			assertThat(kbNumbers(shared)).first().isEqualTo("KB95" + suffix.substring(0, 2));
			JsonNode followUp = chat(other, "and how do I book the cryostat for that lab?",
					shared.get("session_id").asLong());
			assertThat(kbNumbers(followUp)).doesNotContain(privateNumber);
			assertThat(followUp.get("assistant_message").get("content").asString()).doesNotContain(SECRET);

			String key = this.api.postJson("/api/auth/api-keys", Map.of("name", "script"), other.bearerHeaders())
				.json()
				.get("key")
				.asString();
			ApiClient.Response completion = this.api.postJson("/v1/chat/completions",
					Map.of("model", "ragchat", "messages",
							List.of(Map.of("role", "user", "content", PRIVATE_QUESTION))),
					"Authorization", "Bearer " + key);
			assertThat(completion.status()).as(completion.toString()).isEqualTo(200);
			assertThat(completion.body()).doesNotContain(SECRET).doesNotContain(privateNumber);
		}
		assertThat(searchKbNumbers(PRIVATE_QUESTION, history)).doesNotContain(privateNumber);
		assertThat(searchKbNumbers(PRIVATE_QUESTION, null)).doesNotContain(privateNumber);

		// The shared document reaches the member too.
		assertThat(kbNumbers(chat(member, SHARED_QUESTION, null))).first().isEqualTo("KB95" + suffix.substring(0, 2));
	}

	@Test
	void aTenantsProfileAnswersItsMembersAndOthersGetTheGlobalOne() {
		String suffix = UUID.randomUUID().toString().substring(0, 8);
		Map<String, Object> profile = Map.of("assistant_name", "Physics Desk", "out_of_scope_message",
				"Please ask the physics office on +44 20 7946 0999.", "example_questions",
				List.of("How do I book the cryostat?"), "supported_topics", List.of("lab bookings"));
		long physics = createTenant("Physics " + suffix, "physics-" + suffix, profile).get("id").asLong();
		TestUser member = memberOf(physics);
		TestUser unaffiliated = TestUsers.register(this.api);
		String outOfScope = "Where can I park my car on campus overnight?";

		assertThat(answerText(chat(member, outOfScope, null)))
			.isEqualTo("Please ask the physics office on +44 20 7946 0999.");
		assertThat(answerText(chat(unaffiliated, outOfScope, null))).isEqualTo(GLOBAL_REFUSAL);
		assertThat(stream(member, outOfScope).answer()).isEqualTo("Please ask the physics office on +44 20 7946 0999.");

		JsonNode assistant = this.api.get("/api/assistant", member.bearerHeaders()).json();
		assertThat(assistant.get("assistant_name").asString()).isEqualTo("Physics Desk");
		assertThat(assistant.get("example_questions").get(0).asString()).isEqualTo("How do I book the cryostat?");
		assertThat(assistant.get("supported_topics").get(0).asString()).isEqualTo("lab bookings");
		assertThat(assistant.get("tenant_id").asLong()).isEqualTo(physics);
		JsonNode global = this.api.get("/api/assistant", unaffiliated.bearerHeaders()).json();
		assertThat(global.get("assistant_name").asString()).isEqualTo("Aldermoor Help");
		assertThat(global.get("example_questions").valueStream().map(JsonNode::asString))
			.containsExactly("How do I reset my password?", "Where can I print?");
		assertThat(global.get("tenant_id").isNull()).isTrue();

		// Sessions carry the member's tenant, whatever the client says.
		ApiClient.Response session = this.api.postJson("/api/chat/sessions",
				Map.of("title", "mine", "tenant_id", "someone-else"), member.bearerHeaders());
		assertThat(this.jdbc.queryForObject("select tenant_id from chat_sessions where id = ?", String.class,
				session.json().get("id").asLong()))
			.isEqualTo(Long.toString(physics));
	}

	@Test
	void deletingATenantDeletesItsDocumentsAndLeavesItsMembersOnTheGlobalProfile() {
		String suffix = UUID.randomUUID().toString().substring(0, 8);
		long physics = createTenant("Physics " + suffix, "physics-" + suffix, Map.of("assistant_name", "Physics Desk"))
			.get("id")
			.asLong();
		TestUser member = memberOf(physics);
		long document = upload("cryostat.md", privateArticle(suffix), physics).json().get("id").asLong();
		assertThat(kbNumbers(chat(member, PRIVATE_QUESTION, null))).first().isEqualTo("KB94" + suffix.substring(0, 2));

		assertThat(this.api.delete("/api/admin/tenants/" + physics, this.admin.bearerHeaders()).status())
			.isEqualTo(204);
		assertThat(this.api.get("/api/admin/tenants/" + physics, this.admin.bearerHeaders()).status()).isEqualTo(404);
		assertThat(this.api.get("/api/knowledge/documents/" + document, this.admin.bearerHeaders()).status())
			.isEqualTo(404);
		JsonNode assistant = this.api.get("/api/assistant", member.bearerHeaders()).json();
		assertThat(assistant.get("assistant_name").asString()).isEqualTo("Aldermoor Help");
		assertThat(assistant.get("tenant_id").isNull()).isTrue();
		JsonNode after = chat(member, PRIVATE_QUESTION, null);
		assertThat(kbNumbers(after)).doesNotContain("KB94" + suffix.substring(0, 2));
		assertThat(answerText(after)).doesNotContain(SECRET);
	}

	@Test
	void theAdminApiValidatesAndIsForAdminsOnly() {
		String suffix = UUID.randomUUID().toString().substring(0, 8);
		TestUser user = TestUsers.register(this.api);
		assertThat(this.api.get("/api/admin/tenants", user.bearerHeaders()).status()).isEqualTo(403);
		assertThat(this.api.get("/api/admin/profile", user.bearerHeaders()).status()).isEqualTo(403);
		assertThat(this.api
			.send("PUT", "/api/admin/users/" + user.username() + "/tenant", "{\"tenant_id\":null}",
					TestUser.with(user.bearerHeaders(), "Content-Type", "application/json"))
			.status()).isEqualTo(403);
		assertThat(this.api.get("/api/admin/tenants").status()).isEqualTo(401);
		assertThat(this.api.get("/api/assistant").status()).isEqualTo(401);

		ApiClient.Response badSlug = this.api.postJson("/api/admin/tenants", Map.of("name", "X", "slug", "Not A Slug"),
				this.admin.bearerHeaders());
		assertThat(badSlug.status()).isEqualTo(422);
		assertThat(badSlug.contentType()).startsWith("application/problem+json");
		assertThat(
				this.api
					.postJson("/api/admin/tenants",
							Map.of("name", "X", "slug", "x-" + suffix, "profile",
									Map.of("few_shot_examples", List.of(Map.of("input", "", "output", "y")))),
							this.admin.bearerHeaders())
					.status())
			.isEqualTo(422);
		assertThat(this.api
			.postJson("/api/admin/tenants",
					Map.of("name", "X", "slug", "x-" + suffix, "email_domains", List.of("not a domain")),
					this.admin.bearerHeaders())
			.status()).isEqualTo(422);
		createTenant("X", "x-" + suffix, Map.of());
		assertThat(this.api
			.postJson("/api/admin/tenants", Map.of("name", "Y", "slug", "x-" + suffix), this.admin.bearerHeaders())
			.status()).isEqualTo(409);
		assertThat(upload("orphan.md", "# Orphan\n\nNobody owns this.", 987_654_321L).status()).isEqualTo(404);
		assertThat(putTenant("nobody-" + suffix, 1L).status()).isEqualTo(404);
		assertThat(putTenant(user.username(), 987_654_321L).status()).isEqualTo(404);
		assertThat(this.api.get("/api/admin/tenants/987654321", this.admin.bearerHeaders()).status()).isEqualTo(404);
		assertThat(this.api.delete("/api/admin/tenants/987654321", this.admin.bearerHeaders()).status()).isEqualTo(404);
	}

	private JsonNode createTenant(String name, String slug, Map<String, Object> profile) {
		Map<String, Object> body = new HashMap<>(Map.of("name", name, "slug", slug));
		if (!profile.isEmpty()) {
			body.put("profile", profile);
		}
		ApiClient.Response created = this.api.postJson("/api/admin/tenants", body, this.admin.bearerHeaders());
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		assertThat(created.header("Location")).endsWith("/api/admin/tenants/" + created.json().get("id").asLong());
		return created.json();
	}

	private TestUser memberOf(long tenant) {
		TestUser user = TestUsers.register(this.api);
		ApiClient.Response assigned = putTenant(user.username(), tenant);
		assertThat(assigned.status()).as(assigned.toString()).isEqualTo(200);
		assertThat(assigned.json().get("tenant_id").asLong()).isEqualTo(tenant);
		return user;
	}

	private ApiClient.Response putTenant(String username, Long tenant) {
		return this.api.send("PUT", "/api/admin/users/" + username + "/tenant", "{\"tenant_id\":" + tenant + "}",
				TestUser.with(this.admin.bearerHeaders(), "Content-Type", "application/json"));
	}

	private static String privateArticle(String suffix) {
		return """
				---
				title: Booking the cryostat in the Low Temperature Lab
				kb_number: KB94%s
				---

				# Booking the cryostat in the Low Temperature Lab

				Book the cryostat in the low temperature lab through the lab calendar at least two days ahead.
				Collect the %s from the lab technician before your slot (%s).
				""".formatted(suffix.substring(0, 2), SECRET, suffix);
	}

	private static String sharedArticle(String suffix) {
		return """
				---
				title: Bicycle parking and the bike repair station
				kb_number: KB95%s
				---

				# Bicycle parking and the bike repair station

				The bike repair station next to the sports hall has a pump and tools, free to use at any time.
				Covered bicycle racks stand behind the library (%s).
				""".formatted(suffix.substring(0, 2), suffix);
	}

	private ApiClient.Response upload(String filename, String markdown, Long tenant) {
		String boundary = "----ragchat" + UUID.randomUUID();
		StringBuilder body = new StringBuilder();
		body.append("--")
			.append(boundary)
			.append("\r\nContent-Disposition: form-data; name=\"file\"; filename=\"")
			.append(filename)
			.append("\"\r\nContent-Type: text/markdown\r\n\r\n")
			.append(markdown)
			.append("\r\n");
		if (tenant != null) {
			body.append("--")
				.append(boundary)
				.append("\r\nContent-Disposition: form-data; name=\"tenant_id\"\r\n\r\n")
				.append(tenant)
				.append("\r\n");
		}
		body.append("--").append(boundary).append("--\r\n");
		return this.api.send("POST", "/api/knowledge/documents", body.toString(),
				TestUser.with(this.admin.bearerHeaders(), "Content-Type", "multipart/form-data; boundary=" + boundary));
	}

	private List<String> searchKbNumbers(String question, Long tenant) {
		ApiClient.Response response = this.api
			.get("/api/knowledge/search?q=" + URLEncoder.encode(question, StandardCharsets.UTF_8)
					+ ((tenant != null) ? "&tenant_id=" + tenant : ""), this.admin.bearerHeaders());
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		return response.json().valueStream().map((hit) -> hit.get("metadata").get("kb_number").asString()).toList();
	}

	private JsonNode chat(TestUser user, String question, Long session) {
		Map<String, Object> body = new HashMap<>(Map.of("content", question));
		if (session != null) {
			body.put("session_id", session);
		}
		ApiClient.Response response = this.api.postJson("/api/chat/chat", body, user.bearerHeaders());
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		return response.json();
	}

	private static String answerText(JsonNode chat) {
		return chat.get("assistant_message").get("content").asString();
	}

	private static List<String> kbNumbers(JsonNode chat) {
		return chat.get("assistant_message")
			.get("metadata")
			.get("sources")
			.valueStream()
			.map((source) -> source.get("kb_number").asString())
			.toList();
	}

	private Stream stream(TestUser user, String question) {
		ApiClient.Response response = this.api.postJson("/api/chat/stream", Map.of("content", question),
				user.bearerHeaders());
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
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
		return new Stream(String.join("", tokens), done, response.body());
	}

	record Stream(String answer, JsonNode done, String body) {

		List<String> kbNumbers() {
			return this.done.get("sources").valueStream().map((source) -> source.get("kb_number").asString()).toList();
		}

	}

}
