package com.ragchat.knowledge;

import com.ragchat.platform.TestDatabase;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One application context for the knowledge base's integration tests: the {@code local}
 * retriever and the {@code extractive} answerer, on a database of its own into which the
 * sample knowledge base is imported at start-up, exactly as on a first zero-setup start.
 * Tests that add documents remove them again, so the samples stay what the quality set
 * expects.
 */
@SpringBootTest(properties = { "LLM_PROVIDER=extractive", "RETRIEVER_PROVIDER=local",
		"KNOWLEDGE_IMPORT_DIR=samples/knowledge", "ragchat.test.own-datasource=true" })
@AutoConfigureMockMvc
abstract class KnowledgeIntegrationTest {

	private static final TestDatabase.Info DATABASE = TestDatabase.createEmptyDatabase();

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		registry.add("spring.datasource.url", DATABASE::url);
		registry.add("spring.datasource.username", DATABASE::username);
		registry.add("spring.datasource.password", DATABASE::password);
	}

}
