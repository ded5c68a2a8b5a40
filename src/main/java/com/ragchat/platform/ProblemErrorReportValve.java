package com.ragchat.platform;

import java.io.IOException;
import java.io.Writer;
import java.util.UUID;

import org.apache.catalina.Container;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;

/**
 * Tomcat's report for requests it refuses before the application sees them (a malformed
 * request line, an encoded NUL or slash in the path, a header too large or invalid): an
 * RFC 9457 problem with a request id, like every other error of the API, instead of
 * Tomcat's HTML page.
 */
final class ProblemErrorReportValve extends ErrorReportValve {

	static final String MALFORMED = "The request is malformed: check its URL, headers and encoding.";

	@Override
	protected void report(Request request, Response response, Throwable throwable) {
		int status = response.getStatus();
		// As the base class: nothing for non-errors, for responses that already have a
		// body, or for an error already reported.
		if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
			return;
		}
		String requestId = response.getHeader(ProblemResponses.REQUEST_ID_HEADER);
		if (requestId == null) {
			requestId = UUID.randomUUID().toString();
			response.setHeader(ProblemResponses.REQUEST_ID_HEADER, requestId);
		}
		ProblemDetail problem = ProblemResponses.problem(HttpStatusCode.valueOf(status), detail(status));
		problem.setProperty("request_id", requestId);
		try {
			response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			response.setCharacterEncoding("UTF-8");
			Writer writer = response.getReporter();
			if (writer != null) {
				writer.write(ProblemResponses.json(problem));
				response.finishResponse();
			}
		}
		catch (IOException | IllegalStateException ex) {
			// The client is gone or the response cannot take a body: nothing to report
			// to.
		}
	}

	static String detail(int status) {
		if (status == HttpStatus.BAD_REQUEST.value()) {
			return MALFORMED;
		}
		if (status == HttpStatus.NOT_FOUND.value()) {
			return "No such endpoint.";
		}
		HttpStatus known = HttpStatus.resolve(status);
		if (known == null || known.is5xxServerError()) {
			return ProblemHandler.UNEXPECTED_DETAIL;
		}
		return known.getReasonPhrase();
	}

	/**
	 * Puts the valve on the host in place of the HTML one (Spring Boot's included), after
	 * Boot's own customizer has added that.
	 */
	@Component
	static final class Installer implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

		@Override
		public void customize(TomcatServletWebServerFactory factory) {
			factory.addContextCustomizers((context) -> {
				Container host = context.getParent();
				for (Valve valve : host.getPipeline().getValves()) {
					if (valve instanceof ErrorReportValve && !(valve instanceof ProblemErrorReportValve)) {
						host.getPipeline().removeValve(valve);
					}
				}
				host.getPipeline().addValve(new ProblemErrorReportValve());
				if (host instanceof StandardHost standard) {
					// Otherwise the host adds its default report valve when it starts.
					standard.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
				}
			});
		}

		@Override
		public int getOrder() {
			return Ordered.LOWEST_PRECEDENCE;
		}

	}

}
