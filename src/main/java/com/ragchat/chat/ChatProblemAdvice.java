package com.ragchat.chat;

import java.time.Duration;

import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.ragchat.platform.ProblemResponses;
import com.ragchat.rag.ProviderException;
import com.ragchat.rag.WebResearchDisabledException;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The chat feature's problems. A failing model or retriever behind a buffered chat route
 * becomes 502, 503 or 504 (API.md §4) with a detail written for the user and
 * {@code Retry-After} when the provider said when to come back; the provider's own
 * message stays in the log. A missing session or message is 404, another user's is 403
 * ({@link ChatRefusals}), web research while it is off is 400. Ordered first, because the
 * platform's catch-all for {@code Exception} would otherwise answer 500.
 */
@RestControllerAdvice(basePackageClasses = ChatController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class ChatProblemAdvice {

	private static final Logger logger = LoggerFactory.getLogger(ChatProblemAdvice.class);

	@ExceptionHandler(ProviderException.class)
	ResponseEntity<ProblemDetail> providerFailed(ProviderException ex, HttpServletResponse response) {
		logger.warn("Chat failed: {} {} {}: {}", ex.provider(), ex.operation(), ex.kind().reason(), ex.getMessage());
		HttpStatus status = HttpStatus.valueOf(ex.kind().httpStatus());
		ProblemDetail problem = ProblemResponses.problem(status, detail(ex.kind()));
		problem.setProperty("code", ex.kind().reason());
		ProblemResponses.complete(problem, response);
		ResponseEntity.BodyBuilder builder = ResponseEntity.status(status)
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		Duration retryAfter = ex.retryAfter();
		if (retryAfter != null) {
			// Whole seconds, rounded up, at least one: what HTTP clients understand.
			long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
			builder.header(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
		}
		return builder.body(problem);
	}

	@ExceptionHandler({ ChatRefusals.SessionNotFound.class, ChatRefusals.MessageNotFound.class })
	ResponseEntity<ProblemDetail> notFound(ChatRefusals.Refusal refusal, HttpServletResponse response) {
		return problem(HttpStatus.NOT_FOUND, refusal.getMessage(), response);
	}

	@ExceptionHandler({ ChatRefusals.ForeignSession.class, ChatRefusals.ForeignMessage.class })
	ResponseEntity<ProblemDetail> forbidden(ChatRefusals.Refusal refusal, HttpServletResponse response) {
		return problem(HttpStatus.FORBIDDEN, refusal.getMessage(), response);
	}

	@ExceptionHandler(WebResearchDisabledException.class)
	ResponseEntity<ProblemDetail> webResearchDisabled(HttpServletResponse response) {
		return problem(HttpStatus.BAD_REQUEST, ChatController.WEB_DISABLED, response);
	}

	private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String detail,
			HttpServletResponse response) {
		ProblemDetail problem = ProblemResponses.complete(ProblemResponses.problem(status, detail), response);
		return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

	static String detail(ProviderException.Kind kind) {
		return switch (kind) {
			case TIMEOUT -> "The answer service took too long to respond. Please try again.";
			case RATE_LIMITED -> "The answer service is busy right now. Please retry shortly.";
			case UNAVAILABLE -> "The answer service is temporarily unavailable. Please try again later.";
			case REJECTED, AUTH, OTHER -> "The answer service could not process this request.";
		};
	}

}
