package com.ragchat.platform;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses bodies larger than {@code MAX_REQUEST_BODY} before anything reads them.
 * Multipart uploads have their own, larger limit (the knowledge base's upload size).
 * Bodies sent without a length are bounded by the JSON parser's document-size limit
 * instead.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class RequestSizeLimitFilter extends OncePerRequestFilter {

	private final long maxBytes;

	RequestSizeLimitFilter(PlatformProperties properties) {
		this.maxBytes = properties.maxRequestBody().toBytes();
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String contentType = request.getContentType();
		boolean multipart = contentType != null && contentType.toLowerCase().startsWith("multipart/");
		if (!multipart && request.getContentLengthLong() > this.maxBytes) {
			// The unread body would otherwise be drained by the container; close instead.
			response.setHeader("Connection", "close");
			ProblemResponses.write(response, ProblemResponses.problem(HttpStatus.CONTENT_TOO_LARGE,
					"The request body is too large (at most " + this.maxBytes + " bytes)."));
			return;
		}
		chain.doFilter(request, response);
	}

}
