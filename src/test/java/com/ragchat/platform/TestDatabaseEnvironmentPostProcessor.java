package com.ragchat.platform;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Points every application context started by the tests at {@link TestDatabase}, whatever
 * a developer's {@code .env} or {@code DATABASE_URL} says, so tests never touch real
 * data. A test that checks how the application itself selects its database sets
 * {@code ragchat.test.own-datasource=true}.
 */
class TestDatabaseEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	static final String OWN_DATASOURCE = "ragchat.test.own-datasource";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (environment.getProperty(OWN_DATASOURCE, Boolean.class, false)) {
			return;
		}
		environment.getPropertySources().remove(DotEnvEnvironmentPostProcessor.PROPERTY_SOURCE_NAME);
		environment.getPropertySources().remove(DatabaseUrlEnvironmentPostProcessor.PROPERTY_SOURCE_NAME);
		TestDatabase.Info database = TestDatabase.get();
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("spring.datasource.url", database.url());
		properties.put("spring.datasource.username", database.username());
		properties.put("spring.datasource.password", database.password());
		environment.getPropertySources().addFirst(new MapPropertySource("testDatabase", properties));
	}

	@Override
	public int getOrder() {
		// After the application's own post-processors, which it overrides.
		return Ordered.LOWEST_PRECEDENCE;
	}

}
