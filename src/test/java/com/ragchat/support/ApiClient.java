package com.ragchat.support;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small HTTP client for full-application tests: real sockets, real headers, no Spring
 * test shortcuts between the test and the server.
 */
public final class ApiClient {

	public static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http;

	private final String baseUrl;

	public ApiClient(int port) {
		this(port, null);
	}

	private ApiClient(int port, java.net.CookieHandler cookies) {
		this.baseUrl = "http://127.0.0.1:" + port;
		HttpClient.Builder builder = HttpClient.newBuilder()
			.connectTimeout(Duration.ofSeconds(5))
			.followRedirects(HttpClient.Redirect.NEVER);
		if (cookies != null) {
			builder.cookieHandler(cookies);
		}
		this.http = builder.build();
	}

	/**
	 * A client that behaves like one browser: it keeps the cookies responses set and
	 * sends them back (its own cookie jar, shared with no other client).
	 */
	public static ApiClient browser(int port) {
		return new ApiClient(port, new java.net.CookieManager(null, java.net.CookiePolicy.ACCEPT_ALL));
	}

	public String baseUrl() {
		return this.baseUrl;
	}

	public Response get(String path, String... headers) {
		return send(request(path, headers).GET());
	}

	public Response delete(String path, String... headers) {
		return send(request(path, headers).DELETE());
	}

	public Response postJson(String path, Object body, String... headers) {
		String json = (body instanceof String raw) ? raw : JSON.writeValueAsString(body);
		return send(request(path, headers).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json)));
	}

	public Response patchJson(String path, Object body, String... headers) {
		String json = (body instanceof String raw) ? raw : JSON.writeValueAsString(body);
		return send(request(path, headers).header("Content-Type", "application/json")
			.method("PATCH", HttpRequest.BodyPublishers.ofString(json)));
	}

	public Response postForm(String path, Map<String, String> form, String... headers) {
		String encoded = form.entrySet()
			.stream()
			.map((e) -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
					+ URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
		return send(request(path, headers).header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(encoded)));
	}

	public Response send(String method, String path, String body, String... headers) {
		return send(request(path, headers).method(method, HttpRequest.BodyPublishers.ofString(body)));
	}

	/**
	 * Sends {@code body} exactly as published: raw bytes that are not valid UTF-8, or a
	 * stream without a length (sent chunked).
	 */
	public Response send(String method, String path, HttpRequest.BodyPublisher body, String... headers) {
		return send(request(path, headers).method(method, body));
	}

	private HttpRequest.Builder request(String path, String... headers) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(this.baseUrl + path))
			.timeout(Duration.ofSeconds(30));
		for (int i = 0; i + 1 < headers.length; i += 2) {
			builder.header(headers[i], headers[i + 1]);
		}
		return builder;
	}

	private Response send(HttpRequest.Builder builder) {
		try {
			HttpResponse<String> response = this.http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
			return new Response(response);
		}
		catch (IOException ex) {
			throw new IllegalStateException("request failed: " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", ex);
		}
	}

	/** A response with helpers for JSON bodies and headers. */
	public record Response(HttpResponse<String> raw) {

		public int status() {
			return this.raw.statusCode();
		}

		public String body() {
			return this.raw.body();
		}

		public JsonNode json() {
			return JSON.readTree(this.raw.body());
		}

		public String header(String name) {
			return this.raw.headers().firstValue(name).orElse(null);
		}

		public java.util.List<String> headers(String name) {
			return this.raw.headers().allValues(name);
		}

		public String contentType() {
			return header("Content-Type");
		}

		/**
		 * Cookies set by this response, by name, as their full {@code Set-Cookie} lines.
		 */
		public Map<String, String> setCookies() {
			Map<String, String> cookies = new LinkedHashMap<>();
			for (String line : headers("Set-Cookie")) {
				int eq = line.indexOf('=');
				if (eq > 0) {
					cookies.put(line.substring(0, eq).strip(), line);
				}
			}
			return cookies;
		}

		@Override
		public String toString() {
			return status() + " " + body();
		}

	}

}
