package com.ragchat.rag;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.core.io.ClassPathResource;

/**
 * The pipeline's prompts, kept as text resources under {@code prompts/} so they can be
 * read and reviewed as prose. Placeholders are {@code {{name}}}; rendering fails loudly
 * on a placeholder without a value rather than sending a broken prompt to a model.
 */
final class PromptTemplates {

	private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z_]+)}}");

	final String answerSystem;

	final String webAnswerSystem;

	final String noPassages;

	final String passage;

	final String condenseSystem;

	final String condenseUser;

	private PromptTemplates(String answerSystem, String webAnswerSystem, String noPassages, String passage,
			String condenseSystem, String condenseUser) {
		this.answerSystem = answerSystem;
		this.webAnswerSystem = webAnswerSystem;
		this.noPassages = noPassages;
		this.passage = passage;
		this.condenseSystem = condenseSystem;
		this.condenseUser = condenseUser;
	}

	/** Loads every prompt once; a missing resource is a packaging bug, found at start. */
	static PromptTemplates load() {
		return new PromptTemplates(read("answer-system.txt"), read("web-answer-system.txt"), read("no-passages.txt"),
				read("passage.txt"), read("condense-system.txt"), read("condense-user.txt"));
	}

	/** Replaces each {@code {{name}}} of {@code template} by {@code values.get(name)}. */
	static String render(String template, Map<String, String> values) {
		Matcher matcher = PLACEHOLDER.matcher(template);
		StringBuilder out = new StringBuilder(template.length() + 256);
		while (matcher.find()) {
			String value = values.get(matcher.group(1));
			if (value == null) {
				throw new IllegalArgumentException("no value for prompt placeholder " + matcher.group());
			}
			matcher.appendReplacement(out, Matcher.quoteReplacement(value));
		}
		matcher.appendTail(out);
		return out.toString();
	}

	private static String read(String name) {
		ClassPathResource resource = new ClassPathResource("prompts/" + name);
		try (InputStream in = resource.getInputStream()) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
		}
		catch (IOException ex) {
			throw new IllegalStateException("prompt resource prompts/" + name + " is missing", ex);
		}
	}

}
