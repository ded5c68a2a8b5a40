package com.ragchat.platform;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class DatabaseUrlEnvironmentPostProcessorTests {

	@Test
	void libpqUrlBecomesJdbcUrlAndCredentials() {
		Map<String, Object> properties = DatabaseUrlEnvironmentPostProcessor
			.toDataSourceProperties("postgresql://chat:p%40ss%3Aword@db.internal:5433/chatbot?sslmode=require");
		assertThat(properties)
			.containsEntry("spring.datasource.url", "jdbc:postgresql://db.internal:5433/chatbot?sslmode=require")
			.containsEntry("spring.datasource.username", "chat")
			.containsEntry("spring.datasource.password", "p@ss:word");
	}

	@Test
	void herokuStyleSchemeAndDefaultPortAreAccepted() {
		Map<String, Object> properties = DatabaseUrlEnvironmentPostProcessor
			.toDataSourceProperties("postgres://u@localhost/app");
		assertThat(properties).containsEntry("spring.datasource.url", "jdbc:postgresql://localhost/app")
			.containsEntry("spring.datasource.username", "u")
			.doesNotContainKey("spring.datasource.password");
	}

	@Test
	void jdbcUrlIsUsedAsIs() {
		String url = "jdbc:postgresql://h:5432/db?user=a&password=b";
		assertThat(DatabaseUrlEnvironmentPostProcessor.toDataSourceProperties(url))
			.isEqualTo(Map.of("spring.datasource.url", url));
	}

	@Test
	void nonsenseIsRefusedNamingTheSettingButNotTheValue() {
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> DatabaseUrlEnvironmentPostProcessor.toDataSourceProperties("mysql://root:topsecret@h/db"))
			.satisfies((ex) -> {
				assertThat(ex.setting()).isEqualTo("DATABASE_URL");
				assertThat(ex.getMessage()).doesNotContain("topsecret");
			});
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> DatabaseUrlEnvironmentPostProcessor.toDataSourceProperties("postgresql://h:5432"));
	}

	@Test
	void redactionDropsParameters() {
		assertThat(DatabaseUrlEnvironmentPostProcessor.redact("jdbc:postgresql://h/db?password=x"))
			.isEqualTo("jdbc:postgresql://h/db");
	}

}
