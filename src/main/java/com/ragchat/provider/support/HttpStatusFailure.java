package com.ragchat.provider.support;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * An HTTP error status from a provider, raised inside an HTTP client's error handler
 * where the operation is not known yet; {@link SpringAiAnswerModel} and the retrievers
 * turn it into a {@link com.ragchat.rag.ProviderException}. Carries no response body.
 */
public final class HttpStatusFailure extends RuntimeException {

	private final int status;

	private final @Nullable Duration retryAfter;

	public HttpStatusFailure(int status, @Nullable Duration retryAfter) {
		super("HTTP " + status);
		this.status = status;
		this.retryAfter = retryAfter;
	}

	public int status() {
		return this.status;
	}

	public @Nullable Duration retryAfter() {
		return this.retryAfter;
	}

}
