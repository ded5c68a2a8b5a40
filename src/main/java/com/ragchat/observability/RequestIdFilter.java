package com.ragchat.observability;

import java.io.IOException;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every request an id: the caller's {@code X-Request-ID} when it is a sane token,
 * otherwise a fresh UUID. The id goes back in the response header, into the logging
 * context ({@code request_id}) and into error bodies. Runs before everything else so that
 * even a request refused by security or rate limiting carries it.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class RequestIdFilter extends OncePerRequestFilter {

	static final String HEADER = "X-Request-ID";

	/** Logging context key; JSON log lines carry it as a field of the same name. */
	static final String MDC_KEY = "request_id";

	static final String ATTRIBUTE = RequestIdFilter.class.getName() + ".id";

	private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._@-]{1,128}");

	private static final Pattern UUID_SHAPE = Pattern
		.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String id = (request.getAttribute(ATTRIBUTE) instanceof String existing) ? existing
				: accept(request.getHeader(HEADER));
		request.setAttribute(ATTRIBUTE, id);
		if (!response.containsHeader(HEADER)) {
			response.setHeader(HEADER, id);
		}
		String previous = MDC.get(MDC_KEY);
		MDC.put(MDC_KEY, id);
		try {
			chain.doFilter(request, response);
		}
		finally {
			if (previous != null) {
				MDC.put(MDC_KEY, previous);
			}
			else {
				MDC.remove(MDC_KEY);
			}
		}
	}

	@Override
	protected boolean shouldNotFilterAsyncDispatch() {
		// Streaming responses come back on an async dispatch; keep the id in the log
		// context.
		return false;
	}

	@Override
	protected boolean shouldNotFilterErrorDispatch() {
		return false;
	}

	static String accept(@Nullable String incoming) {
		if (incoming == null) {
			return UUID.randomUUID().toString();
		}
		String candidate = incoming.strip();
		if (!ACCEPTED.matcher(candidate).matches()) {
			return UUID.randomUUID().toString();
		}
		return UUID_SHAPE.matcher(candidate).matches() ? candidate.toLowerCase(Locale.ROOT) : candidate;
	}

}
