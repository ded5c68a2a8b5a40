package com.ragchat.provider.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import com.ragchat.rag.ProviderException;

/**
 * A JSON POST to a provider, with its failures mapped as every adapter maps them: an
 * error status by {@link ProviderFailures#fromStatus} (with the provider's wait hint), a
 * time-out or broken connection by {@link ProviderFailures#fromThrowable}, unreadable
 * JSON as {@link ProviderException.Kind#OTHER}. Never puts a response body or a key in a
 * message.
 */
public final class JsonHttp {

	/** The mapper adapters build request bodies with. */
	public static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http;

	private final String provider;

	private final String operation;

	private final Duration timeout;

	/**
	 * @param timeout longest a request may take ({@code PROVIDER_TIMEOUT_SECONDS})
	 */
	public JsonHttp(String provider, String operation, Duration timeout) {
		this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
		this.provider = provider;
		this.operation = operation;
		this.timeout = timeout;
	}

	/** POSTs {@code body} with {@code headers}; the parsed answer of a 2xx status. */
	public JsonNode post(URI uri, Map<String, String> headers, JsonNode body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri)
			.timeout(this.timeout)
			.header("Content-Type", "application/json")
			.header("Accept", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
		headers.forEach(request::header);
		HttpResponse<String> response;
		try {
			response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ProviderException(this.provider, this.operation, ProviderException.Kind.OTHER, null,
					this.provider + " " + this.operation + " interrupted", ex);
		}
		catch (IOException ex) {
			throw ProviderFailures.fromThrowable(this.provider, this.operation, ex);
		}
		int status = response.statusCode();
		if (status < 200 || status >= 300) {
			throw ProviderFailures.fromStatus(this.provider, this.operation, status,
					ProviderFailures.retryAfter(response.headers().firstValue("Retry-After").orElse(null),
							response.headers().firstValue("retry-after-ms").orElse(null)),
					null);
		}
		try {
			return JSON.readTree(response.body());
		}
		catch (JacksonException ex) {
			throw new ProviderException(this.provider, this.operation, ProviderException.Kind.OTHER, null,
					this.provider + " answered with unreadable JSON", null);
		}
	}

	/** A JSON array of numbers as floats; empty when {@code node} is not one. */
	public static float[] floats(JsonNode node) {
		if (!node.isArray()) {
			return new float[0];
		}
		float[] values = new float[node.size()];
		for (int i = 0; i < values.length; i++) {
			JsonNode value = node.get(i);
			if (!value.isNumber()) {
				return new float[0];
			}
			values[i] = value.floatValue();
		}
		return values;
	}

}
