package com.ragchat.knowledge;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import com.ragchat.auth.AuthenticatedUser;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.authentication;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The admin API of API.md §7 over the real application (security chain, controllers,
 * PostgreSQL, embeddings), with an admin principal as the auth feature will provide it.
 */
class KnowledgeApiTests extends KnowledgeIntegrationTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String ARTICLE = """
			---
			title: Book the rooftop telescope
			kb_number: KB9001
			kb_category: Facilities
			---

			# Book the rooftop telescope

			Astronomy society members can reserve the Zeiss refractor on the Observatory roof for
			clear nights. Bookings open every Monday at noon for the following week, and each
			member may hold two evening slots. Bring your ID card: the roof door reader checks the booking.
			""";

	@Autowired
	MockMvc mvc;

	@Autowired
	KnowledgeStore store;

	@Autowired
	NearestChunks vectorSearch;

	@Autowired
	org.springframework.jdbc.core.simple.JdbcClient jdbc;

	@Test
	void nonAdminsAreRefusedAndAnonymousCallersMustSignIn() throws Exception {
		this.mvc.perform(get("/api/knowledge/documents").with(user(false)))
			.andExpect(status().isForbidden())
			.andExpect(content().contentTypeCompatibleWith("application/problem+json"));
		this.mvc.perform(get("/api/knowledge/search").param("q", "password").with(user(false)))
			.andExpect(status().isForbidden());
		this.mvc.perform(multipart("/api/knowledge/documents").file(markdown("x.md", ARTICLE)).with(user(false)))
			.andExpect(status().isForbidden());
		this.mvc.perform(get("/api/knowledge/documents")).andExpect(status().isUnauthorized());
	}

	@Test
	void uploadIsSearchableAtOnceIdempotentAndGoneAfterDelete() throws Exception {
		String body = this.mvc
			.perform(multipart("/api/knowledge/documents").file(markdown("telescope.md", ARTICLE))
				.param("project", "Campus Life")
				.with(user(true)))
			.andExpect(status().isCreated())
			.andExpect(jsonPath("$.title").value("Book the rooftop telescope"))
			.andExpect(jsonPath("$.source").value("telescope.md"))
			.andExpect(jsonPath("$.kb_number").value("KB9001"))
			.andExpect(jsonPath("$.project").value("Campus Life"))
			.andExpect(jsonPath("$.status").value("ready"))
			.andExpect(jsonPath("$.chunks").value(1))
			.andExpect(jsonPath("$.media_type").value("text/markdown"))
			.andReturn()
			.getResponse()
			.getContentAsString();
		long id = JSON.readTree(body).get("id").asLong();
		try {
			assertThat(JSON.readTree(body).get("created_at").asString()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
			// The same bytes again: the same document, 200.
			this.mvc.perform(multipart("/api/knowledge/documents").file(markdown("copy.md", ARTICLE)).with(user(true)))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.id").value(id))
				.andExpect(jsonPath("$.source").value("telescope.md"));
			this.mvc.perform(get("/api/knowledge/documents/{id}", id).with(user(true)))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.chunks").value(1))
				.andExpect(jsonPath("$.kb_category").value("Facilities"));
			JsonNode listed = JSON
				.readTree(this.mvc.perform(get("/api/knowledge/documents").param("limit", "500").with(user(true)))
					.andExpect(status().isOk())
					.andReturn()
					.getResponse()
					.getContentAsString());
			assertThat(listed.valueStream().filter((d) -> d.get("id").asLong() == id).count()).isEqualTo(1);

			JsonNode hits = search("When can I reserve the telescope on the observatory roof?", 3);
			assertThat(hits.size()).isBetween(1, 3);
			JsonNode best = hits.get(0);
			assertThat(best.get("metadata").get("kb_number").asString()).isEqualTo("KB9001");
			assertThat(best.get("metadata").get("source").asString()).isEqualTo("Book the rooftop telescope");
			assertThat(best.get("metadata").get("project").asString()).isEqualTo("Campus Life");
			assertThat(best.get("metadata").get("ingestion_date").asString()).matches("\\d{4}-\\d\\d-\\d\\d");
			assertThat(best.get("score").asDouble()).isEqualTo(best.get("metadata").get("score").asDouble())
				.isGreaterThan(0.3);
			assertThat(best.get("content").asString()).contains("Zeiss refractor");
		}
		finally {
			this.mvc.perform(delete("/api/knowledge/documents/{id}", id).with(user(true)))
				.andExpect(status().isNoContent());
		}
		this.mvc.perform(get("/api/knowledge/documents/{id}", id).with(user(true)))
			.andExpect(status().isNotFound())
			.andExpect(jsonPath("$.detail").value("Document not found"));
		this.mvc.perform(delete("/api/knowledge/documents/{id}", id).with(user(true))).andExpect(status().isNotFound());
		JsonNode after = search("When can I reserve the telescope on the observatory roof?", 3);
		assertThat(after.valueStream().map((hit) -> hit.get("metadata").get("kb_number").asString()))
			.doesNotContain("KB9001");
	}

	@Test
	void filesWithoutTextAreRejectedAndNothingIsStored() throws Exception {
		int before = this.store.list(500, 0).size();
		this.mvc
			.perform(multipart("/api/knowledge/documents").file(
					new MockMultipartFile("file", "scan.pdf", "application/pdf", TextExtractorTests.pdf("Scan", null)))
				.with(user(true)))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.detail").value("No extractable text"));
		this.mvc
			.perform(multipart("/api/knowledge/documents").file(markdown("empty.md", "---\ntitle: x\n---\n\n  \n"))
				.with(user(true)))
			.andExpect(status().isUnprocessableContent());
		assertThat(this.store.list(500, 0)).hasSize(before);
	}

	@Test
	void otherFileTypesAndBadParametersAreRefused() throws Exception {
		this.mvc
			.perform(multipart("/api/knowledge/documents")
				.file(new MockMultipartFile("file", "report.docx", "application/octet-stream", new byte[] { 1, 2 }))
				.with(user(true)))
			.andExpect(status().isUnsupportedMediaType())
			.andExpect(jsonPath("$.detail").value("Unsupported file type: upload a .md, .txt, .html or .pdf file."));
		this.mvc.perform(get("/api/knowledge/search").param("q", " ").with(user(true)))
			.andExpect(status().isUnprocessableContent());
		this.mvc.perform(get("/api/knowledge/search").param("q", "wifi").param("k", "0").with(user(true)))
			.andExpect(status().isUnprocessableContent());
		this.mvc.perform(get("/api/knowledge/documents").param("limit", "501").with(user(true)))
			.andExpect(status().isUnprocessableContent());
	}

	@Test
	void searchReturnsTheSampleArticleWithItsMetadata() throws Exception {
		JsonNode hits = search("How do I reset my password?", 3);
		assertThat(hits.size()).isBetween(1, 3);
		JsonNode source = hits.get(0).get("metadata");
		assertThat(source.get("kb_number").asString()).isEqualTo("KB0001");
		assertThat(source.get("kb_url").asString()).isEqualTo("https://help.aldermoor.example/kb/KB0001");
		assertThat(source.get("kb_category").asString()).isEqualTo("Accounts and Passwords");
		assertThat(source.get("short_description").asString()).startsWith("Use the self-service portal");
		assertThat(source.get("project").asString()).isEqualTo("IT Help Desk");
		assertThat(search("How many moons does Jupiter have?", 3).size()).isZero();
	}

	@Test
	void withoutPgvectorTheOptionalMigrationChangesNothingAndTheInMemoryIndexServes() {
		assertThat(this.jdbc.sql("select success from flyway_schema_history where version = '6'")
			.query(Boolean.class)
			.single()).isTrue();
		assertThat(PgVectorSearch.isAvailable(this.jdbc)).isFalse();
		assertThat(this.vectorSearch).isInstanceOf(VectorIndex.class);
	}

	private JsonNode search(String q, int k) throws Exception {
		return JSON.readTree(this.mvc
			.perform(get("/api/knowledge/search").param("q", q).param("k", Integer.toString(k)).with(user(true)))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString());
	}

	static MockMultipartFile markdown(String name, String text) {
		return new MockMultipartFile("file", name, "text/markdown", text.getBytes(StandardCharsets.UTF_8));
	}

	static RequestPostProcessor user(boolean admin) throws IOException {
		AuthenticatedUser principal = new AuthenticatedUser(admin ? 1 : 2, admin ? "admin" : "alice", admin);
		List<SimpleGrantedAuthority> authorities = admin
				? List.of(new SimpleGrantedAuthority("ROLE_USER"), new SimpleGrantedAuthority("ROLE_ADMIN"))
				: List.of(new SimpleGrantedAuthority("ROLE_USER"));
		return authentication(new UsernamePasswordAuthenticationToken(principal, null, authorities));
	}

}
