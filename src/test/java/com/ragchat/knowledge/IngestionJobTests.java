package com.ragchat.knowledge;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

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
import static org.assertj.core.api.Assertions.fail;

/**
 * Finding 2 of the second security pass, the part about time: ingestion ran on the
 * request thread and went on after the client left. Uploads are now jobs on one ingestion
 * thread here (with one queue place), so the tests can hold the thread with a long
 * document and watch what happens to the others: asynchronous uploads are polled,
 * cancelled on request or when nobody polls them, a full queue is refused, and a
 * cancelled job stores nothing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "LLM_PROVIDER=extractive", "RETRIEVER_PROVIDER=local", "ragchat.test.own-datasource=true",
				"KNOWLEDGE_INGESTION_THREADS=1", "KNOWLEDGE_INGESTION_QUEUE=1", "KNOWLEDGE_JOB_ABANDON_AFTER=3s",
				"app.knowledge.jobs.check-interval=300ms", "KNOWLEDGE_MAX_CHUNKS_PER_DOCUMENT=20000",
				"KNOWLEDGE_MAX_DOCUMENT_CHARACTERS=5000000", "KNOWLEDGE_EMBEDDING_THREADS=1" })
class IngestionJobTests {

	private static final TestDatabase.Info DATABASE = TestDatabase.createEmptyDatabase();

	private static final Duration PATIENCE = Duration.ofSeconds(90);

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

	@Test
	void anAsynchronousUploadIsAcceptedAtOnceAndPolledToItsDocument() {
		String word = "zebrafinch" + unique();
		ApiClient.Response accepted = upload("async.md",
				"# Async " + word + "\n\nThe " + word
						+ " printer on floor two takes badges. Hold your badge to the reader to release the job.\n",
				true);
		assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
		assertThat(accepted.header("Preference-Applied")).isEqualTo("respond-async");
		String location = accepted.header("Location");
		assertThat(location).contains("/api/knowledge/jobs/" + accepted.json().get("id").asString());
		assertThat(accepted.json().get("status").asString()).isIn("queued", "running", "succeeded");

		JsonNode done = pollUntil(location, (job) -> finished(job));
		assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("succeeded");
		assertThat(done.get("created_document").asBoolean()).isTrue();
		long documentId = done.get("document").get("id").asLong();
		assertThat(done.get("document").get("title").asString()).isEqualTo("Async " + word);
		assertThat(this.api.get("/api/knowledge/documents/" + documentId, this.admin.bearerHeaders()).status())
			.isEqualTo(200);
		assertThat(this.api.get("/api/knowledge/search?q=" + word, this.admin.bearerHeaders()).body()).contains(word);
		// The jobs listing shows it too.
		assertThat(this.api.get("/api/knowledge/jobs", this.admin.bearerHeaders()).body())
			.contains(done.get("id").asString());
	}

	@Test
	void aRunningJobCancelledOnRequestStoresNothing() {
		String title = "Long " + unique();
		ApiClient.Response accepted = upload("long.md", longDocument(title), true);
		String location = accepted.header("Location");
		pollUntil(location, (job) -> "running".equals(job.get("status").asString()) || finished(job));

		ApiClient.Response cancelled = this.api.delete(path(location), this.admin.bearerHeaders());
		assertThat(cancelled.status()).isEqualTo(200);
		JsonNode end = pollUntil(location, (job) -> finished(job));
		assertThat(end.get("status").asString()).as(end.toString()).isEqualTo("cancelled");
		assertThat(end.get("document").isNull()).isTrue();
		assertThat(end.get("problem").get("detail").asString()).contains("cancelled");
		assertThat(
				this.jdbc.queryForObject("select count(*) from knowledge_documents where title = ?", Long.class, title))
			.isZero();
		// Cancelling a finished job changes nothing; an unknown job is 404.
		assertThat(this.api.delete(path(location), this.admin.bearerHeaders()).json().get("status").asString())
			.isEqualTo("cancelled");
		assertThat(this.api.delete("/api/knowledge/jobs/" + UUID.randomUUID(), this.admin.bearerHeaders()).status())
			.isEqualTo(404);
	}

	@Test
	void aJobNobodyPollsIsAbandonedAndStoresNothing() {
		String title = "Forgotten " + unique();
		ApiClient.Response accepted = upload("forgotten.md", longDocument(title), true);
		String id = accepted.json().get("id").asString();
		// Watch it through the listing, which is not a poll of the job.
		long deadline = System.nanoTime() + PATIENCE.toNanos();
		String status = "queued";
		while (System.nanoTime() < deadline) {
			for (JsonNode job : this.api.get("/api/knowledge/jobs", this.admin.bearerHeaders()).json()) {
				if (job.get("id").asString().equals(id)) {
					status = job.get("status").asString();
				}
			}
			if (!status.equals("queued") && !status.equals("running")) {
				break;
			}
			sleep(200);
		}
		assertThat(status).isEqualTo("cancelled");
		assertThat(
				this.jdbc.queryForObject("select count(*) from knowledge_documents where title = ?", Long.class, title))
			.isZero();
	}

	@Test
	void whileTheThreadAndTheQueueAreTakenAnUploadIs503AndHealthStillAnswers() {
		ApiClient.Response running = upload("first.md", longDocument("First " + unique()), true);
		pollUntil(running.header("Location"), (job) -> "running".equals(job.get("status").asString()) || finished(job));
		ApiClient.Response queued = upload("second.md", longDocument("Second " + unique()), true);
		assertThat(queued.status()).isEqualTo(202);
		try {
			ApiClient.Response refused = upload("third.md", "# Third " + unique() + "\n\nA short note.\n", false);
			assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
			assertThat(refused.contentType()).startsWith("application/problem+json");
			assertThat(refused.json().get("detail").asString()).contains("busy");
			// Ingestion runs on its own thread: the web server answers meanwhile.
			assertThat(this.api.get("/api/health").status()).isEqualTo(200);
			assertThat(this.api.get("/api/knowledge/documents", this.admin.bearerHeaders()).status()).isEqualTo(200);
		}
		finally {
			this.api.delete(path(queued.header("Location")), this.admin.bearerHeaders());
			this.api.delete(path(running.header("Location")), this.admin.bearerHeaders());
			pollUntil(running.header("Location"), (job) -> finished(job));
			pollUntil(queued.header("Location"), (job) -> finished(job));
		}
		// The queued job was cancelled before it started.
		assertThat(this.api.get(path(queued.header("Location")), this.admin.bearerHeaders())
			.json()
			.get("status")
			.asString()).isEqualTo("cancelled");
	}

	@Test
	void aSynchronousUploadAnswersAsBeforeAndARefusalIsRecordedOnItsJob() {
		ApiClient.Response created = upload("sync.md", "# Sync " + unique() + "\n\nThe kiosk prints receipts.\n",
				false);
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		assertThat(created.json().get("chunks").asInt()).isPositive();
		ApiClient.Response refused = upload("empty.md", "   \n", false);
		assertThat(refused.status()).isEqualTo(422);
		JsonNode newest = this.api.get("/api/knowledge/jobs?limit=1", this.admin.bearerHeaders()).json().get(0);
		assertThat(newest.get("status").asString()).isEqualTo("failed");
		assertThat(newest.get("problem").get("status").asInt()).isEqualTo(422);
		assertThat(newest.get("source").asString()).isEqualTo("empty.md");
	}

	@Test
	void jobsAreForAdminsOnly() {
		TestUser user = TestUsers.register(this.api);
		assertThat(this.api.get("/api/knowledge/jobs", user.bearerHeaders()).status()).isEqualTo(403);
		assertThat(this.api.get("/api/knowledge/jobs").status()).isEqualTo(401);
		assertThat(this.api.get("/api/knowledge/jobs/not-a-uuid", this.admin.bearerHeaders()).status()).isBetween(400,
				422);
	}

	// --- helpers

	/** A document with thousands of passages: embedding it takes a while. */
	private static String longDocument(String title) {
		StringBuilder text = new StringBuilder("# ").append(title).append("\n\n");
		ThreadLocalRandom random = ThreadLocalRandom.current();
		for (int section = 0; section < 3000; section++) {
			text.append("## Part ").append(section).append("\n\n");
			for (int word = 0; word < 60; word++) {
				text.append("w").append(Integer.toString(random.nextInt(1 << 20), 36)).append(' ');
			}
			text.append("\n\n");
		}
		return text.toString();
	}

	private JsonNode pollUntil(String location, Predicate<JsonNode> done) {
		long deadline = System.nanoTime() + PATIENCE.toNanos();
		while (System.nanoTime() < deadline) {
			ApiClient.Response response = this.api.get(path(location), this.admin.bearerHeaders());
			assertThat(response.status()).as(response.toString()).isEqualTo(200);
			JsonNode job = response.json();
			if (done.test(job)) {
				return job;
			}
			sleep(100);
		}
		return fail("job " + location + " did not get there in " + PATIENCE);
	}

	private static boolean finished(JsonNode job) {
		String status = job.get("status").asString();
		return status.equals("succeeded") || status.equals("failed") || status.equals("cancelled");
	}

	private static String path(String location) {
		return location.substring(location.indexOf("/api/"));
	}

	private static String unique() {
		return Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private ApiClient.Response upload(String filename, String content, boolean async) {
		String boundary = "----ragchat" + UUID.randomUUID();
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
				+ "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
			.getBytes(StandardCharsets.UTF_8));
		body.writeBytes(content.getBytes(StandardCharsets.UTF_8));
		body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
		String[] headers = TestUser.with(this.admin.bearerHeaders(), "Content-Type",
				"multipart/form-data; boundary=" + boundary);
		if (async) {
			headers = TestUser.with(headers, "Prefer", "respond-async");
		}
		return this.api.send("POST", "/api/knowledge/documents",
				HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()), headers);
	}

}
