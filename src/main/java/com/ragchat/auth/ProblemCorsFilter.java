package com.ragchat.auth;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import com.ragchat.platform.ProblemResponses;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.DefaultCorsProcessor;
import org.springframework.web.filter.CorsFilter;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Spring's CORS filter with refusals the web client can show: a cross-origin request
 * whose origin, method or headers are not allowed gets a 403 problem (Spring's own answer
 * is a plain-text "Invalid CORS request"), and an {@code Origin} header that is not an
 * origin at all gets a 400 problem instead of an exception from Spring's parser.
 */
final class ProblemCorsFilter extends CorsFilter {

	static final String REFUSED = "This cross-origin request is not allowed: its origin, method or headers are not "
			+ "accepted by the API.";

	static final String MALFORMED_ORIGIN = "The Origin header is malformed.";

	ProblemCorsFilter(CorsConfigurationSource source) {
		super(source);
		setCorsProcessor(new ProblemCorsProcessor());
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String origin = request.getHeader(HttpHeaders.ORIGIN);
		if (origin != null && !parses(origin)) {
			ProblemResponses.write(response, ProblemResponses.problem(HttpStatus.BAD_REQUEST, MALFORMED_ORIGIN));
			return;
		}
		super.doFilterInternal(request, response, chain);
	}

	/**
	 * Whether Spring's CORS code can read {@code origin}: it parses the header as a URI
	 * and throws on what it cannot (a bad port, an unclosed IPv6 bracket).
	 */
	static boolean parses(String origin) {
		try {
			UriComponentsBuilder.fromUriString(origin).build().getPort();
			return true;
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	private static final class ProblemCorsProcessor extends DefaultCorsProcessor {

		@Override
		protected void rejectRequest(ServerHttpResponse response) throws IOException {
			if (response instanceof ServletServerHttpResponse servlet) {
				ProblemResponses.write(servlet.getServletResponse(),
						ProblemResponses.problem(HttpStatus.FORBIDDEN, REFUSED));
			}
			else {
				super.rejectRequest(response);
			}
		}

	}

}
