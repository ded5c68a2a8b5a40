package com.ragchat.platform;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Interprets {@code DATABASE_URL}, in either the libpq form
 * ({@code postgresql://user:pass@host:5432/db?sslmode=require}) or the JDBC form
 * ({@code jdbc:postgresql://host:5432/db?user=…}), and sets the
 * {@code spring.datasource.*} properties from it with the highest precedence. Without it,
 * {@code SPRING_DATASOURCE_URL} (plain Spring Boot) applies; without either, the embedded
 * database starts.
 */
class DatabaseUrlEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	static final String PROPERTY_SOURCE_NAME = "databaseUrl";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		String databaseUrl = environment.getProperty("DATABASE_URL");
		if (databaseUrl == null || databaseUrl.isBlank()) {
			return;
		}
		environment.getPropertySources()
			.addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME, toDataSourceProperties(databaseUrl.strip())));
	}

	@Override
	public int getOrder() {
		return DotEnvEnvironmentPostProcessor.ORDER + 1;
	}

	static Map<String, Object> toDataSourceProperties(String databaseUrl) {
		Map<String, Object> properties = new LinkedHashMap<>();
		if (databaseUrl.startsWith("jdbc:postgresql:")) {
			properties.put("spring.datasource.url", databaseUrl);
			return properties;
		}
		if (!databaseUrl.startsWith("postgresql://") && !databaseUrl.startsWith("postgres://")) {
			throw new InvalidConfigurationException("DATABASE_URL",
					"expected postgresql://user:password@host:5432/database or jdbc:postgresql://…");
		}
		URI uri;
		try {
			uri = new URI(databaseUrl);
		}
		catch (URISyntaxException ex) {
			throw new InvalidConfigurationException("DATABASE_URL",
					"not a valid URL (percent-encode special characters in the password)");
		}
		String host = uri.getHost();
		if (host == null || host.isBlank()) {
			throw new InvalidConfigurationException("DATABASE_URL", "no host name");
		}
		String path = uri.getRawPath();
		if (path == null || path.length() <= 1) {
			throw new InvalidConfigurationException("DATABASE_URL", "no database name after the host");
		}
		StringBuilder jdbc = new StringBuilder("jdbc:postgresql://");
		jdbc.append(host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host);
		if (uri.getPort() > 0) {
			jdbc.append(':').append(uri.getPort());
		}
		jdbc.append(path);
		if (uri.getRawQuery() != null) {
			jdbc.append('?').append(uri.getRawQuery());
		}
		properties.put("spring.datasource.url", jdbc.toString());
		String userInfo = uri.getRawUserInfo();
		if (userInfo != null) {
			int colon = userInfo.indexOf(':');
			properties.put("spring.datasource.username", decode(colon >= 0 ? userInfo.substring(0, colon) : userInfo));
			if (colon >= 0) {
				properties.put("spring.datasource.password", decode(userInfo.substring(colon + 1)));
			}
		}
		return properties;
	}

	/** The URL without credentials, safe for a log line. */
	static String redact(@Nullable String jdbcUrl) {
		if (jdbcUrl == null) {
			return "(none)";
		}
		int query = jdbcUrl.indexOf('?');
		return (query >= 0) ? jdbcUrl.substring(0, query) : jdbcUrl;
	}

	private static String decode(String value) {
		return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
	}

}
