package com.ragchat.platform;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a body labelled with a media-type pattern ({@code *}{@code /*},
 * {@code application/*}) with a 415 problem. Such a {@code Content-Type} parses, but
 * Spring refuses to hold it as a request's type and throws where a controller reads the
 * body, which would otherwise surface as a 500. Unparseable types are left to Spring MVC,
 * which answers them 415 itself.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 11)
class ContentTypeFilter extends OncePerRequestFilter {

	static final String PATTERN_DETAIL = "The Content-Type header must name one media type, such as application/json,"
			+ " not a pattern.";

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (isPattern(request.getContentType()) && hasBody(request)) {
			ProblemResponses.write(response,
					ProblemResponses.problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, PATTERN_DETAIL));
			return;
		}
		chain.doFilter(request, response);
	}

	static boolean isPattern(String contentType) {
		if (contentType == null) {
			return false;
		}
		try {
			MediaType type = MediaType.parseMediaType(contentType);
			return type.isWildcardType() || type.isWildcardSubtype();
		}
		catch (InvalidMediaTypeException ex) {
			return false;
		}
	}

	private static boolean hasBody(HttpServletRequest request) {
		return request.getContentLengthLong() > 0 || request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
	}

}
