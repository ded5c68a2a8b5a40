package com.ragchat.knowledge;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Arrays;
import java.util.Locale;

import com.ragchat.rag.ProviderSelection;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Registers the annotated configuration or bean only when the built-in knowledge base is
 * the selected retriever ({@code RETRIEVER_PROVIDER=local}) and one of {@link #value()}
 * computes its embeddings ({@code EMBEDDING_PROVIDER}, default {@code local}). Unselected
 * embedding providers never start, so their missing settings cannot break start-up.
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Conditional(ConditionalOnEmbeddingProvider.OnEmbeddingProvider.class)
public @interface ConditionalOnEmbeddingProvider {

	/** The property behind {@code EMBEDDING_PROVIDER}. */
	String PROPERTY = "app.knowledge.embedding-provider";

	/** Provider names, e.g. {@code "openai"}. */
	String[] value();

	/** Evaluates {@link ConditionalOnEmbeddingProvider}. */
	class OnEmbeddingProvider implements Condition {

		/** The effective embedding provider, lower case. */
		static String selected(Environment environment) {
			String value = environment.getProperty(PROPERTY);
			return (value == null || value.isBlank()) ? "local" : value.strip().toLowerCase(Locale.ROOT);
		}

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			if (!"local".equals(ProviderSelection.retriever(context.getEnvironment()))) {
				return false;
			}
			var attributes = metadata.getAnnotationAttributes(ConditionalOnEmbeddingProvider.class.getName());
			String[] names = (attributes != null) ? (String[]) attributes.get("value") : new String[0];
			String selected = selected(context.getEnvironment());
			return Arrays.stream(names).anyMatch(selected::equalsIgnoreCase);
		}

	}

}
