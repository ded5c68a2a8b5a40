package com.ragchat.auth;

import jakarta.servlet.http.HttpServletResponse;

import com.ragchat.platform.ProblemResponses;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The role API's refusals as problems: an unknown user (404), the last admin (409). */
@RestControllerAdvice(assignableTypes = AdminUsersController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class AdminUsersProblemAdvice {

	@ExceptionHandler(AccountService.UnknownAccountException.class)
	ResponseEntity<ProblemDetail> unknownAccount(HttpServletResponse response) {
		return problem(HttpStatus.NOT_FOUND, "User not found", response);
	}

	@ExceptionHandler(AccountService.LastAdminException.class)
	ResponseEntity<ProblemDetail> lastAdmin(HttpServletResponse response) {
		return problem(HttpStatus.CONFLICT,
				"You are the last admin: make another user admin before giving up the role.", response);
	}

	private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String detail,
			HttpServletResponse response) {
		ProblemDetail problem = ProblemResponses.complete(ProblemResponses.problem(status, detail), response);
		return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

}
