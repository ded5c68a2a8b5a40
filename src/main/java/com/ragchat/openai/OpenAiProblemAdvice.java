package com.ragchat.openai;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

import com.ragchat.rag.ProviderException;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Errors of the OpenAI-compatible routes in OpenAI's shape ({@link OpenAiErrors});
 * ordered before the platform's problem handler, which answers everything else.
 */
@RestControllerAdvice(basePackageClasses = OpenAiController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class OpenAiProblemAdvice {

	private static final Logger logger = LoggerFactory.getLogger(OpenAiProblemAdvice.class);

	@ExceptionHandler(ChatCompletionRequest.InvalidRequest.class)
	ResponseEntity<ObjectNode> invalid(ChatCompletionRequest.InvalidRequest ex) {
		return error(HttpStatus.BAD_REQUEST,
				OpenAiErrors.body(ex.getMessage(), "invalid_request_error", ex.param(), "invalid_value"),
				new HttpHeaders());
	}

	@ExceptionHandler(ChatCompletionRequest.ModelNotFound.class)
	ResponseEntity<ObjectNode> unknownModel(ChatCompletionRequest.ModelNotFound ex) {
		return error(HttpStatus.NOT_FOUND,
				OpenAiErrors.body(ex.getMessage(), "invalid_request_error", "model", "model_not_found"),
				new HttpHeaders());
	}

	@ExceptionHandler({ HttpMessageNotReadableException.class, HttpMediaTypeNotSupportedException.class })
	ResponseEntity<ObjectNode> unreadable(Exception ex) {
		return error(HttpStatus.BAD_REQUEST, OpenAiErrors.body("The request body must be a JSON object.",
				"invalid_request_error", null, "invalid_json"), new HttpHeaders());
	}

	@ExceptionHandler(ProviderException.class)
	ResponseEntity<ObjectNode> providerFailed(ProviderException ex) {
		logger.warn("Completion failed: {} {} {}: {}", ex.provider(), ex.operation(), ex.kind().reason(),
				ex.getMessage());
		HttpHeaders headers = new HttpHeaders();
		Duration retryAfter = ex.retryAfter();
		if (retryAfter != null) {
			headers.set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, (retryAfter.toMillis() + 999) / 1000)));
		}
		return error(HttpStatus.valueOf(ex.kind().httpStatus()), OpenAiErrors
			.body("The answer service failed (" + ex.kind().reason() + ").", "api_error", null, ex.kind().reason()),
				headers);
	}

	private static ResponseEntity<ObjectNode> error(HttpStatus status, ObjectNode body, HttpHeaders headers) {
		return ResponseEntity.status(status).headers(headers).contentType(MediaType.APPLICATION_JSON).body(body);
	}

}
