package com.ragchat.platform;

import java.io.IOException;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import com.ragchat.support.ApiClient;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.server.ResponseStatusException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every error leaves the service as an RFC 9457 problem with a readable detail and no
 * internals, whether it comes from routing, body parsing, validation or a bug.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(ErrorHandlingTests.ProbeController.class)
class ErrorHandlingTests {

	private static final String SECRET = "jdbc:postgresql://db/secret password=hunter2";

	@LocalServerPort
	int port;

	ApiClient api() {
		return new ApiClient(this.port);
	}

	@Test
	void unknownPathIsA404Problem() {
		ApiClient.Response response = api().get("/does-not-exist");
		assertProblem(response, 404);
		assertThat(response.json().get("detail").asString()).isEqualTo("No such endpoint.");
	}

	@Test
	void wrongMethodIsA405ProblemWithAllowHeader() {
		ApiClient.Response response = api().send("DELETE", "/api/health", "");
		assertProblem(response, 405);
		assertThat(response.header("Allow")).contains("GET");
	}

	@Test
	void malformedJsonIsA422Problem() {
		ApiClient.Response response = api().postJson("/test-probe/items", "{\"email\": \"a@b.c\", ");
		assertProblem(response, 422);
		assertThat(response.json().get("detail").asString()).isEqualTo("The request body is not valid JSON.");
	}

	@Test
	void wrongJsonTypeNamesTheField() {
		ApiClient.Response response = api().postJson("/test-probe/items",
				"{\"email\": \"a@b.c\", \"count\": \"many\"}");
		assertProblem(response, 422);
		assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo("count");
	}

	@Test
	void invalidBodyIs422WithFieldErrors() {
		ApiClient.Response response = api().postJson("/test-probe/items",
				"{\"email\": \"not-an-email\", \"count\": 0}");
		assertProblem(response, 422);
		JsonNode errors = response.json().get("errors");
		assertThat(errors).hasSize(2);
		assertThat(errors.findValuesAsString("field")).containsExactlyInAnyOrder("email", "count");
		assertThat(response.json().get("detail").asString()).startsWith("Invalid request: ");
	}

	@Test
	void validBodyPassesThrough() {
		ApiClient.Response response = api().postJson("/test-probe/items", "{\"email\": \"a@b.c\", \"count\": 2}");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.json().get("count").asInt()).isEqualTo(2);
	}

	@Test
	void nonNumericPathVariableIsA422Problem() {
		ApiClient.Response response = api().get("/test-probe/items/abc");
		assertProblem(response, 422);
		assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo("id");
	}

	@Test
	void unexpectedFailureIsA500WithoutInternals() {
		ApiClient.Response response = api().get("/test-probe/boom", "X-Request-ID", "trace-me-42");
		assertProblem(response, 500);
		assertThat(response.body()).doesNotContain("hunter2", "jdbc", "IllegalStateException", "at com.");
		assertThat(response.json().get("detail").asString()).isEqualTo(ProblemHandler.UNEXPECTED_DETAIL);
		assertThat(response.json().get("request_id").asString()).isEqualTo("trace-me-42");
	}

	@Test
	void oversizedBodyIs413BeforeAnythingReadsIt() {
		String huge = "{\"email\": \"" + "a".repeat(1_100_000) + "@b.c\", \"count\": 1}";
		ApiClient.Response response = api().postJson("/test-probe/items", huge);
		assertProblem(response, 413);
	}

	@Test
	void deeplyNestedJsonIsRefused() {
		// An ignored extra field: the parser still has to walk it, and stops at the
		// limit.
		String nested = "{\"email\": \"a@b.c\", \"count\": 1, \"extra\": " + "[".repeat(100) + "]".repeat(100) + "}";
		ApiClient.Response response = api().postJson("/test-probe/items", nested);
		assertProblem(response, 422);
		assertThat(response.json().get("detail").asString())
			.isEqualTo("The request body is too large or too deeply nested.");
	}

	@Test
	void deliberate5xxKeepsItsDetail() {
		ApiClient.Response response = api().get("/test-probe/unavailable");
		assertProblem(response, 503);
		assertThat(response.json().get("detail").asString()).isEqualTo("The widget service is not configured.");
	}

	@Test
	void anAsyncRequestThatTimesOutIsA503Problem() {
		assertProblem(api().get("/test-probe/never-completes"), 503);
	}

	@Test
	void anErrorStatusSentWithoutABodyBecomesAProblem() {
		ApiClient.Response response = api().get("/test-probe/send-error");
		assertProblem(response, 418);
		assertThat(response.json().get("detail").asString()).isEqualTo("I'm a teapot");
	}

	@Test
	void aMultipartBodyThatIsNotMultipartIsA400Problem() {
		// Without a single boundary line the container finds no parts at all.
		ApiClient.Response response = api().send("POST", "/test-probe/upload", "not multipart at all", "Content-Type",
				"multipart/form-data; boundary=xyz");
		assertProblem(response, 400);
		assertThat(response.json().get("detail").asString()).isEqualTo("Required part 'file' is not present.");
	}

	@Test
	void traceIsRefusedAsAProblem() {
		ApiClient.Response response = api().send("TRACE", "/api/health", "");
		assertProblem(response, 405);
	}

	@Test
	void unauthenticatedApiRequestIs401WithBearerChallenge() {
		ApiClient.Response response = api().get("/api/anything-protected");
		assertProblem(response, 401);
		assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer");
	}

	static void assertProblem(ApiClient.Response response, int status) {
		assertThat(response.status()).as(response.toString()).isEqualTo(status);
		assertThat(response.contentType()).startsWith("application/problem+json");
		JsonNode body = response.json();
		assertThat(body.get("type").isString()).isTrue();
		assertThat(body.get("title").isString()).isTrue();
		assertThat(body.get("status").asInt()).isEqualTo(status);
		assertThat(body.get("detail").isString()).as("detail is a string").isTrue();
		assertThat(body.get("detail").asString()).isNotBlank();
		assertThat(body.get("request_id").asString()).isEqualTo(response.header("X-Request-ID"));
	}

	/** Endpoints that exist only in this test, to drive the error paths. */
	@RestController
	static class ProbeController {

		record Item(@NotBlank @Email String email, @Min(1) int count) {
		}

		@PostMapping("/test-probe/items")
		Item create(@Valid @RequestBody Item item) {
			return item;
		}

		@GetMapping("/test-probe/items/{id}")
		long get(@PathVariable long id) {
			return id;
		}

		@GetMapping("/test-probe/unavailable")
		String unavailable() {
			throw new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE, "The widget service is not configured.");
		}

		@GetMapping("/test-probe/never-completes")
		DeferredResult<String> neverCompletes() {
			// Times out at once: the container's async timeout path, not a slow test.
			return new DeferredResult<>(1L);
		}

		@GetMapping("/test-probe/send-error")
		void sendError(HttpServletResponse response) throws IOException {
			response.sendError(418);
		}

		@PostMapping("/test-probe/upload")
		long upload(@RequestParam("file") MultipartFile file) {
			return file.getSize();
		}

		@GetMapping("/test-probe/boom")
		String boom() {
			throw new IllegalStateException("could not reach " + SECRET);
		}

	}

}
