package com.ragchat.rag;

import java.util.Locale;

import org.springframework.core.env.Environment;

/**
 * Which answer model and retriever are selected. {@code LLM_PROVIDER} and
 * {@code RETRIEVER_PROVIDER} name them ({@code app.rag.llm-provider},
 * {@code app.rag.retriever-provider}); {@code RAG_FORCE_MOCK=true}
 * ({@code app.rag.force-mock}) overrides both with {@code mock}.
 */
public final class ProviderSelection {

	public static final String LLM_PROPERTY = "app.rag.llm-provider";

	public static final String RETRIEVER_PROPERTY = "app.rag.retriever-provider";

	public static final String FORCE_MOCK_PROPERTY = "app.rag.force-mock";

	public static final String DEFAULT_LLM = "extractive";

	public static final String DEFAULT_RETRIEVER = "local";

	private ProviderSelection() {
	}

	/** The effective answer model name, lower case. */
	public static String llm(Environment environment) {
		return effective(environment, LLM_PROPERTY, DEFAULT_LLM);
	}

	/** The effective knowledge-base retriever name, lower case. */
	public static String retriever(Environment environment) {
		return effective(environment, RETRIEVER_PROPERTY, DEFAULT_RETRIEVER);
	}

	private static String effective(Environment environment, String property, String fallback) {
		if (environment.getProperty(FORCE_MOCK_PROPERTY, Boolean.class, false)) {
			return "mock";
		}
		String value = environment.getProperty(property);
		return (value == null || value.isBlank()) ? fallback : value.strip().toLowerCase(Locale.ROOT);
	}

}
