package com.ragchat.platform;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;

import com.ragchat.platform.BadInputSupport.Case;
import com.ragchat.platform.BadInputSupport.Reply;
import com.ragchat.support.TestUsers;
import com.ragchat.support.TestUsers.TestUser;

import static com.ragchat.platform.BadInputSupport.MARKUP;
import static com.ragchat.platform.BadInputSupport.NUL;
import static com.ragchat.platform.BadInputSupport.SQL;
import static com.ragchat.platform.BadInputSupport.UNICODE;
import static com.ragchat.platform.BadInputSupport.bytes;
import static com.ragchat.platform.BadInputSupport.concat;
import static com.ragchat.platform.BadInputSupport.describe;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input against the knowledge base's admin routes (upload, list, read, delete,
 * search) over real HTTP, with the {@code local} retriever and a 1 MB upload limit:
 * requests that are not multipart or not well-formed multipart, files of the wrong type,
 * empty or fake files, files and requests over the limit, metadata that is too long or
 * holds NUL, ids that are not ids, and search parameters out of range. Metadata holding
 * SQL or markup is stored and returned exactly. A refused upload leaves no document, no
 * chunk and no version bump behind.
 */
class BadInputKnowledgeTests extends BadInputTestBase {

	private static final String DOCUMENTS = "/api/knowledge/documents";

	private static final String UNSUPPORTED = "Unsupported file type: upload a .md, .txt, .html or .pdf file.";

	private static final String NO_TEXT = "No extractable text";

	TestUser admin;

	TestUser alice;

	/** A document that every case leaves alone. */
	long fixture;

	@BeforeAll
	void usersAndFixture() {
		this.admin = TestUsers.admin(this.api);
		this.alice = TestUsers.register(this.api);
		Reply uploaded = upload(file("fixture.md", "text/markdown",
				"# The fixture\n\nThe greenhouse opens at dawn and the orchids are watered on Tuesdays."));
		assertThat(uploaded.status()).as(uploaded.toString()).isIn(200, 201);
		this.fixture = uploaded.json().get("id").asLong();
	}

	@Override
	String bystanderRows() {
		return super.bystanderRows() + "/"
				+ this.jdbc.queryForObject(
						"select md5(coalesce(string_agg(r, '|' order by r), '')) from (select d::text r from "
								+ "knowledge_documents d where d.id = ? union all select c.id || ':' || c.content from "
								+ "knowledge_chunks c where c.document_id = ?) rows",
						String.class, this.fixture, this.fixture);
	}

	@TestFactory
	Stream<DynamicNode> badInput() {
		List<Case> cases = new ArrayList<>();
		cases.addAll(uploads());
		cases.addAll(uploadMetadata());
		cases.addAll(list());
		cases.addAll(documentById());
		cases.addAll(search());
		cases.addAll(duplicates());
		return this.runner.tests(cases);
	}

	// --- multipart ---

	/** One part of a multipart body; {@code filename} null for a plain field. */
	record Part(String name, String filename, String contentType, byte[] content) {
	}

	static Part file(String filename, String contentType, String content) {
		return new Part("file", filename, contentType, bytes(content));
	}

	static Part file(String filename, String contentType, byte[] content) {
		return new Part("file", filename, contentType, content);
	}

	static Part field(String name, String value) {
		return new Part(name, null, null, bytes(value));
	}

	static final String BOUNDARY = "----bad-input-boundary-7MA4YWxkTrZu0gW";

	static byte[] multipart(Part... parts) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (Part part : parts) {
			StringBuilder head = new StringBuilder("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"")
				.append(part.name())
				.append('"');
			if (part.filename() != null) {
				head.append("; filename=\"").append(part.filename()).append('"');
			}
			head.append("\r\n");
			if (part.contentType() != null) {
				head.append("Content-Type: ").append(part.contentType()).append("\r\n");
			}
			head.append("\r\n");
			out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
			out.writeBytes(part.content());
			out.writeBytes(bytes("\r\n"));
		}
		out.writeBytes(bytes("--" + BOUNDARY + "--\r\n"));
		return out.toByteArray();
	}

	Reply upload(Part... parts) {
		return upload(this.admin.bearerHeaders(), parts);
	}

	Reply upload(String[] headers, Part... parts) {
		return send("POST", DOCUMENTS, multipart(parts), "multipart/form-data; boundary=" + BOUNDARY, headers);
	}

	/** Text that no other upload has, so that it makes a new document. */
	static String unique(String topic) {
		return "# " + topic + "\n\nA note about " + topic + " with a unique marker " + UUID.randomUUID()
				+ ". The library lends umbrellas on rainy days and returns them to the lost and found.";
	}

	// --- uploads ---

	List<Case> uploads() {
		String g = "knowledge: upload";
		List<Case> cases = new ArrayList<>();
		String[] admin = this.admin.bearerHeaders();
		byte[] valid = multipart(file("valid.txt", "text/plain", unique("valid")));
		cases.add(Case.refused(g, "JSON instead of multipart",
				() -> send("POST", DOCUMENTS, bytes("{\"file\": \"x\"}"), "application/json", admin), 415));
		cases.add(Case.refused(g, "text/plain instead of multipart",
				() -> send("POST", DOCUMENTS, bytes("hello"), "text/plain", admin), 415));
		cases.add(Case.refused(g, "a form instead of multipart",
				() -> send("POST", DOCUMENTS, bytes("file=hello"), "application/x-www-form-urlencoded", admin), 415));
		cases.add(Case.refused(g, "no content type", () -> send("POST", DOCUMENTS, valid, null, admin), 415));
		cases.add(Case.refused(g, "multipart/mixed",
				() -> send("POST", DOCUMENTS, valid, "multipart/mixed; boundary=" + BOUNDARY, admin), 415));
		cases.add(Case.refused(g, "multipart without a boundary",
				() -> send("POST", DOCUMENTS, valid, "multipart/form-data", admin), 400));
		cases.add(Case.refused(g, "multipart with another boundary than the body's",
				() -> send("POST", DOCUMENTS, valid, "multipart/form-data; boundary=other", admin), 400));
		cases.add(Case.refused(g, "multipart cut off in the middle", () -> send("POST", DOCUMENTS,
				java.util.Arrays.copyOf(valid, valid.length / 2), "multipart/form-data; boundary=" + BOUNDARY, admin),
				400));
		cases.add(Case.refused(g, "multipart of garbage", () -> send("POST", DOCUMENTS, bytes("garbage\r\n\r\n--x--"),
				"multipart/form-data; boundary=" + BOUNDARY, admin), 400));
		cases.add(Case.refused(g, "multipart with no parts", () -> send("POST", DOCUMENTS,
				bytes("--" + BOUNDARY + "--\r\n"), "multipart/form-data; boundary=" + BOUNDARY, admin), 400));
		cases.add(Case.refused(g, "a part without Content-Disposition",
				() -> send("POST", DOCUMENTS, bytes(
						"--" + BOUNDARY + "\r\nContent-Type: text/plain\r\n\r\nhello\r\n--" + BOUNDARY + "--\r\n"),
						"multipart/form-data; boundary=" + BOUNDARY, admin),
				400));
		cases.add(Case.refused(g, "no file part, only a title", () -> upload(field("title", "Lonely title")), 400)
			.detail("Required part 'file' is not present."));
		cases.add(Case
			.refused(g, "the file under another name",
					() -> upload(new Part("document", "a.txt", "text/plain", bytes(unique("renamed")))), 400)
			.detail("Required part 'file' is not present."));
		Map<String, Part> empty = new LinkedHashMap<>();
		empty.put("an empty .txt", file("empty.txt", "text/plain", ""));
		empty.put("an empty .md", file("empty.md", "text/markdown", ""));
		empty.put("an empty .html", file("empty.html", "text/html", ""));
		empty.put("whitespace only", file("blank.txt", "text/plain", " \n\t\r\n  \u00A0 \n"));
		empty.put("only NUL bytes", file("nul.txt", "text/plain", new byte[64]));
		empty.put("Markdown with only front matter", file("front.md", "text/markdown", "---\ntitle: Nothing\n---\n"));
		empty.put("HTML with only a script and a style", file("script.html", "text/html",
				"<html><head><style>p{}</style></head><body><script>alert(1)</script></body></html>"));
		for (Map.Entry<String, Part> part : empty.entrySet()) {
			cases.add(Case.refused(g, part.getKey(), () -> upload(part.getValue()), 422).detail(NO_TEXT));
		}
		Map<String, Part> fakePdfs = new LinkedHashMap<>();
		fakePdfs.put("an empty .pdf", file("empty.pdf", "application/pdf", ""));
		fakePdfs.put("text named .pdf", file("text.pdf", "application/pdf", "This is not a PDF at all."));
		fakePdfs.put("a PDF header and nothing else", file("header.pdf", "application/pdf", "%PDF-1.7\n%%EOF\n"));
		fakePdfs.put("a PDF header and random bytes",
				file("random.pdf", "application/pdf", concat(bytes("%PDF-1.4\n"), randomBytes(4096))));
		fakePdfs.put("HTML named .pdf", file("page.pdf", "application/pdf", "<html><body>Hi</body></html>"));
		for (Map.Entry<String, Part> part : fakePdfs.entrySet()) {
			cases.add(Case.refused(g, part.getKey(), () -> upload(part.getValue()), 422));
		}
		for (String name : List.of("malware.exe", "report.docx", "no-extension", "notes.txt.exe", "../../etc/passwd",
				"C:\\Windows\\system.ini", "evil\u202Etxt.exe", "", "archive.tar.gz")) {
			cases.add(Case.refused(g, "file name " + describe(name),
					() -> upload(file(name, "text/plain", unique("name " + name))), 415)
				.detail(UNSUPPORTED));
		}
		cases.add(Case.refused(g, "a file over the 1 MB limit",
				() -> upload(file("big.txt", "text/plain", "word ".repeat(300_000))), 413));
		cases.add(Case.refused(g, "a request far over the limit",
				() -> upload(file("huge.txt", "text/plain", "word ".repeat(600_000))), 413));
		cases.add(Case.refused(g, "by a user who is not an admin",
				() -> upload(this.alice.bearerHeaders(), file("a.txt", "text/plain", unique("forbidden"))), 403));
		cases.add(
				Case.refused(g, "without a token", () -> upload(new String[0], file("a.txt", "text/plain", "x")), 401));
		cases.add(Case.refused(g, "by cookie without X-CSRF-Token",
				() -> upload(this.admin.cookieHeadersWithoutCsrf(), file("a.txt", "text/plain", unique("csrf"))), 403));
		cases.add(Case.refused(g, "method PUT",
				() -> send("PUT", DOCUMENTS, valid, "multipart/form-data; boundary=" + BOUNDARY, admin), 405));
		// Legitimate files with awkward contents or names.
		String nulTopic = "nulbytes" + UUID.randomUUID().toString().substring(0, 8);
		cases.add(Case.accepted(g, "a text file with NUL bytes in it is stored without them",
				() -> upload(file("with-nul.txt", "text/plain", "The " + nulTopic + "\u0000 word\u0000 list.")), 201)
			.then((reply) -> {
				long id = reply.json().get("id").asLong();
				assertThat(this.jdbc.queryForObject(
						"select string_agg(content, ' ') from knowledge_chunks where document_id = ?", String.class,
						id))
					.isEqualTo("The " + nulTopic + " word list.");
			}));
		cases
			.add(Case
				.accepted(g, "a Latin-1 text file is read as Latin-1",
						() -> upload(file("latin1.txt", "text/plain",
								concat(bytes("Caf"), new byte[] { (byte) 0xE9 },
										bytes(" au lait " + UUID.randomUUID())))),
						201)
				.then((reply) -> assertThat(this.jdbc.queryForObject(
						"select string_agg(content, ' ') from knowledge_chunks where document_id = ?", String.class,
						reply.json().get("id").asLong()))
					.startsWith("Café au lait")));
		cases.add(Case
			.accepted(g, "a file name with a path keeps only its last part",
					() -> upload(file("../../secret/notes.md", "text/markdown", unique("path"))), 201)
			.then((reply) -> assertThat(reply.json().get("source").asString()).isEqualTo("notes.md")));
		cases.add(Case
			.accepted(g, "a file name with markup is stored as text",
					() -> upload(file("<img src=x onerror=alert(1)>.md", "text/markdown", unique("markup name"))), 201)
			.then((reply) -> assertThat(reply.json().get("source").asString())
				.isEqualTo("<img src=x onerror=alert(1)>.md")));
		cases.add(Case
			.accepted(g, "an HTML file with a script keeps its text, not the script",
					() -> upload(file("page.html", "text/html",
							"<html><body><h1>Script page " + UUID.randomUUID()
									+ "</h1><p>Visible words.</p><script>alert('x')</script></body></html>")),
					201)
			.then((reply) -> assertThat(this.jdbc.queryForObject(
					"select string_agg(content, ' ') from knowledge_chunks where document_id = ?", String.class,
					reply.json().get("id").asLong()))
				.contains("Visible words.")
				.doesNotContain("alert")));
		return cases;
	}

	static byte[] randomBytes(int n) {
		byte[] data = new byte[n];
		new java.util.Random(42).nextBytes(data);
		return data;
	}

	List<Case> uploadMetadata() {
		String g = "knowledge: upload metadata";
		List<Case> cases = new ArrayList<>();
		Map<String, Integer> limits = new LinkedHashMap<>();
		limits.put("title", 300);
		limits.put("kb_url", 1000);
		limits.put("kb_number", 100);
		limits.put("kb_category", 200);
		limits.put("short_description", 1000);
		limits.put("project", 200);
		for (Map.Entry<String, Integer> limit : limits.entrySet()) {
			String name = limit.getKey();
			cases.add(Case
				.refused(g, name + " one character too long",
						() -> upload(file("long.txt", "text/plain", unique("long " + name)),
								field(name, "m".repeat(limit.getValue() + 1))),
						422)
				.field(name));
			cases.add(Case
				.refused(g, name + " with NUL",
						() -> upload(file("nul.txt", "text/plain", unique("nul " + name)), field(name, NUL)), 422)
				.field(name));
		}
		Map<String, String> values = new LinkedHashMap<>();
		values.put("SQL", SQL.get(0));
		values.put("markup", MARKUP.get(0));
		values.put("javascript URL", "javascript:alert(1)");
		values.put("JSON-breaking quotes", MARKUP.get(7));
		for (String name : limits.keySet()) {
			for (Map.Entry<String, String> value : values.entrySet()) {
				if (name.equals("kb_url")) {
					// Issue 20: only absolute http(s) links are stored.
					cases.add(Case.refused(g, name + ": " + value.getKey(),
							() -> upload(file("meta.md", "text/markdown", unique(name + " " + value.getKey())),
									field(name, value.getValue())),
							422));
				}
				else if (value.getKey().equals("markup")) {
					// Issue 20: metadata is plain text, tags are removed.
					cases.add(metadataStored(g, name, value.getKey(), value.getValue(), "alert(document.cookie)"));
				}
				else {
					cases.add(metadataStored(g, name, value.getKey(), value.getValue()));
				}
			}
		}
		cases.add(metadataStored(g, "kb_url", "https link", "https://help.example/kb/1?a=1&b=%22x%22"));
		for (Map.Entry<String, String> text : UNICODE.entrySet()) {
			if (text.getKey().equals("control characters")) {
				continue;
			}
			cases.add(metadataStored(g, "title", text.getKey(), text.getValue()));
		}
		return cases;
	}

	/**
	 * Uploads a new document with {@code field} = {@code value}; it comes back exactly.
	 */
	private Case metadataStored(String g, String field, String label, String value) {
		return metadataStored(g, field, label, value, value);
	}

	/**
	 * Uploads a new document with {@code field} = {@code value}; it comes back as
	 * {@code expected}.
	 */
	private Case metadataStored(String g, String field, String label, String value, String expected) {
		return Case.accepted(g, field + ": " + label,
				() -> upload(file("meta.md", "text/markdown", unique(field + " " + label)), field(field, value)), 201)
			.then((reply) -> {
				assertThat(reply.json().get(field).asString()).isEqualTo(expected);
				long id = reply.json().get("id").asLong();
				JsonNode read = get(DOCUMENTS + "/" + id, this.admin.bearerHeaders()).json();
				assertThat(read.get(field).asString()).as("read back").isEqualTo(expected);
				assertThat(reply.contentType()).startsWith("application/json");
			});
	}

	// --- list, read, delete ---

	List<Case> list() {
		String g = "knowledge: list";
		List<Case> cases = new ArrayList<>();
		for (String limit : List.of("0", "-1", "501", "abc", "1e3", "0x10", "1.5", "99999999999", "%00")) {
			cases.add(Case
				.refused(g, "limit=" + limit, () -> get(DOCUMENTS + "?limit=" + limit, this.admin.bearerHeaders()), 422)
				.field("limit"));
		}
		for (String offset : List.of("-1", "abc", "2147483648", "1.5", "%ZZ")) {
			Case c = Case.refused(g, "offset=" + offset,
					() -> rawGet(DOCUMENTS + "?offset=" + offset, this.admin.bearerHeaders()),
					offset.startsWith("%") ? 400 : 422);
			cases.add(offset.startsWith("%") ? c : c.field("offset"));
		}
		cases.add(Case
			.accepted(g, "offset=2147483647 lists nothing",
					() -> get(DOCUMENTS + "?offset=2147483647", this.admin.bearerHeaders()), 200)
			.readOnly()
			.then((reply) -> assertThat(reply.json().size()).isZero()));
		cases.add(Case.accepted(g, "limit=500", () -> get(DOCUMENTS + "?limit=500", this.admin.bearerHeaders()), 200)
			.readOnly()
			.then((reply) -> assertThat(reply.json().valueStream().map((d) -> d.get("id").asLong()))
				.contains(this.fixture)));
		cases.add(Case.refused(g, "by a user who is not an admin", () -> get(DOCUMENTS, this.alice.bearerHeaders()),
				403));
		cases.add(Case.refused(g, "without a token", () -> get(DOCUMENTS), 401));
		return cases;
	}

	List<Case> documentById() {
		String g = "knowledge: document by id";
		List<Case> cases = new ArrayList<>();
		for (Object[] id : idValuesInPaths()) {
			int status = (int) id[1];
			String detail = (status == 404) ? "Document not found" : null;
			cases.add(Case.refused(g, "GET " + describe(id[0]),
					() -> get(DOCUMENTS + "/" + id[0], this.admin.bearerHeaders()), status)
				.detail(detail));
			cases.add(Case.refused(g, "DELETE " + describe(id[0]),
					() -> delete(DOCUMENTS + "/" + id[0], this.admin.bearerHeaders()), status)
				.detail(detail));
		}
		cases.add(Case.refused(g, "DELETE by a user who is not an admin",
				() -> delete(DOCUMENTS + "/" + this.fixture, this.alice.bearerHeaders()), 403));
		cases.add(Case.refused(g, "DELETE by cookie without X-CSRF-Token",
				() -> delete(DOCUMENTS + "/" + this.fixture, this.admin.cookieHeadersWithoutCsrf()), 403));
		cases.add(Case
			.accepted(g, "GET the fixture", () -> get(DOCUMENTS + "/" + this.fixture, this.admin.bearerHeaders()), 200)
			.readOnly()
			.then((reply) -> assertThat(reply.json().get("title").asString()).isEqualTo("The fixture")));
		return cases;
	}

	// --- search ---

	List<Case> search() {
		String g = "knowledge: search";
		String path = "/api/knowledge/search";
		List<Case> cases = new ArrayList<>();
		String[] admin = this.admin.bearerHeaders();
		cases.add(Case.refused(g, "no q", () -> get(path, admin), 422).field("q"));
		for (String q : List.of("", "%20%20%20", "a%00b")) {
			cases.add(Case.refused(g, "q=" + q, () -> get(path + "?q=" + q, admin), 422).field("q"));
		}
		cases.add(Case.refused(g, "q of 8001 characters", () -> get(path + "?q=" + "q".repeat(8001), admin), 400, 422));
		cases.add(Case.refused(g, "q with invalid percent-encoding", () -> rawGet(path + "?q=%ZZ", admin), 400));
		cases.add(Case.refused(g, "q with bytes that are not UTF-8", () -> get(path + "?q=%FF%FE", admin), 400));
		for (String k : List.of("0", "51", "-1", "abc", "1.5", "99999999999", "0x10")) {
			cases.add(Case.refused(g, "k=" + k, () -> get(path + "?q=umbrella&k=" + k, admin), 422).field("k"));
		}
		cases.add(Case.refused(g, "by a user who is not an admin",
				() -> get(path + "?q=umbrella", this.alice.bearerHeaders()), 403));
		List<String> questions = new ArrayList<>(SQL);
		questions.addAll(MARKUP);
		questions.addAll(UNICODE.values());
		questions.addAll(List.of("& | ! ( ) : * <-> \\", "!!!", "orchids:* & !greenhouse", "a".repeat(8000 / 2)));
		for (String q : questions) {
			cases
				.add(Case
					.accepted(g, "q=" + describe(q), () -> get(path + "?q=" + BadInputTests.encode(q) + "&k=50", admin),
							200)
					.readOnly()
					.then((reply) -> assertThat(reply.json().isArray()).isTrue()));
		}
		cases.add(Case.accepted(g, "the fixture is found", () -> get(path + "?q=greenhouse+orchids&k=1", admin), 200)
			.readOnly()
			.then((reply) -> assertThat(reply.json().get(0).get("metadata").get("source").asString())
				.isEqualTo("The fixture")));
		return cases;
	}

	// --- duplicate submissions ---

	List<Case> duplicates() {
		String g = "duplicates (knowledge)";
		List<Case> cases = new ArrayList<>();
		cases.add(Case.scenario(g, "upload the same file twice: one document, the second answer is 200", () -> {
			String content = unique("twice");
			Reply first = upload(file("twice.md", "text/markdown", content), field("project", "First"));
			assertThat(first.status()).as(first.toString()).isEqualTo(201);
			Map<String, String> before = this.runner.fingerprint();
			Reply second = upload(file("twice-again.md", "text/markdown", content), field("project", "Second"));
			assertThat(second.status()).as(second.toString()).isEqualTo(200);
			assertThat(second.json().get("id").asLong()).isEqualTo(first.json().get("id").asLong());
			assertThat(second.json().get("project").asString()).isEqualTo("First");
			assertThat(this.runner.fingerprint()).isEqualTo(before);
		}));
		cases.add(Case.scenario(g, "delete a document twice: 204, then 404 and nothing else changes", () -> {
			Reply uploaded = upload(file("gone.md", "text/markdown", unique("deleted twice")));
			long id = uploaded.json().get("id").asLong();
			assertThat(delete(DOCUMENTS + "/" + id, this.admin.bearerHeaders()).status()).isEqualTo(204);
			assertThat(this.jdbc.queryForObject("select count(*) from knowledge_chunks where document_id = ?",
					Integer.class, id))
				.isZero();
			Map<String, String> before = this.runner.fingerprint();
			Reply second = delete(DOCUMENTS + "/" + id, this.admin.bearerHeaders());
			BadInputTests.assertRefused(second, 404, "Document not found");
			assertThat(this.runner.fingerprint()).isEqualTo(before);
		}));
		return cases;
	}

}
