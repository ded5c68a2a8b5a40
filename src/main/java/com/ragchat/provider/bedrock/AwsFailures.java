package com.ragchat.provider.bedrock;

import java.time.Duration;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;

import com.ragchat.provider.support.ProviderFailures;
import com.ragchat.rag.ProviderException;
import com.ragchat.rag.ProviderException.Kind;

/**
 * Maps AWS SDK failures to {@link ProviderException} kinds, by the service's error code
 * first (Bedrock reports throttling of a stream as an exception event, without a status)
 * and by HTTP status otherwise.
 */
final class AwsFailures {

	private static final Set<String> AUTH = Set.of("AccessDeniedException", "UnrecognizedClientException",
			"InvalidSignatureException", "ExpiredTokenException", "MissingAuthenticationTokenException",
			"IncompleteSignatureException");

	private static final Set<String> THROTTLED = Set.of("ThrottlingException", "ServiceQuotaExceededException",
			"ModelNotReadyException", "TooManyRequestsException");

	private static final Set<String> UNAVAILABLE = Set.of("ServiceUnavailableException", "InternalServerException",
			"ModelStreamErrorException", "ModelErrorException");

	private AwsFailures() {
	}

	static ProviderException map(String provider, String operation, Throwable failure) {
		for (Throwable t = failure; t != null; t = t.getCause()) {
			if (t instanceof ProviderException provided) {
				return provided;
			}
			if (t instanceof ApiCallTimeoutException || t instanceof ApiCallAttemptTimeoutException) {
				return new ProviderException(provider, operation, Kind.TIMEOUT, null,
						provider + " " + operation + " timed out", null);
			}
			if (t instanceof AwsServiceException service) {
				return fromService(provider, operation, service);
			}
		}
		return ProviderFailures.fromThrowable(provider, operation, failure);
	}

	private static ProviderException fromService(String provider, String operation, AwsServiceException service) {
		String code = (service.awsErrorDetails() != null) ? service.awsErrorDetails().errorCode() : null;
		int status = service.statusCode();
		Duration retryAfter = (service.awsErrorDetails() != null && service.awsErrorDetails().sdkHttpResponse() != null)
				? ProviderFailures.retryAfter(
						service.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("Retry-After").orElse(null),
						null)
				: null;
		Kind kind = kindOf(code, status);
		String label = provider + " " + operation + " failed: " + ((code != null) ? code : "HTTP " + status);
		return new ProviderException(provider, operation, kind, retryAfter, label, null);
	}

	private static Kind kindOf(@Nullable String code, int status) {
		if (code != null) {
			if (AUTH.contains(code)) {
				return Kind.AUTH;
			}
			if (THROTTLED.contains(code)) {
				return Kind.RATE_LIMITED;
			}
			if (UNAVAILABLE.contains(code)) {
				return Kind.UNAVAILABLE;
			}
			if ("ModelTimeoutException".equals(code)) {
				return Kind.TIMEOUT;
			}
		}
		return (status > 0) ? ProviderFailures.kindOf(status) : Kind.OTHER;
	}

}
