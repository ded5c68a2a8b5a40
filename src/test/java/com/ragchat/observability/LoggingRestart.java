package com.ragchat.observability;

import java.util.Map;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingInitializationContext;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Re-applies the application's logging configuration ({@code logback-spring.xml}) with
 * extra settings, as a start-up with those settings would. Needed because Spring Boot
 * configures logging once per JVM while test contexts are cached and shared.
 */
final class LoggingRestart {

	private static final String ATTACHED = "configurationProperties";

	private LoggingRestart() {
	}

	/**
	 * Configures logging from {@code environment} with {@code overrides} (e.g.
	 * {@code LOG_JSON=true}) taking precedence.
	 */
	static void apply(ConfigurableEnvironment environment, Map<String, Object> overrides) {
		StandardEnvironment effective = new StandardEnvironment();
		effective.getPropertySources().forEach((source) -> effective.getPropertySources().remove(source.getName()));
		environment.getPropertySources()
			.stream()
			// Spring's view of the original sources; rebuilt below over the new ones.
			.filter((source) -> !ATTACHED.equals(source.getName()))
			.forEach(effective.getPropertySources()::addLast);
		effective.getPropertySources().addFirst(new MapPropertySource("logging-overrides", overrides));
		ConfigurationPropertySources.attach(effective);
		LoggingSystem system = LoggingSystem.get(LoggingRestart.class.getClassLoader());
		system.cleanUp();
		system.beforeInitialize();
		system.initialize(new LoggingInitializationContext(effective), null, null);
		// Levels from logging.level.*, as Spring Boot applies them after the
		// configuration.
		Binder.get(effective)
			.bind("logging.level", Bindable.mapOf(String.class, LogLevel.class))
			.orElse(Map.of())
			.forEach((logger, level) -> system.setLogLevel("root".equalsIgnoreCase(logger) ? null : logger, level));
	}

}
