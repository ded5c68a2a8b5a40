package com.ragchat.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

class DotEnvEnvironmentPostProcessorTests {

	@Test
	void parsesTheCommonDialect() {
		Map<String, String> values = DotEnvEnvironmentPostProcessor.parse(List.of("# a comment", "", "PLAIN=value",
				"export EXPORTED=yes", "SPACED = around ", "TRAILING=kept # dropped", "SINGLE='lit # eral \\n'",
				"DOUBLE=\"line\\nbreak \\\"q\\\"\"", "EMPTY=", "not a pair", "=novalue", "BAD-KEY=x"));
		assertThat(values).containsExactly(Map.entry("PLAIN", "value"), Map.entry("EXPORTED", "yes"),
				Map.entry("SPACED", "around"), Map.entry("TRAILING", "kept"), Map.entry("SINGLE", "lit # eral \\n"),
				Map.entry("DOUBLE", "line\nbreak \"q\""), Map.entry("EMPTY", ""));
	}

	@Test
	void fileValuesApplyButTheRealEnvironmentWins(@TempDir Path dir) throws IOException {
		Path file = dir.resolve(".env");
		Files.writeString(file, "APP_ENV=from-file\nSECRET_KEY=file-secret\nSPRING_DATASOURCE_USERNAME=alice\n");
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
							Map.of("APP_ENV", "from-shell", "DOTENV_PATH", file.toString())));

		new DotEnvEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());

		assertThat(environment.getProperty("APP_ENV")).isEqualTo("from-shell");
		assertThat(environment.getProperty("SECRET_KEY")).isEqualTo("file-secret");
		// Relaxed binding, as for real environment variables.
		assertThat(environment.getProperty("spring.datasource.username")).isEqualTo("alice");
	}

	@Test
	void emptyDotenvPathDisablesTheFile(@TempDir Path dir) throws IOException {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("test", Map.of("DOTENV_PATH", "")));
		new DotEnvEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getPropertySources().contains(DotEnvEnvironmentPostProcessor.PROPERTY_SOURCE_NAME))
			.isFalse();
	}

}
