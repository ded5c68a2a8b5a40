package com.ragchat.platform;

import java.util.Locale;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Turns the OpenAPI description and Swagger UI on or off: {@code OPENAPI_ENABLED} when
 * set, otherwise on everywhere but production (a newcomer finds the routes at
 * {@code /api/docs}; a production deployment does not publish its map unless asked). Runs
 * after {@code .env} and the application's configuration are loaded.
 */
class ApiDocsEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	static final String SOURCE = "apiDocsDefaults";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		boolean enabled = enabled(environment.getProperty("OPENAPI_ENABLED"),
				environment.getProperty("app.platform.env", "development"));
		environment.getPropertySources()
			.addLast(new MapPropertySource(SOURCE,
					Map.of("springdoc.api-docs.enabled", enabled, "springdoc.swagger-ui.enabled", enabled)));
	}

	static boolean enabled(String setting, String env) {
		String value = (setting != null) ? setting.strip().toLowerCase(Locale.ROOT) : "";
		if (value.isEmpty()) {
			return !("production".equals(env) || "prod".equals(env));
		}
		if (!value.equals("true") && !value.equals("false")) {
			throw new InvalidConfigurationException("OPENAPI_ENABLED", "must be true or false");
		}
		return value.equals("true");
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
