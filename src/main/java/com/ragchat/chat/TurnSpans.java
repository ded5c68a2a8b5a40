package com.ragchat.chat;

import java.util.Locale;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.jspecify.annotations.Nullable;

import com.ragchat.rag.Cancellation;
import com.ragchat.rag.SourceKind;

/**
 * The span of one question-and-answer turn (OPERATIONS.md "Tracing"), a child of the
 * request's and the parent of the pipeline's stages: who asked, in which session and
 * research mode, on which route — never what. A streamed turn's span is started on the
 * request's thread and ends on the generation thread, when the stream ends; a stream the
 * client left is marked {@code rag.outcome=cancelled}.
 */
public final class TurnSpans {

	private final Tracer tracer;

	public TurnSpans(Tracer tracer) {
		this.tracer = tracer;
	}

	/**
	 * Starts a turn's span under the current one.
	 * @param route {@code chat} or {@code openai}
	 * @param sessionId the chat session, or null when the route has none
	 */
	public Span start(String route, @Nullable Long sessionId, long userId, SourceKind kind, boolean streamed) {
		Span span = this.tracer.nextSpan()
			.name("chat.turn")
			.tag("rag.route", route)
			.tag("enduser.id", Long.toString(userId))
			.tag("rag.research_mode", kind.name().toLowerCase(Locale.ROOT))
			.tag("rag.streamed", streamed);
		if (sessionId != null) {
			span.tag("chat.session_id", sessionId);
		}
		return span.start();
	}

	/** Runs a buffered turn in {@code span} and ends it. */
	public <T> T run(Span span, java.util.function.Supplier<T> turn) {
		try (Tracer.SpanInScope scope = this.tracer.withSpan(span)) {
			return turn.get();
		}
		catch (RuntimeException ex) {
			span.error(ex);
			throw ex;
		}
		finally {
			span.end();
		}
	}

	/**
	 * Runs a stream's generation (on its thread) in {@code span} and ends it, marked when
	 * the client left.
	 */
	public void runStream(Span span, Cancellation cancellation, Runnable generation) {
		try (Tracer.SpanInScope scope = this.tracer.withSpan(span)) {
			generation.run();
		}
		catch (RuntimeException ex) {
			span.error(ex);
			throw ex;
		}
		finally {
			if (cancellation.isCancelled()) {
				span.tag("rag.outcome", "cancelled").event("cancelled");
			}
			span.end();
		}
	}

}
