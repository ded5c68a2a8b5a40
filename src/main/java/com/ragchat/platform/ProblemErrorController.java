package com.ragchat.platform;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Answers errors that happen outside a controller (a filter throwing, the container
 * rejecting a request) with the same problem shape as everything else. It replaces Spring
 * Boot's default error page, which would otherwise return its own JSON or HTML.
 */
@RestController
class ProblemErrorController implements ErrorController {

	private static final Logger logger = LoggerFactory.getLogger(ProblemErrorController.class);

	@RequestMapping("${server.error.path:/error}")
	ResponseEntity<ProblemDetail> error(HttpServletRequest request, HttpServletResponse response) {
		HttpStatus status = status(request);
		Object exception = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
		String detail;
		if (status == HttpStatus.INTERNAL_SERVER_ERROR && exception instanceof Throwable throwable
				&& DatabaseUnavailable.causes(throwable)) {
			// A filter (e.g. the token check) could not reach the database.
			logger.warn("Database unavailable on {}: {}", request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI),
					DatabaseUnavailable.rootCause(throwable));
			status = HttpStatus.SERVICE_UNAVAILABLE;
			detail = DatabaseUnavailable.DETAIL;
		}
		else if (status.is5xxServerError()) {
			if (exception instanceof Throwable throwable) {
				logger.error("Request failed outside a controller: {}",
						request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI), throwable);
			}
			detail = ProblemHandler.UNEXPECTED_DETAIL;
		}
		else if (status == HttpStatus.NOT_FOUND) {
			detail = "No such endpoint.";
		}
		else if (status == HttpStatus.BAD_REQUEST) {
			// E.g. the firewall refusing a path with ';' or an encoded '.'.
			detail = ProblemErrorReportValve.MALFORMED;
		}
		else {
			detail = status.getReasonPhrase();
		}
		ProblemDetail problem = ProblemResponses.complete(ProblemResponses.problem(status, detail), response);
		return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

	private static HttpStatus status(HttpServletRequest request) {
		Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
		if (code instanceof Integer value) {
			HttpStatus status = HttpStatus.resolve(value);
			if (status != null && status.isError()) {
				return status;
			}
		}
		return HttpStatus.INTERNAL_SERVER_ERROR;
	}

}
