package com.ragchat.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The API calls of the load scenarios, over one shared HTTP client (HTTP/1.1, pooled
 * connections) as a browser-like client would make them: cookie + CSRF for the web-client
 * journey, bearer tokens where the scenario only needs a signed-in user.
 */
final class LoadApi {

	static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(10))
		.executor(Executors.newVirtualThreadPerTaskExecutor())
		.build();

	private final String baseUrl;

	LoadApi(String baseUrl) {
		this.baseUrl = baseUrl;
	}

	/**
	 * How a request proves who it is: a cookie with its CSRF token, or a bearer token.
	 */
	record Auth(String header, String value, String csrf) {

		static Auth cookie(String accessToken, String csrf) {
			return new Auth("Cookie", "access_token=" + accessToken, csrf);
		}

		static Auth bearer(String token) {
			return new Auth("Authorization", "Bearer " + token, null);
		}

		HttpRequest.Builder apply(HttpRequest.Builder builder, boolean unsafe) {
			builder.header(this.header, this.value);
			if (unsafe && this.csrf != null) {
				builder.header("X-CSRF-Token", this.csrf);
			}
			return builder;
		}

	}

	/** A finished call: status and body (null for streams). */
	record Result(int status, String body) {

		boolean ok() {
			return this.status >= 200 && this.status < 300;
		}

		JsonNode json() {
			return JSON.readTree(this.body);
		}

	}

	/**
	 * A streamed answer as the client saw it: times are {@link System#nanoTime()} values,
	 * 0 when the event never came.
	 */
	record StreamResult(int status, long headersNanos, long firstEventNanos, long firstTokenNanos, long doneNanos,
			boolean errorEvent) {

		boolean ok() {
			return this.status == 200 && this.doneNanos > 0 && !this.errorEvent;
		}

	}

	Result register(String username, String email, String password) throws IOException, InterruptedException {
		return postJson("/api/auth/register", null,
				JSON.writeValueAsString(java.util.Map.of("username", username, "email", email, "password", password)));
	}

	/** The web client's sign-in: JSON body, cookie and CSRF token back. */
	Auth loginJson(String username, String password) throws IOException, InterruptedException {
		HttpResponse<String> response = this.http
			.send(request("/api/auth/login-json").header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers
					.ofString(JSON.writeValueAsString(java.util.Map.of("username", username, "password", password))))
				.build(), HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			return null;
		}
		String token = response.headers()
			.allValues("Set-Cookie")
			.stream()
			.filter((line) -> line.startsWith("access_token="))
			.map((line) -> line.substring("access_token=".length(), line.indexOf(';')))
			.findFirst()
			.orElse(null);
		String csrf = JSON.readTree(response.body()).get("csrf_token").asString();
		return (token != null) ? Auth.cookie(token, csrf) : null;
	}

	/** The OAuth2 password grant: a bearer token, no cookie. */
	Result token(String username, String password) throws IOException, InterruptedException {
		String form = "username=" + URLEncoder.encode(username, StandardCharsets.UTF_8) + "&password="
				+ URLEncoder.encode(password, StandardCharsets.UTF_8);
		HttpResponse<String> response = this.http
			.send(request("/api/auth/token").header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString(form))
				.build(), HttpResponse.BodyHandlers.ofString());
		return new Result(response.statusCode(), response.body());
	}

	Result createSession(Auth auth, String title) throws IOException, InterruptedException {
		return postJson("/api/chat/sessions", auth, JSON.writeValueAsString(java.util.Map.of("title", title)));
	}

	Result listSessions(Auth auth) throws IOException, InterruptedException {
		return get("/api/chat/sessions", auth);
	}

	Result metrics() throws IOException, InterruptedException {
		return get("/api/metrics", null);
	}

	Result health() throws IOException, InterruptedException {
		return get("/api/health", null);
	}

	Result chat(Auth auth, long sessionId, String content) throws IOException, InterruptedException {
		return postJson("/api/chat/chat", auth, JSON
			.writeValueAsString(java.util.Map.of("content", content, "session_id", sessionId, "research_mode", "kb")));
	}

	/**
	 * Streams an answer, reading events line by line as they arrive, and notes when the
	 * first {@code token} event and the {@code done} event were read.
	 * @param sessionId the session, or null for a new one
	 */
	StreamResult stream(Auth auth, Long sessionId, String content) throws IOException, InterruptedException {
		return stream(auth, sessionId, content, () -> {
		});
	}

	/**
	 * Streams an answer as {@link #stream(Auth, Long, String)} does and runs
	 * {@code onFirstEvent} as soon as the first event has been read: the server is then
	 * streaming this answer.
	 */
	StreamResult stream(Auth auth, Long sessionId, String content, Runnable onFirstEvent)
			throws IOException, InterruptedException {
		java.util.Map<String, Object> body = new java.util.HashMap<>();
		body.put("content", content);
		body.put("session_id", sessionId);
		HttpRequest request = auth.apply(request("/api/chat/stream"), true)
			.timeout(Duration.ofMinutes(10))
			.header("Content-Type", "application/json")
			.header("Accept", "text/event-stream")
			.POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
			.build();
		HttpResponse<InputStream> response = this.http.send(request, HttpResponse.BodyHandlers.ofInputStream());
		long headers = System.nanoTime();
		long firstEvent = 0;
		long firstToken = 0;
		long done = 0;
		boolean error = false;
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
			if (response.statusCode() != 200) {
				reader.transferTo(java.io.Writer.nullWriter());
				return new StreamResult(response.statusCode(), headers, 0, 0, 0, false);
			}
			String line;
			while ((line = reader.readLine()) != null) {
				if (firstEvent == 0 && line.startsWith("data: ")) {
					firstEvent = System.nanoTime();
					onFirstEvent.run();
				}
				if (line.startsWith("data: {\"type\":\"token\"") && firstToken == 0) {
					firstToken = System.nanoTime();
				}
				else if (line.startsWith("data: {\"type\":\"done\"")) {
					done = System.nanoTime();
				}
				else if (line.startsWith("data: {\"type\":\"error\"")) {
					error = true;
				}
			}
		}
		return new StreamResult(response.statusCode(), headers, firstEvent, firstToken, done, error);
	}

	private Result get(String path, Auth auth) throws IOException, InterruptedException {
		HttpRequest.Builder builder = request(path).GET();
		if (auth != null) {
			auth.apply(builder, false);
		}
		HttpResponse<String> response = this.http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
		return new Result(response.statusCode(), response.body());
	}

	private Result postJson(String path, Auth auth, String json) throws IOException, InterruptedException {
		HttpRequest.Builder builder = request(path).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json));
		if (auth != null) {
			auth.apply(builder, true);
		}
		HttpResponse<String> response = this.http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
		return new Result(response.statusCode(), response.body());
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create(this.baseUrl + path)).timeout(Duration.ofSeconds(120));
	}

}
