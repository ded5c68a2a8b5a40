package com.ragchat.observability;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Something the service needs to answer requests: the database, the local parts of the
 * selected providers. {@code GET /api/health/ready} runs every check and names those that
 * fail.
 */
public interface ReadinessCheck {

	/** Short name shown to operators, e.g. {@code database}. */
	String component();

	/**
	 * Returns normally when the component is usable; throws otherwise. Implementations
	 * should be quick: the endpoint gives each check two seconds.
	 */
	void check() throws Exception;

	/**
	 * Whether the component, although usable, works with reduced quality for now (e.g.
	 * the knowledge base while it is re-embedded). Asked only after {@link #check()}
	 * passed. Readiness then stays 200, with status {@code degraded} and the component
	 * reported as {@code degraded}: traffic keeps flowing, operators see why.
	 */
	default boolean degraded() {
		return false;
	}

	/**
	 * What operators should know about the component beyond up or down (e.g. the progress
	 * of a long task), shown under {@code details.<component>} of
	 * {@code /api/health/ready}; null for nothing. Quick, like {@link #check()}.
	 */
	default @Nullable Map<String, Object> details() {
		return null;
	}

}
