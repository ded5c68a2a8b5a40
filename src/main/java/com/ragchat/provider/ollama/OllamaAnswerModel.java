package com.ragchat.provider.ollama;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import com.ragchat.provider.support.HttpStatusFailure;
import com.ragchat.provider.support.ProviderFailures;
import com.ragchat.provider.support.Settings;
import com.ragchat.provider.support.SpringAiAnswerModel;
import com.ragchat.rag.GenerationRequest;
import com.ragchat.rag.ProviderException;

import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.ollama.OllamaChatModel;
import org.springframework.ai.ollama.api.OllamaApi;
import org.springframework.ai.ollama.api.OllamaChatOptions;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.http.client.reactive.JdkClientHttpConnector;
import org.springframework.web.client.ResponseErrorHandler;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;

/**
 * Ollama's chat API ({@code /api/chat}, NDJSON when streaming) through Spring AI's
 * {@link OllamaChatModel}, over the JDK HTTP client. Spring AI's retries are off and
 * models are never pulled implicitly.
 */
public final class OllamaAnswerModel extends SpringAiAnswerModel {

	private OllamaAnswerModel(OllamaChatModel chatModel, String model) {
		super(chatModel, "ollama", model);
	}

	public static OllamaAnswerModel create(String baseUrl, String model, Duration timeout) {
		Duration backstop = Settings.httpBackstop(timeout);
		HttpClient http = HttpClient.newBuilder()
			.connectTimeout(Duration.ofSeconds(10))
			.version(HttpClient.Version.HTTP_1_1)
			.build();
		JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(http);
		requestFactory.setReadTimeout(backstop);
		JdkClientHttpConnector connector = new JdkClientHttpConnector(http);
		connector.setReadTimeout(backstop);
		OllamaApi api = OllamaApi.builder()
			.baseUrl(Settings.stripTrailingSlash(baseUrl))
			.restClientBuilder(RestClient.builder().requestFactory(requestFactory))
			.webClientBuilder(WebClient.builder().clientConnector(connector))
			.responseErrorHandler(new StatusErrorHandler())
			.build();
		OllamaChatModel chatModel = OllamaChatModel.builder()
			.ollamaApi(api)
			.options(OllamaChatOptions.builder().model(model).build())
			.retryTemplate(new RetryTemplate(RetryPolicy.withMaxRetries(0)))
			.build();
		return new OllamaAnswerModel(chatModel, model);
	}

	@Override
	protected ChatOptions options(GenerationRequest request) {
		return OllamaChatOptions.builder()
			.model(model())
			.temperature(request.temperature())
			.numPredict(request.maxTokens())
			.build();
	}

	@Override
	protected @Nullable ProviderException mapFailure(Throwable failure, String operation) {
		if (failure instanceof WebClientResponseException response) {
			Duration retryAfter = ProviderFailures.retryAfter(response.getHeaders().getFirst("Retry-After"), null);
			return ProviderFailures.fromStatus(provider(), operation, response.getStatusCode().value(), retryAfter,
					null);
		}
		return null;
	}

	/** Turns an error status into a failure without reading the body into the message. */
	private static final class StatusErrorHandler implements ResponseErrorHandler {

		@Override
		public boolean hasError(ClientHttpResponse response) throws java.io.IOException {
			return response.getStatusCode().isError();
		}

		@Override
		public void handleError(URI url, HttpMethod method, ClientHttpResponse response) throws java.io.IOException {
			Duration retryAfter = ProviderFailures.retryAfter(response.getHeaders().getFirst("Retry-After"), null);
			throw new HttpStatusFailure(response.getStatusCode().value(), retryAfter);
		}

	}

}
