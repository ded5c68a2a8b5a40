package com.ragchat.platform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Reads {@code KEY=value} lines from a {@code .env} file in the working directory and
 * adds them just below the real environment, so a variable set in the environment always
 * wins. The source behaves like the environment itself, so {@code SPRING_DATASOURCE_URL}
 * in the file binds to {@code spring.datasource.url} exactly as it would from the shell.
 * <p>
 * Set {@code DOTENV_PATH} to read another file, or to an empty string to read none.
 */
class DotEnvEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	static final String PROPERTY_SOURCE_NAME = "dotEnvFile";

	/** Before {@code DATABASE_URL} is interpreted, and before config files are read. */
	static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 5;

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		String configured = environment.getProperty("DOTENV_PATH");
		if (configured != null && configured.isBlank()) {
			return;
		}
		Path file = Path.of(configured != null ? configured : ".env");
		if (!Files.isRegularFile(file)) {
			return;
		}
		Map<String, Object> values;
		try {
			values = new LinkedHashMap<>(parse(Files.readAllLines(file, StandardCharsets.UTF_8)));
		}
		catch (IOException ex) {
			throw new InvalidConfigurationException("DOTENV_PATH",
					"the file " + file.toAbsolutePath() + " exists but cannot be read");
		}
		SystemEnvironmentPropertySource source = new SystemEnvironmentPropertySource(PROPERTY_SOURCE_NAME, values);
		var sources = environment.getPropertySources();
		if (sources.contains(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME)) {
			sources.addAfter(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, source);
		}
		else {
			sources.addLast(source);
		}
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	/**
	 * Parses the common dotenv dialect: comments, blank lines, an optional
	 * {@code export } prefix, and values in single quotes (literal), double quotes (with
	 * {@code \n}, {@code \"} and {@code \\} escapes) or bare (trailing {@code # comment}
	 * removed).
	 */
	static Map<String, String> parse(List<String> lines) {
		Map<String, String> result = new LinkedHashMap<>();
		for (String raw : lines) {
			String line = raw.strip();
			if (line.isEmpty() || line.startsWith("#")) {
				continue;
			}
			if (line.startsWith("export ")) {
				line = line.substring("export ".length()).strip();
			}
			int eq = line.indexOf('=');
			if (eq <= 0) {
				continue;
			}
			String key = line.substring(0, eq).strip();
			if (!key.matches("[A-Za-z_][A-Za-z0-9_.]*")) {
				continue;
			}
			result.put(key, unquote(line.substring(eq + 1).strip()));
		}
		return result;
	}

	private static String unquote(String value) {
		if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
			return value.substring(1, value.length() - 1);
		}
		if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
			String inner = value.substring(1, value.length() - 1);
			StringBuilder out = new StringBuilder(inner.length());
			for (int i = 0; i < inner.length(); i++) {
				char c = inner.charAt(i);
				if (c == '\\' && i + 1 < inner.length()) {
					char next = inner.charAt(++i);
					switch (next) {
						case 'n' -> out.append('\n');
						case 't' -> out.append('\t');
						default -> out.append(next);
					}
				}
				else {
					out.append(c);
				}
			}
			return out.toString();
		}
		int comment = value.indexOf(" #");
		return (comment >= 0 ? value.substring(0, comment) : value).strip();
	}

}
