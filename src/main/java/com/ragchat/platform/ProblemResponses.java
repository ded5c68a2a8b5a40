package com.ragchat.platform;

import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/**
 * Builds and writes RFC 9457 problem bodies. Used by the MVC error handling and by
 * servlet filters (security, rate limits) that answer before a controller runs, so that
 * every error the service returns has the same shape.
 */
public final class ProblemResponses {

	/**
	 * Response header carrying the request id; error bodies repeat it as
	 * {@code request_id}.
	 */
	public static final String REQUEST_ID_HEADER = "X-Request-ID";

	/** RFC 9457: the problem has no more semantics than its HTTP status. */
	private static final URI BLANK_TYPE = URI.create("about:blank");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private ProblemResponses() {
	}

	/** A problem with the given status and a human-readable detail for the end user. */
	public static ProblemDetail problem(HttpStatusCode status, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		if (problem.getTitle() == null) {
			HttpStatus known = HttpStatus.resolve(status.value());
			problem.setTitle((known != null) ? known.getReasonPhrase() : "Error");
		}
		return problem;
	}

	/**
	 * Adds what every problem carries: a title, the request id of the response, and a
	 * default detail when none was set.
	 */
	public static ProblemDetail complete(ProblemDetail problem, @Nullable HttpServletResponse response) {
		if (problem.getType() == null) {
			problem.setType(BLANK_TYPE);
		}
		if (problem.getTitle() == null) {
			HttpStatus known = HttpStatus.resolve(problem.getStatus());
			problem.setTitle((known != null) ? known.getReasonPhrase() : "Error");
		}
		if (problem.getDetail() == null || problem.getDetail().isBlank()) {
			problem.setDetail(problem.getTitle());
		}
		String requestId = (response != null) ? response.getHeader(REQUEST_ID_HEADER) : null;
		if (requestId != null
				&& (problem.getProperties() == null || !problem.getProperties().containsKey("request_id"))) {
			problem.setProperty("request_id", requestId);
		}
		// When the request is traced: where to find it (OPERATIONS.md "Tracing").
		SpanContext span = Span.current().getSpanContext();
		if (span.isValid() && span.isSampled()
				&& (problem.getProperties() == null || !problem.getProperties().containsKey("trace_id"))) {
			problem.setProperty("trace_id", span.getTraceId());
			problem.setProperty("span_id", span.getSpanId());
		}
		return problem;
	}

	/**
	 * Whether {@code failure} means the database could not be reached (down, restarting,
	 * or every pooled connection busy): an operational condition to answer with
	 * {@link #databaseUnavailable()}, not a defect.
	 */
	public static boolean isDatabaseUnavailable(@Nullable Throwable failure) {
		return DatabaseUnavailable.causes(failure);
	}

	/** The 503 problem of a request that failed because the database is unreachable. */
	public static ProblemDetail databaseUnavailable() {
		return problem(HttpStatus.SERVICE_UNAVAILABLE, DatabaseUnavailable.DETAIL);
	}

	/**
	 * Writes {@code problem} to a response that no controller produced. Headers already
	 * set on the response (for example {@code WWW-Authenticate}, {@code Retry-After}) are
	 * kept.
	 */
	public static void write(HttpServletResponse response, ProblemDetail problem) throws IOException {
		complete(problem, response);
		response.setStatus(problem.getStatus());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.setCharacterEncoding("UTF-8");
		JSON.writeValue(response.getOutputStream(), toMap(problem));
	}

	/** The JSON text of {@code problem}, for writers that have no converter. */
	static String json(ProblemDetail problem) {
		return JSON.writeValueAsString(toMap(problem));
	}

	static Map<String, Object> toMap(ProblemDetail problem) {
		Map<String, Object> body = new LinkedHashMap<>();
		URI type = problem.getType();
		body.put("type", (type != null) ? type.toString() : BLANK_TYPE.toString());
		body.put("title", problem.getTitle());
		body.put("status", problem.getStatus());
		body.put("detail", problem.getDetail());
		if (problem.getInstance() != null) {
			body.put("instance", problem.getInstance().toString());
		}
		if (problem.getProperties() != null) {
			body.putAll(problem.getProperties());
		}
		return body;
	}

}
