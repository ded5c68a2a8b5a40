package com.ragchat.observability;

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

}
