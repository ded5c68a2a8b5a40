package com.ragchat.platform;

import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

import org.springframework.beans.TypeMismatchException;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Turns every exception a controller lets escape into an RFC 9457 problem. Client
 * mistakes get a 4xx with a detail written for the user; anything unexpected gets a 500
 * whose detail says nothing about the cause (the log has it, under the same request id).
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(ProblemHandler.class);

	static final String UNEXPECTED_DETAIL = "An unexpected error occurred. If it persists, report it with the request id.";

	/**
	 * Anything not handled more specifically: log it in full, tell the client nothing. A
	 * database that cannot be reached is a 503 the client may retry.
	 */
	@ExceptionHandler(Exception.class)
	ResponseEntity<Object> handleUnexpected(Exception ex, WebRequest request) {
		if (DatabaseUnavailable.causes(ex)) {
			logger.warn("Database unavailable on {}: {}", describe(request), DatabaseUnavailable.rootCause(ex));
			ProblemDetail problem = ProblemResponses.problem(HttpStatus.SERVICE_UNAVAILABLE,
					DatabaseUnavailable.DETAIL);
			return createResponseEntity(problem, new HttpHeaders(), HttpStatus.SERVICE_UNAVAILABLE, request);
		}
		logger.error("Unhandled exception on {}", describe(request), ex);
		ProblemDetail problem = ProblemResponses.problem(HttpStatus.INTERNAL_SERVER_ERROR, UNEXPECTED_DETAIL);
		return createResponseEntity(problem, new HttpHeaders(), HttpStatus.INTERNAL_SERVER_ERROR, request);
	}

	/**
	 * Query or form parameters the container could not decode (bad percent-encoding,
	 * bytes that are not UTF-8, a form over the size limit): the client's mistake, with
	 * the status the container chose (400 or 413).
	 */
	@ExceptionHandler(InvalidParameterException.class)
	ResponseEntity<Object> handleInvalidParameters(InvalidParameterException ex, WebRequest request) {
		HttpStatus status = HttpStatus.resolve(ex.getErrorCode());
		if (status == null || !status.is4xxClientError()) {
			status = HttpStatus.BAD_REQUEST;
		}
		String detail = (status == HttpStatus.CONTENT_TOO_LARGE) ? "The form data is too large."
				: "The request's parameters cannot be read: use percent-encoded UTF-8.";
		return handleExceptionInternal(ex, ProblemResponses.problem(status, detail), new HttpHeaders(), status,
				request);
	}

	/**
	 * A multipart body that cannot be parsed (no boundary, cut off, malformed). Sizes
	 * over the limit are {@code MaxUploadSizeExceededException}, answered 413 by the base
	 * class.
	 */
	@ExceptionHandler(MultipartException.class)
	ResponseEntity<Object> handleMalformedMultipart(MultipartException ex, WebRequest request) {
		return handleExceptionInternal(ex,
				ProblemResponses.problem(HttpStatus.BAD_REQUEST, "The multipart request body is malformed."),
				new HttpHeaders(), HttpStatus.BAD_REQUEST, request);
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<Map<String, String>> errors = new ArrayList<>();
		for (FieldError error : ex.getBindingResult().getFieldErrors()) {
			errors.add(fieldError(snakeCase(error.getField()), message(error)));
		}
		ex.getBindingResult()
			.getGlobalErrors()
			.forEach((error) -> errors.add(fieldError(error.getObjectName(), message(error))));
		return validationProblem(errors, headers, request);
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleHandlerMethodValidationException(
			HandlerMethodValidationException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<Map<String, String>> errors = new ArrayList<>();
		ex.getParameterValidationResults().forEach((result) -> {
			String name = result.getMethodParameter().getParameterName();
			result.getResolvableErrors()
				.forEach((error) -> errors
					.add(fieldError((name != null) ? snakeCase(name) : "parameter", message(error))));
		});
		return validationProblem(errors, headers, request);
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		Throwable cause = ex.getMostSpecificCause();
		List<Map<String, String>> errors = new ArrayList<>();
		String detail;
		if (cause instanceof CharacterCodingException) {
			detail = "The request body is not valid UTF-8.";
		}
		else if (cause instanceof UnrecognizedPropertyException unknown) {
			detail = "Unknown field '" + unknown.getPropertyName() + "' in the request body.";
			errors.add(fieldError(unknown.getPropertyName(), "is not a known field"));
		}
		else if (cause instanceof InvalidFormatException || cause instanceof MismatchedInputException) {
			String field = fieldPath((DatabindException) cause);
			if (field.isEmpty()) {
				detail = "The request body does not have the expected shape (a JSON object).";
			}
			else {
				detail = "Field '" + field + "' has the wrong type.";
				errors.add(fieldError(field, "has the wrong type"));
			}
		}
		else if (cause instanceof StreamConstraintsException) {
			detail = "The request body is too large or too deeply nested.";
		}
		else if (cause instanceof JacksonException) {
			detail = "The request body is not valid JSON.";
		}
		else {
			detail = "The request body is missing or cannot be read.";
		}
		ProblemDetail problem = ProblemResponses.problem(HttpStatus.UNPROCESSABLE_CONTENT, detail);
		if (!errors.isEmpty()) {
			problem.setProperty("errors", errors);
		}
		return handleExceptionInternal(ex, problem, headers, HttpStatus.UNPROCESSABLE_CONTENT, request);
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
			HttpStatusCode status, WebRequest request) {
		String name = (ex instanceof MethodArgumentTypeMismatchException mismatch) ? mismatch.getName()
				: ex.getPropertyName();
		String field = (name != null) ? snakeCase(name) : "parameter";
		String expected = (ex.getRequiredType() != null) ? describeType(ex.getRequiredType()) : "a valid value";
		List<Map<String, String>> errors = List.of(fieldError(field, "must be " + expected));
		ProblemDetail problem = ProblemResponses.problem(HttpStatus.UNPROCESSABLE_CONTENT,
				"Invalid value for '" + field + "': must be " + expected + ".");
		problem.setProperty("errors", errors);
		return handleExceptionInternal(ex, problem, headers, HttpStatus.UNPROCESSABLE_CONTENT, request);
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleMissingServletRequestParameter(
			MissingServletRequestParameterException ex, HttpHeaders headers, HttpStatusCode status,
			WebRequest request) {
		return validationProblem(List.of(fieldError(ex.getParameterName(), "is required")), headers, request);
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleNoHandlerFoundException(NoHandlerFoundException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		return notFound(ex, headers, request);
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleNoResourceFoundException(NoResourceFoundException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		return notFound(ex, headers, request);
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleExceptionInternal(Exception ex, @Nullable Object body,
			HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
		if (statusCode.is5xxServerError() && !(ex instanceof ResponseStatusException)) {
			// Framework 5xx (for example a response that could not be written): keep the
			// cause in the log and out of the body. A ResponseStatusException is our own
			// code saying something deliberate (e.g. 503 "not configured"): its detail
			// stays.
			logger.error("Request failed on {}", describe(request), ex);
			body = ProblemResponses.problem(statusCode, UNEXPECTED_DETAIL);
		}
		return super.handleExceptionInternal(ex, body, headers, statusCode, request);
	}

	@Override
	protected ResponseEntity<Object> createResponseEntity(@Nullable Object body, HttpHeaders headers,
			HttpStatusCode statusCode, WebRequest request) {
		if (body instanceof ProblemDetail problem) {
			ProblemResponses.complete(problem, response(request));
		}
		return super.createResponseEntity(body, headers, statusCode, request);
	}

	private ResponseEntity<Object> notFound(Exception ex, HttpHeaders headers, WebRequest request) {
		ProblemDetail problem = ProblemResponses.problem(HttpStatus.NOT_FOUND, "No such endpoint.");
		return handleExceptionInternal(ex, problem, headers, HttpStatus.NOT_FOUND, request);
	}

	private ResponseEntity<Object> validationProblem(List<Map<String, String>> errors, HttpHeaders headers,
			WebRequest request) {
		String detail;
		if (errors.isEmpty()) {
			detail = "The request is invalid.";
		}
		else {
			Map<String, String> first = errors.get(0);
			detail = "Invalid request: " + first.get("field") + " " + first.get("message")
					+ ((errors.size() > 1) ? " (and " + (errors.size() - 1) + " more)" : "") + ".";
		}
		ProblemDetail problem = ProblemResponses.problem(HttpStatus.UNPROCESSABLE_CONTENT, detail);
		problem.setProperty("errors", errors);
		return createResponseEntity(problem, headers, HttpStatus.UNPROCESSABLE_CONTENT, request);
	}

	private static Map<String, String> fieldError(String field, String message) {
		Map<String, String> error = new LinkedHashMap<>();
		error.put("field", field);
		error.put("message", message);
		return error;
	}

	private static String message(MessageSourceResolvable error) {
		String message = error.getDefaultMessage();
		return (message != null) ? message : "is invalid";
	}

	private static String fieldPath(DatabindException ex) {
		StringBuilder path = new StringBuilder();
		for (var reference : ex.getPath()) {
			if (reference.getPropertyName() != null) {
				if (!path.isEmpty()) {
					path.append('.');
				}
				path.append(reference.getPropertyName());
			}
			else if (reference.getIndex() >= 0) {
				path.append('[').append(reference.getIndex()).append(']');
			}
		}
		return path.toString();
	}

	private static String describeType(Class<?> type) {
		if (type == Long.class || type == long.class || type == Integer.class || type == int.class) {
			return "an integer";
		}
		if (type == Boolean.class || type == boolean.class) {
			return "true or false";
		}
		if (type.isEnum()) {
			return "one of the allowed values";
		}
		return "a valid value";
	}

	/** Java property names to the API's snake_case, as the JSON mapper writes them. */
	static String snakeCase(String name) {
		StringBuilder out = new StringBuilder(name.length() + 4);
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			if (Character.isUpperCase(c)) {
				if (i > 0) {
					out.append('_');
				}
				out.append(Character.toLowerCase(c));
			}
			else {
				out.append(c);
			}
		}
		return out.toString();
	}

	private static @Nullable HttpServletResponse response(WebRequest request) {
		return (request instanceof ServletWebRequest servlet) ? servlet.getResponse() : null;
	}

	private static String describe(WebRequest request) {
		if (request instanceof ServletWebRequest servlet) {
			return servlet.getRequest().getMethod() + " " + servlet.getRequest().getRequestURI();
		}
		return request.getDescription(false);
	}

}
