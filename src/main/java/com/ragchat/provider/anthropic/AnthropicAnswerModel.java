package com.ragchat.provider.anthropic;

import java.time.Duration;

import com.anthropic.errors.AnthropicServiceException;
import org.jspecify.annotations.Nullable;

import com.ragchat.provider.support.ProviderFailures;
import com.ragchat.provider.support.Settings;
import com.ragchat.provider.support.SpringAiAnswerModel;
import com.ragchat.rag.GenerationRequest;
import com.ragchat.rag.ProviderException;

import org.springframework.ai.anthropic.AnthropicChatModel;
import org.springframework.ai.anthropic.AnthropicChatOptions;
import org.springframework.ai.chat.prompt.ChatOptions;

/**
 * Anthropic's messages API and its event stream through Spring AI's
 * {@link AnthropicChatModel}. The SDK's own retries are off: the resilience layer
 * retries.
 */
public final class AnthropicAnswerModel extends SpringAiAnswerModel {

	private final String baseUrl;

	private final String apiKey;

	private final Duration httpTimeout;

	private AnthropicAnswerModel(String baseUrl, String apiKey, String model, Duration httpTimeout) {
		super(AnthropicChatModel.builder().options(connection(baseUrl, apiKey, model, httpTimeout).build()).build(),
				"anthropic", model);
		this.baseUrl = baseUrl;
		this.apiKey = apiKey;
		this.httpTimeout = httpTimeout;
	}

	/**
	 * @param baseUrl empty for Anthropic itself
	 */
	public static AnthropicAnswerModel create(@Nullable String baseUrl, String apiKey, String model, Duration timeout) {
		String url = Settings.present(baseUrl) ? Settings.stripTrailingSlash(baseUrl) : "https://api.anthropic.com";
		return new AnthropicAnswerModel(url, apiKey, model, Settings.httpBackstop(timeout));
	}

	private static AnthropicChatOptions.Builder connection(String baseUrl, String apiKey, String model,
			Duration httpTimeout) {
		return AnthropicChatOptions.builder()
			.baseUrl(baseUrl)
			.apiKey(apiKey)
			.model(model)
			.timeout(httpTimeout)
			.maxRetries(0);
	}

	@Override
	protected ChatOptions options(GenerationRequest request) {
		return connection(this.baseUrl, this.apiKey, model(), this.httpTimeout).temperature(request.temperature())
			.maxTokens(request.maxTokens())
			.build();
	}

	@Override
	protected @Nullable ProviderException mapFailure(Throwable failure, String operation) {
		if (failure instanceof AnthropicServiceException service && service.statusCode() > 0) {
			Duration retryAfter = ProviderFailures.retryAfter(
					ProviderFailures.first(service.headers().values("retry-after")),
					ProviderFailures.first(service.headers().values("retry-after-ms")));
			return ProviderFailures.fromStatus(provider(), operation, service.statusCode(), retryAfter, null);
		}
		return null;
	}

}
