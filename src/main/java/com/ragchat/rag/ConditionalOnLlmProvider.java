package com.ragchat.rag;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Arrays;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Registers the annotated configuration or bean only when one of {@link #value()} is the
 * selected answer model ({@link ProviderSelection#llm}). Unselected providers then never
 * start, so their missing keys cannot break start-up.
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Conditional(ConditionalOnLlmProvider.OnLlmProvider.class)
public @interface ConditionalOnLlmProvider {

	/** Provider names, e.g. {@code "openai"}. */
	String[] value();

	/** Evaluates {@link ConditionalOnLlmProvider}. */
	class OnLlmProvider implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			var attributes = metadata.getAnnotationAttributes(ConditionalOnLlmProvider.class.getName());
			String[] names = (attributes != null) ? (String[]) attributes.get("value") : new String[0];
			String selected = ProviderSelection.llm(context.getEnvironment());
			return Arrays.stream(names).anyMatch(selected::equalsIgnoreCase);
		}

	}

}
