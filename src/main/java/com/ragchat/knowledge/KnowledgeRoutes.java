package com.ragchat.knowledge;

/**
 * The knowledge base's admin routes (API.md §3.5), each path spelled once: the controller
 * is mapped to these constants and {@link KnowledgeSecurity} guards {@link #ALL}.
 */
final class KnowledgeRoutes {

	static final String BASE = "/api/knowledge";

	/** Every route of the admin API, as a pattern. */
	static final String ALL = BASE + "/**";

	static final String DOCUMENTS = BASE + "/documents";

	static final String DOCUMENT = DOCUMENTS + "/{id}";

	static final String SEARCH = BASE + "/search";

	/** Upload jobs: the newest ones. */
	static final String JOBS = BASE + "/jobs";

	/** One upload job: poll it, or cancel it with DELETE. */
	static final String JOB = JOBS + "/{id}";

	private KnowledgeRoutes() {
	}

}
