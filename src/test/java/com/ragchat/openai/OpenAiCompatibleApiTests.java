package com.ragchat.openai;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionUsage;
import com.openai.models.models.Model;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import com.ragchat.platform.TestDatabase;
import com.ragchat.support.ApiClient;
import com.ragchat.support.TestUsers;
import com.ragchat.support.TestUsers.TestUser;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The OpenAI-compatible API driven by the official OpenAI Java SDK, as a chat front end
 * or script would, over real HTTP against the zero-setup configuration (keyless
 * extractive answers from the sample knowledge base), authenticated with a personal API
 * key.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = { "LLM_PROVIDER=extractive",
		"RETRIEVER_PROVIDER=local", "KNOWLEDGE_IMPORT_DIR=samples/knowledge", "ragchat.test.own-datasource=true" })
class OpenAiCompatibleApiTests {

	private static final TestDatabase.Info DATABASE = TestDatabase.createEmptyDatabase();

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		registry.add("spring.datasource.url", DATABASE::url);
		registry.add("spring.datasource.username", DATABASE::username);
		registry.add("spring.datasource.password", DATABASE::password);
	}

	@LocalServerPort
	int port;

	ApiClient api;

	OpenAIClient client;

	@BeforeEach
	void keyAndClient() {
		this.api = new ApiClient(this.port);
		TestUser user = TestUsers.register(this.api);
		ApiClient.Response created = this.api.postJson("/api/auth/api-keys", Map.of("name", "sdk test"),
				user.bearerHeaders());
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		this.client = client(created.json().get("key").asString());
	}

	OpenAIClient client(String key) {
		return OpenAIOkHttpClient.builder()
			.apiKey(key)
			.baseUrl("http://127.0.0.1:" + this.port + "/v1")
			.maxRetries(0)
			.build();
	}

	@Test
	void theAssistantIsListedAsAModel() {
		List<Model> models = this.client.models().list().data();
		assertThat(models).extracting(Model::id).containsExactly("ragchat");
	}

	@Test
	void eachTenantsAssistantIsAModelForItsMembersAndForAdmins() {
		TestUser admin = TestUsers.admin(this.api);
		String slug = "physics-" + java.util.UUID.randomUUID().toString().substring(0, 8);
		ApiClient.Response tenant = this.api.postJson("/api/admin/tenants",
				Map.of("name", "Physics", "slug", slug, "profile", Map.of("assistant_name", "Physics Desk")),
				admin.bearerHeaders());
		assertThat(tenant.status()).as(tenant.toString()).isEqualTo(201);
		long tenantId = tenant.json().get("id").asLong();
		String boundary = "----sdk" + java.util.UUID.randomUUID();
		String body = "--" + boundary
				+ "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cryostat.md\"\r\n"
				+ "Content-Type: text/markdown\r\n\r\n# Booking the cryostat\n\nBook the cryostat in the low "
				+ "temperature lab two days ahead; collect the helium dewar key " + slug + " from the technician.\r\n--"
				+ boundary + "\r\nContent-Disposition: form-data; name=\"tenant_id\"\r\n\r\n" + tenantId + "\r\n--"
				+ boundary + "--\r\n";
		assertThat(
				this.api
					.send("POST", "/api/knowledge/documents", body,
							TestUser.with(admin.bearerHeaders(), "Content-Type",
									"multipart/form-data; boundary=" + boundary))
					.status())
			.isEqualTo(201);
		TestUser member = TestUsers.register(this.api);
		assertThat(this.api
			.send("PUT", "/api/admin/users/" + member.username() + "/tenant", "{\"tenant_id\":" + tenantId + "}",
					TestUser.with(admin.bearerHeaders(), "Content-Type", "application/json"))
			.status()).isEqualTo(200);
		String tenantModel = "ragchat:" + slug;
		String question = "How do I book the cryostat in the low temperature lab?";

		OpenAIClient memberClient = client(key(member));
		assertThat(memberClient.models().list().data()).extracting(Model::id).containsExactly("ragchat", tenantModel);
		assertThat(answer(memberClient, tenantModel, question)).startsWith("Physics Desk found this in").contains(slug);
		assertThat(answer(memberClient, "ragchat", question)).contains(slug);

		OpenAIClient adminClient = client(key(admin));
		assertThat(adminClient.models().list().data()).extracting(Model::id).contains("ragchat", tenantModel);
		assertThat(answer(adminClient, tenantModel, question)).contains(slug);
		assertThat(answer(adminClient, "ragchat", question)).doesNotContain(slug);

		// Another user neither sees nor uses the tenant's assistant.
		assertThat(this.client.models().list().data()).extracting(Model::id).containsExactly("ragchat");
		assertThatExceptionOfType(com.openai.errors.NotFoundException.class)
			.isThrownBy(() -> answer(this.client, tenantModel, question))
			.withMessageContaining("does not exist or you do not have access to it");
		assertThat(answer(this.client, "ragchat", question)).doesNotContain(slug);
	}

	private String key(TestUser user) {
		ApiClient.Response created = this.api.postJson("/api/auth/api-keys", Map.of("name", "tenant test"),
				user.bearerHeaders());
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		return created.json().get("key").asString();
	}

	private static String answer(OpenAIClient client, String model, String question) {
		return client.chat()
			.completions()
			.create(ChatCompletionCreateParams.builder().model(model).addUserMessage(question).build())
			.choices()
			.get(0)
			.message()
			.content()
			.orElseThrow();
	}

	@Test
	void aBufferedCompletionAnswersFromTheKnowledgeBaseWithSourcesAndUsage() {
		ChatCompletion completion = this.client.chat()
			.completions()
			.create(ChatCompletionCreateParams.builder()
				.model("ragchat")
				.addSystemMessage("You are a helpful assistant.")
				.addUserMessage("How do I reset my password?")
				.temperature(0.2)
				.maxCompletionTokens(500)
				.user("someone")
				.build());
		assertThat(completion.choices()).hasSize(1);
		String content = completion.choices().get(0).message().content().orElseThrow();
		assertThat(content).contains("Forgot password").contains("**Sources**").contains("Reset a forgotten password");
		assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
		CompletionUsage usage = completion.usage().orElseThrow();
		assertThat(usage.promptTokens()).isPositive();
		assertThat(usage.completionTokens()).isPositive();
		assertThat(usage.totalTokens()).isEqualTo(usage.promptTokens() + usage.completionTokens());
		JsonValue citations = completion._additionalProperties().get("citations");
		assertThat(citations).isNotNull();
		assertThat(citations.toString()).contains("Reset a forgotten password").contains("KB0001");
	}

	@Test
	void aStreamedCompletionArrivesInChunksReadWithTheSdksStreamingApi() {
		List<ChatCompletionChunk> chunks = new ArrayList<>();
		try (StreamResponse<ChatCompletionChunk> stream = this.client.chat()
			.completions()
			.createStreaming(ChatCompletionCreateParams.builder()
				.model("ragchat")
				.addUserMessage("How do I reset my password?")
				.streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
				.build())) {
			stream.stream().forEach(chunks::add);
		}
		StringBuilder text = new StringBuilder();
		String finish = null;
		for (ChatCompletionChunk chunk : chunks) {
			for (ChatCompletionChunk.Choice choice : chunk.choices()) {
				choice.delta().content().ifPresent(text::append);
				if (choice.finishReason().isPresent()) {
					finish = choice.finishReason().get().asString();
				}
			}
		}
		assertThat(chunks.size()).isGreaterThan(2);
		assertThat(chunks).allSatisfy((chunk) -> assertThat(chunk.id()).isEqualTo(chunks.get(0).id()));
		assertThat(chunks.get(0).choices().get(0).delta().role()).isPresent();
		assertThat(text.toString()).contains("Forgot password").contains("**Sources**");
		assertThat(finish).isEqualTo("stop");
		CompletionUsage usage = chunks.get(chunks.size() - 1).usage().orElseThrow();
		assertThat(usage.completionTokens()).isPositive();
	}

	@Test
	void aFollowUpIsAnsweredWithItsHistory() {
		String followUp = "and on a Mac?";
		ChatCompletion alone = this.client.chat()
			.completions()
			.create(ChatCompletionCreateParams.builder().model("ragchat").addUserMessage(followUp).build());
		ChatCompletion withHistory = this.client.chat()
			.completions()
			.create(ChatCompletionCreateParams.builder()
				.model("ragchat")
				.addUserMessage("How do I install the VPN?")
				.addAssistantMessage("Download Secure Connect from vpn.aldermoor.example.")
				.addUserMessage(followUp)
				.build());
		String withSources = citations(withHistory);
		assertThat(withSources).contains("KB0011");
		assertThat(withSources).isNotEqualTo(citations(alone));
	}

	@Test
	void aBadKeyIsTheSdksAuthenticationError() {
		OpenAIClient wrong = client("rck_" + "x".repeat(43));
		assertThatExceptionOfType(UnauthorizedException.class).isThrownBy(() -> wrong.models().list());
		ApiClient.Response raw = this.api.get("/v1/models");
		assertThat(raw.status()).isEqualTo(401);
		JsonNode error = raw.json().get("error");
		assertThat(error.get("type").asString()).isEqualTo("invalid_request_error");
		assertThat(error.get("code").asString()).isEqualTo("invalid_api_key");
	}

	@Test
	void parametersThatChangeTheMeaningAreRefusedAndUnknownOnesIgnored() {
		assertThatExceptionOfType(BadRequestException.class)
			.isThrownBy(() -> this.client.chat()
				.completions()
				.create(ChatCompletionCreateParams.builder().model("ragchat").addUserMessage("Hi").n(2).build()))
			.withMessageContaining("n=1");
		TestUser user = TestUsers.register(this.api);
		String key = this.api.postJson("/api/auth/api-keys", Map.of("name", "raw"), user.bearerHeaders())
			.json()
			.get("key")
			.asString();
		ApiClient.Response tools = this.api.postJson("/v1/chat/completions",
				Map.of("model", "ragchat", "messages", List.of(Map.of("role", "user", "content", "Hi")), "tools",
						List.of(Map.of("type", "function", "function", Map.of("name", "f")))),
				"Authorization", "Bearer " + key);
		assertThat(tools.status()).isEqualTo(400);
		assertThat(tools.json().get("error").get("param").asString()).isEqualTo("tools");
		for (Map.Entry<String, Object> bad : Map
			.<String, Object>of("temperature", 3, "max_tokens", "lots", "max_completion_tokens", 0)
			.entrySet()) {
			ApiClient.Response refused = this.api.postJson("/v1/chat/completions",
					Map.of("messages", List.of(Map.of("role", "user", "content", "Hi")), bad.getKey(), bad.getValue()),
					"Authorization", "Bearer " + key);
			assertThat(refused.status()).as(bad.toString()).isEqualTo(400);
			assertThat(refused.json().get("error").get("param").asString()).isEqualTo(bad.getKey());
		}
		ApiClient.Response lastNotUser = this.api.postJson("/v1/chat/completions",
				Map.of("messages", List.of(Map.of("role", "assistant", "content", "Hi"))), "Authorization",
				"Bearer " + key);
		assertThat(lastNotUser.status()).isEqualTo(400);
		assertThat(lastNotUser.json().get("error").get("type").asString()).isEqualTo("invalid_request_error");
		ApiClient.Response unknown = this.api.postJson("/v1/chat/completions",
				Map.of("model", "anything", "messages",
						List.of(Map.of("role", "user", "content", "How do I reset my password?")), "frobnicate", true,
						"logit_bias", Map.of()),
				"Authorization", "Bearer " + key);
		assertThat(unknown.status()).as(unknown.toString()).isEqualTo(200);
		ApiClient.Response notJson = this.api.send("POST", "/v1/chat/completions", "{not json", "Authorization",
				"Bearer " + key, "Content-Type", "application/json");
		assertThat(notJson.status()).isEqualTo(400);
		assertThat(notJson.json().get("error").get("code").asString()).isEqualTo("invalid_json");
	}

	private static String citations(ChatCompletion completion) {
		JsonValue citations = completion._additionalProperties().get("citations");
		return (citations != null) ? citations.toString() : "";
	}

}
