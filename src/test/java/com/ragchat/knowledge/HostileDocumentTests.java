package com.ragchat.knowledge;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
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
 * Issue 20, findings 2 and 3, over real HTTP with the local knowledge base and extractive
 * answers: hostile metadata (links that run script, markup in titles, entities that turn
 * into tags) never reaches clients as anything but plain text and web links.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "LLM_PROVIDER=extractive", "RETRIEVER_PROVIDER=local", "ragchat.test.own-datasource=true",
				// Small limits, so that the bombs the tests build stay small too.
				"KNOWLEDGE_MAX_DECOMPRESSED_MB=2", "KNOWLEDGE_MAX_DOCUMENT_CHARACTERS=20000",
				"KNOWLEDGE_MAX_CHUNKS_PER_DOCUMENT=5" })
class HostileDocumentTests {

	private static final TestDatabase.Info DATABASE = TestDatabase.createEmptyDatabase();

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
	void signIn() {
		this.api = new ApiClient(this.port);
		this.admin = TestUsers.admin(this.api);
	}

	// --- finding 3: metadata
	// ----------------------------------------------------------------

	@Test
	void kbUrlsThatAreNotAbsoluteWebLinksAreRefusedOnUpload() {
		for (String url : List.of("javascript:alert(1)", "  JaVaScRiPt:alert(document.cookie)", "data:text/html,<b>x",
				"vbscript:msgbox(1)", "//evil.example/x", "/relative/path", "java\tscript:alert(1)", "https:no-host")) {
			ApiClient.Response response = upload("link.md", article("link"), Map.of("kb_url", url));
			assertThat(response.status()).as(url + " -> " + response).isEqualTo(422);
			assertThat(response.json().get("detail").asString()).contains("kb_url");
		}
		ApiClient.Response fine = upload("link.md", article("fine"), Map.of("kb_url", "HTTPS://help.example/kb/1"));
		assertThat(fine.status()).as(fine.toString()).isEqualTo(201);
		assertThat(fine.json().get("kb_url").asString()).isEqualTo("HTTPS://help.example/kb/1");
	}

	@Test
	void kbUrlsInFrontMatterAreCheckedToo() {
		String markdown = "---\ntitle: Front\nkb_url: \" Javascript:alert(1)\"\n---\n\n" + article("front");
		ApiClient.Response response = upload("front.md", markdown, Map.of());
		assertThat(response.status()).as(response.toString()).isEqualTo(422);
		assertThat(response.json().get("detail").asString()).contains("kb_url");
		String html = "<html><head><meta name=\"kb_url\" content=\"vbscript:x\"></head><body><p>" + article("meta")
				+ "</p></body></html>";
		assertThat(upload("meta.html", html, Map.of()).status()).isEqualTo(422);
	}

	@Test
	void titlesAndMetadataAreStoredAsPlainText() {
		ApiClient.Response response = upload("plain.md", article("plain"),
				Map.of("title", "<img src=x onerror=alert(1)>Printing\r\nguide", "kb_category",
						"<script>alert(1)</script>Facilities", "project", "Campus\u001b[31m life <b"));
		assertThat(response.status()).as(response.toString()).isEqualTo(201);
		JsonNode document = response.json();
		assertThat(document.get("title").asString()).isEqualTo("Printing guide");
		assertThat(document.get("kb_category").asString()).doesNotContain("<").contains("Facilities");
		assertThat(document.get("project").asString()).doesNotContain("\u001b").doesNotContain("<b");

		String html = "<html><head><title>&lt;img src=x onerror=alert(1)&gt;Scanner help</title></head><body>"
				+ "<h1>Scanner &lt;svg onload=alert(1)&gt; help</h1><p>" + article("scanner") + "</p></body></html>";
		JsonNode fromHtml = upload("scanner.html", html, Map.of()).json();
		assertThat(fromHtml.get("title").asString()).doesNotContain("<").contains("Scanner help");
	}

	@Test
	void entitiesInAPageNeverBecomeMarkupInAnswers() {
		String word = "zq" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
		String html = "<html><head><title>Kiosk " + word + "</title></head><body><p>The " + word
				+ " kiosk shows &lt;script&gt;alert(document.cookie)&lt;/script&gt; and "
				+ "&lt;img src=x onerror=alert(1)&gt; when the " + word
				+ " kiosk in the library lobby needs a restart by the help desk staff.</p></body></html>";
		ApiClient.Response uploaded = upload("kiosk.html", html, Map.of("kb_url", "https://help.example/kiosk"));
		assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(201);
		TestUser user = TestUsers.register(this.api);
		ApiClient.Response answer = this.api.postJson("/api/chat/chat",
				Map.of("content", "What does the " + word + " kiosk show?"), user.bearerHeaders());
		assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
		String body = answer.body();
		assertThat(body).contains(word);
		assertThat(body.toLowerCase()).doesNotContain("<script").doesNotContain("<img");
		JsonNode hits = search(word);
		assertThat(hits.toString().toLowerCase()).doesNotContain("<script").doesNotContain("<img");
	}

	@Test
	void storedRowsWithUnsafeLinksAreFilteredOnOutput() {
		String word = "zr" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
		ApiClient.Response uploaded = upload("old.md",
				"# Old " + word + "\n\nThe " + word
						+ " printer in the old wing takes coins and prints in black and white only.\n",
				Map.of("kb_url", "https://help.example/old"));
		long id = uploaded.json().get("id").asLong();
		// As a row stored by an earlier version could be.
		this.jdbc.update("update knowledge_documents set kb_url = ?, title = ? where id = ?", " javascript:alert(1)",
				"<img src=x onerror=alert(1)>Old", id);
		JsonNode hit = search(word).get(0);
		assertThat(hit.get("metadata").get("kb_url").asString()).isEqualTo("#");
		assertThat(hit.get("metadata").get("source").asString()).isEqualTo("Old");
		JsonNode document = this.api.get("/api/knowledge/documents/" + id, this.admin.bearerHeaders()).json();
		assertThat(document.get("kb_url").isNull()).isTrue();
	}

	// --- finding 2: hostile documents
	// -------------------------------------------------------

	@Test
	void aPdfWhoseStreamExpandsBeyondTheLimitIs413NamingIt() throws Exception {
		// 3 MB of content stream (a text operator and blank padding) in a few kilobytes.
		byte[] bomb = pdfWithContent(("BT /F1 12 Tf 72 700 Td (bomb) Tj ET\n" + " ".repeat(3 * 1024 * 1024))
			.getBytes(StandardCharsets.US_ASCII));
		assertThat(bomb.length).isLessThan(64 * 1024);
		ApiClient.Response response = upload("bomb.pdf", bomb, Map.of(), "");
		assertThat(response.status()).as(response.toString()).isEqualTo(413);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(response.json().get("detail").asString()).contains("KNOWLEDGE_MAX_DECOMPRESSED_MB");
		assertThat(this.api.get("/api/health").status()).isEqualTo(200);
	}

	@Test
	void aPdfWithMoreTextThanTheLimitIs422NamingIt() throws Exception {
		StringBuilder operators = new StringBuilder("BT /F1 10 Tf 72 700 Td 12 TL\n");
		for (int i = 0; i < 600; i++) {
			operators.append("(Line ").append(i).append(" of a document that says the same thing again and again) '\n");
		}
		operators.append("ET\n");
		byte[] pdf = pdfWithContent(operators.toString().getBytes(StandardCharsets.US_ASCII));
		assertThat(pdf.length).isLessThan(64 * 1024);
		ApiClient.Response response = upload("long.pdf", pdf, Map.of(), "");
		assertThat(response.status()).as(response.toString()).isEqualTo(422);
		assertThat(response.json().get("detail").asString()).contains("KNOWLEDGE_MAX_DOCUMENT_CHARACTERS");
	}

	@Test
	void aDocumentThatWouldMakeTooManyPassagesIs422NamingIt() {
		StringBuilder markdown = new StringBuilder("# Many passages\n\n");
		for (int i = 0; i < 1500; i++) {
			markdown.append("word").append(i % 97).append(i % 2 == 0 ? " " : "\n");
		}
		ApiClient.Response response = upload("many.md", markdown.toString(), Map.of());
		assertThat(response.status()).as(response.toString()).isEqualTo(422);
		assertThat(response.json().get("detail").asString()).contains("KNOWLEDGE_MAX_CHUNKS_PER_DOCUMENT");
		// Nothing half-written: no document with that name.
		assertThat(this.api.get("/api/knowledge/documents?limit=500", this.admin.bearerHeaders()).body())
			.doesNotContain("many.md");
	}

	/**
	 * A one-page PDF with this raw content stream (Flate-compressed) and Helvetica as F1.
	 */
	static byte[] pdfWithContent(byte[] operators) throws java.io.IOException {
		try (org.apache.pdfbox.pdmodel.PDDocument document = new org.apache.pdfbox.pdmodel.PDDocument();
				ByteArrayOutputStream out = new ByteArrayOutputStream()) {
			org.apache.pdfbox.pdmodel.PDPage page = new org.apache.pdfbox.pdmodel.PDPage();
			document.addPage(page);
			org.apache.pdfbox.pdmodel.PDResources resources = new org.apache.pdfbox.pdmodel.PDResources();
			resources.put(org.apache.pdfbox.cos.COSName.getPDFName("F1"),
					new org.apache.pdfbox.pdmodel.font.PDType1Font(
							org.apache.pdfbox.pdmodel.font.Standard14Fonts.FontName.HELVETICA));
			page.setResources(resources);
			page.setContents(new org.apache.pdfbox.pdmodel.common.PDStream(document,
					new java.io.ByteArrayInputStream(operators), org.apache.pdfbox.cos.COSName.FLATE_DECODE));
			document.save(out);
			return out.toByteArray();
		}
	}

	// --- helpers
	// ----------------------------------------------------------------------------

	static String article(String topic) {
		return "The " + topic + " desk " + UUID.randomUUID()
				+ " opens at nine and closes at five. Students can borrow laptops, chargers and adapters "
				+ "there for up to a week, and staff help with printing and scanning.\n";
	}

	JsonNode search(String query) {
		ApiClient.Response response = this.api.get(
				"/api/knowledge/search?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8),
				this.admin.bearerHeaders());
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		return response.json();
	}

	ApiClient.Response upload(String filename, String content, Map<String, String> fields) {
		return upload(filename, content.getBytes(StandardCharsets.UTF_8), fields, "");
	}

	ApiClient.Response upload(String filename, byte[] content, Map<String, String> fields, String query) {
		String boundary = "----ragchat" + UUID.randomUUID();
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		Map<String, String> all = new LinkedHashMap<>(fields);
		all.forEach((name, value) -> body.writeBytes(
				("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n")
					.getBytes(StandardCharsets.UTF_8)));
		body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
				+ "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
			.getBytes(StandardCharsets.UTF_8));
		body.writeBytes(content);
		body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
		return this.api.send("POST", "/api/knowledge/documents" + query,
				HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()),
				TestUser.with(this.admin.bearerHeaders(), "Content-Type", "multipart/form-data; boundary=" + boundary));
	}

}
