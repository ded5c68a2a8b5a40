package com.ragchat.auth;

import jakarta.servlet.http.HttpServletResponse;

import com.ragchat.platform.ProblemResponses;

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
 * The accounts feature's refusals as problems (API.md §3.2): the status is decided here,
 * the detail is the refusal's message. A 401 carries the {@code WWW-Authenticate: Bearer}
 * challenge. Ordered first, because the platform's catch-all for {@code Exception} would
 * otherwise answer 500.
 */
@RestControllerAdvice(basePackageClasses = AuthController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class AuthProblemAdvice {

	@ExceptionHandler({ AccountRefusals.UsernameTaken.class, AccountRefusals.EmailTaken.class,
			AccountRefusals.NoPasswordToChange.class, AccountRefusals.WrongCurrentPassword.class,
			AccountRefusals.InvalidHandoffCode.class })
	ResponseEntity<ProblemDetail> badRequest(AccountRefusals.Refusal refusal, HttpServletResponse response) {
		return problem(HttpStatus.BAD_REQUEST, refusal, response, new HttpHeaders());
	}

	@ExceptionHandler({ AccountRefusals.IncorrectCredentials.class, AccountRefusals.AccountGone.class })
	ResponseEntity<ProblemDetail> unauthenticated(AccountRefusals.Refusal refusal, HttpServletResponse response) {
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
		return problem(HttpStatus.UNAUTHORIZED, refusal, response, headers);
	}

	@ExceptionHandler(AccountRefusals.EmailBelongsToAnotherAccount.class)
	ResponseEntity<ProblemDetail> conflict(AccountRefusals.Refusal refusal, HttpServletResponse response) {
		return problem(HttpStatus.CONFLICT, refusal, response, new HttpHeaders());
	}

	@ExceptionHandler(AccountRefusals.SignInThrottled.class)
	ResponseEntity<ProblemDetail> throttled(AccountRefusals.SignInThrottled refusal, HttpServletResponse response) {
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.RETRY_AFTER, Long.toString(refusal.retryAfterSeconds()));
		return problem(HttpStatus.TOO_MANY_REQUESTS, refusal, response, headers);
	}

	@ExceptionHandler(AccountRefusals.KeyCannotManageKeys.class)
	ResponseEntity<ProblemDetail> forbidden(AccountRefusals.Refusal refusal, HttpServletResponse response) {
		return problem(HttpStatus.FORBIDDEN, refusal, response, new HttpHeaders());
	}

	@ExceptionHandler({ AccountRefusals.UnknownOAuthProvider.class, AccountRefusals.UnknownApiKey.class })
	ResponseEntity<ProblemDetail> notFound(AccountRefusals.Refusal refusal, HttpServletResponse response) {
		return problem(HttpStatus.NOT_FOUND, refusal, response, new HttpHeaders());
	}

	private static ResponseEntity<ProblemDetail> problem(HttpStatus status, AccountRefusals.Refusal refusal,
			HttpServletResponse response, HttpHeaders headers) {
		ProblemDetail body = ProblemResponses.complete(ProblemResponses.problem(status, refusal.getMessage()),
				response);
		return ResponseEntity.status(status)
			.headers(headers)
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(body);
	}

}
