package com.ragchat.observability;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.RequestPath;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * The route template of a request ({@code /api/chat/sessions/{id}}), for metric labels: a
 * raw URL would give every session id its own time series.
 * <p>
 * Requests the dispatcher routed carry their template already. Requests refused before
 * routing (401 from security, 429 from rate limiting) are matched here against the
 * templates of all controllers and actuator endpoints, ignoring the method; anything that
 * matches none is {@link #UNMATCHED}, one label value for all unknown paths.
 */
@Component
class RouteTemplates {

	/** Label value of requests whose path matches no route. */
	static final String UNMATCHED = "UNMATCHED";

	private final ObjectProvider<RequestMappingInfoHandlerMapping> handlerMappings;

	private volatile List<PathPattern> patterns;

	RouteTemplates(ObjectProvider<RequestMappingInfoHandlerMapping> handlerMappings) {
		this.handlerMappings = handlerMappings;
	}

	String resolve(HttpServletRequest request) {
		Object best = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
		if (best instanceof PathPattern pattern) {
			return pattern.getPatternString();
		}
		if (best instanceof String pattern && !pattern.isEmpty()) {
			return pattern;
		}
		return match(request);
	}

	private String match(HttpServletRequest request) {
		PathContainer path;
		try {
			path = RequestPath.parse(request.getRequestURI(), request.getContextPath()).pathWithinApplication();
		}
		catch (RuntimeException ex) {
			return UNMATCHED;
		}
		for (PathPattern pattern : patterns()) {
			if (pattern.matches(path)) {
				return pattern.getPatternString();
			}
		}
		return UNMATCHED;
	}

	private List<PathPattern> patterns() {
		List<PathPattern> known = this.patterns;
		if (known == null) {
			known = collect();
			this.patterns = known;
		}
		return known;
	}

	private List<PathPattern> collect() {
		Set<String> values = new LinkedHashSet<>();
		this.handlerMappings.orderedStream()
			.forEach((mapping) -> mapping.getHandlerMethods()
				.keySet()
				.stream()
				.map(RequestMappingInfo::getPatternValues)
				.forEach(values::addAll));
		List<PathPattern> parsed = new ArrayList<>();
		for (String value : values) {
			try {
				parsed.add(PathPatternParser.defaultInstance.parse(value));
			}
			catch (RuntimeException ex) {
				// A mapping in a syntax the parser does not take cannot label anything.
			}
		}
		// Most specific first: /api/chat/sessions/{id} before /api/**.
		parsed.sort(Comparator.nullsLast(PathPattern.SPECIFICITY_COMPARATOR));
		return List.copyOf(parsed);
	}

}
