package com.ragchat.provider.openai;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import com.openai.azure.AzureOpenAIServiceVersion;
import com.openai.errors.OpenAIServiceException;
import org.jspecify.annotations.Nullable;

import com.ragchat.provider.support.ProviderFailures;
import com.ragchat.provider.support.Settings;
import com.ragchat.provider.support.SpringAiAnswerModel;
import com.ragchat.rag.GenerationRequest;
import com.ragchat.rag.ProviderException;

import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.ai.openai.http.okhttp.OpenAiHttpClientBuilderCustomizer;

/**
 * The OpenAI chat-completions API through Spring AI's {@link OpenAiChatModel} (the
 * official OpenAI Java SDK underneath): OpenAI itself, an OpenAI-compatible server, or an
 * Azure OpenAI deployment. The SDK's own retries are off: the resilience layer retries.
 */
public final class OpenAiAnswerModel extends SpringAiAnswerModel {

	/**
	 * How much longer than the call's timeout a read may wait; see {@link #readLimit}.
	 */
	private static final Duration READ_TIMEOUT_MARGIN = Duration.ofSeconds(1);

	private final UnaryOperator<OpenAiChatOptions.Builder> connection;

	private OpenAiAnswerModel(String provider, String model, Duration timeout,
			UnaryOperator<OpenAiChatOptions.Builder> connection) {
		super(OpenAiChatModel.builder()
			.options(connection.apply(OpenAiChatOptions.builder()).build())
			.httpClientBuilderCustomizer(readLimit(timeout))
			.build(), provider, model);
		this.connection = connection;
	}

	/**
	 * Socket reads give up shortly after the call's own timeout. Abandoning a call (the
	 * timeout fired, the client left) does not abort a read already waiting for a silent
	 * server: without this limit such a read, its thread and its connection would stay
	 * until the HTTP client's backstop, ten minutes later, and enough of them would fill
	 * the client's limit of concurrent requests. A healthy stream is never silent that
	 * long: the resilience layer fails it first.
	 */
	private static OpenAiHttpClientBuilderCustomizer readLimit(Duration timeout) {
		int millis = (int) Math.min(Integer.MAX_VALUE, timeout.plus(READ_TIMEOUT_MARGIN).toMillis());
		return (http) -> http
			.interceptor((chain) -> chain.withReadTimeout(millis, TimeUnit.MILLISECONDS).proceed(chain.request()));
	}

	/**
	 * OpenAI, or any server speaking its API at {@code baseUrl}.
	 * @param apiKey the key; empty for a server that needs none
	 */
	public static OpenAiAnswerModel openAi(@Nullable String baseUrl, @Nullable String apiKey, String model,
			Duration timeout) {
		String url = Settings.present(baseUrl) ? Settings.stripTrailingSlash(baseUrl) : "https://api.openai.com/v1";
		String key = Settings.present(apiKey) ? apiKey : "";
		return new OpenAiAnswerModel("openai", model, timeout,
				(builder) -> builder.baseUrl(url)
					.apiKey(key)
					.model(model)
					// The official client would otherwise guess Azure from some URLs.
					.microsoftFoundry(false)
					.timeout(Settings.httpBackstop(timeout))
					.maxRetries(0)
					.streamUsage(true));
	}

	/**
	 * An Azure OpenAI deployment: {@code <endpoint>/openai/deployments/<deployment>/…}
	 * with the {@code api-key} header.
	 */
	public static OpenAiAnswerModel azure(String endpoint, String apiKey, String deployment, String apiVersion,
			Duration timeout) {
		String url = Settings.stripTrailingSlash(endpoint);
		return new OpenAiAnswerModel("azure", deployment, timeout,
				(builder) -> builder.baseUrl(url)
					.apiKey(apiKey)
					.microsoftFoundry(true)
					.deploymentName(deployment)
					.model(deployment)
					.microsoftFoundryServiceVersion(AzureOpenAIServiceVersion.fromString(apiVersion))
					.timeout(Settings.httpBackstop(timeout))
					.maxRetries(0)
					.streamUsage(true));
	}

	@Override
	protected ChatOptions options(GenerationRequest request) {
		return this.connection.apply(OpenAiChatOptions.builder())
			.temperature(request.temperature())
			.maxTokens(request.maxTokens())
			.build();
	}

	@Override
	protected @Nullable ProviderException mapFailure(Throwable failure, String operation) {
		if (failure instanceof OpenAIServiceException service && service.statusCode() > 0) {
			Duration retryAfter = ProviderFailures.retryAfter(
					ProviderFailures.first(service.headers().values("retry-after")),
					ProviderFailures.first(service.headers().values("retry-after-ms")));
			return ProviderFailures.fromStatus(provider(), operation, service.statusCode(), retryAfter, null);
		}
		return null;
	}

}
