package com.ragchat.knowledge;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.ragchat.support.ApiClient;
import com.ragchat.support.TestUsers;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code KNOWLEDGE_MAX_UPLOAD_MB} bounds uploads over real HTTP: a larger file gets a 413
 * problem, and nothing is stored.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = { "LLM_PROVIDER=extractive",
		"RETRIEVER_PROVIDER=local", "KNOWLEDGE_IMPORT_DIR=none", "KNOWLEDGE_MAX_UPLOAD_MB=1" })
class KnowledgeUploadLimitTests {

	@LocalServerPort
	int port;

	@Test
	void aFileOverTheLimitIsRefusedWith413() {
		ApiClient api = new ApiClient(this.port);
		TestUsers.TestUser admin = TestUsers.admin(api);
		int before = api.get("/api/knowledge/documents?limit=500", admin.bearerHeaders()).json().size();
		String big = "All work and no play makes a dull manual. ".repeat(40_000);
		assertThat(big.length()).isGreaterThan(1024 * 1024 + 100_000);
		String boundary = "----ragchat" + UUID.randomUUID();
		String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.txt\"\r\n"
				+ "Content-Type: text/plain\r\n\r\n" + big + "\r\n--" + boundary + "--\r\n";
		ApiClient.Response response = api.send("POST", "/api/knowledge/documents", body, TestUsers.TestUser
			.with(admin.bearerHeaders(), "Content-Type", "multipart/form-data; boundary=" + boundary));
		assertThat(response.status()).isEqualTo(413);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(response.json().get("detail").asString()).isNotBlank();
		assertThat(api.get("/api/knowledge/documents?limit=500", admin.bearerHeaders()).json().size())
			.isEqualTo(before);
	}

}
