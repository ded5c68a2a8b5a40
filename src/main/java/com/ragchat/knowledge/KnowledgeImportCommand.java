package com.ragchat.knowledge;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The command-line import ({@code --import-knowledge=path/to/folder}): the application
 * starts without its web server, imports the folder into the configured database, and
 * exits (status 1 if any file was refused).
 */
class KnowledgeImportCommand implements EnvironmentPostProcessor, Ordered {

	static final String OPTION = "import-knowledge";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (environment.containsProperty(OPTION)) {
			environment.getPropertySources()
				.addFirst(new MapPropertySource("knowledgeImportCommand",
						Map.of("spring.main.web-application-type", "none", "app.knowledge.import-dir", "none")));
		}
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
