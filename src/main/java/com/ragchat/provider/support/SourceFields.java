package com.ragchat.provider.support;

import java.util.Map;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import com.ragchat.rag.Source;

/**
 * Builds the contract's {@link Source} from a managed index's document metadata, whose
 * fields carry the earlier service's names ({@code source}, {@code kb_url},
 * {@code kb_number}, {@code kb_category}, {@code short_description}, {@code project},
 * {@code ingestion_date}).
 */
public final class SourceFields {

	private SourceFields() {
	}

	/**
	 * @param field reads a metadata field as text, or null when absent
	 * @param fallbackSource the document's location when it has no {@code source} field
	 * @param score the service's relevance score
	 */
	public static Source toSource(Function<String, @Nullable String> field, @Nullable String fallbackSource,
			@Nullable Double score) {
		String source = field.apply("source");
		return new Source((source != null && !source.isBlank()) ? source : fallbackSource, field.apply("kb_url"),
				field.apply("kb_number"), field.apply("kb_category"), field.apply("short_description"),
				field.apply("project"), field.apply("ingestion_date"), score);
	}

	/** Reads fields from a map of plain values. */
	public static Function<String, @Nullable String> of(Map<String, ?> metadata) {
		return (name) -> {
			Object value = metadata.get(name);
			return (value != null) ? value.toString() : null;
		};
	}

}
