package com.ragchat.provider;

import org.junit.jupiter.api.Test;

import com.ragchat.platform.InvalidConfigurationException;
import com.ragchat.provider.support.RequiredSettings;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Missing settings are named by the environment variable that configuration maps to the
 * property, and by the property where nothing maps it.
 */
class RequiredSettingsTests {

	@Test
	void namesTheMappedEnvironmentVariables() {
		MockEnvironment environment = new MockEnvironment()
			.withProperty("app.rag.llm-provider", "${LLM_PROVIDER:extractive}")
			.withProperty("app.provider.example.api-key", "${EXAMPLE_KEY:}")
			.withProperty("app.provider.example.model", "${EXAMPLE_MODEL}");

		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> RequiredSettings.forModel(environment, "example")
				.require("app.provider.example.api-key", " ")
				.require("app.provider.example.model", null)
				.require("app.provider.example.base-url", "")
				.require("app.provider.example.region", "eu")
				.check())
			.withMessage("Invalid configuration: EXAMPLE_KEY, EXAMPLE_MODEL, app.provider.example.base-url: "
					+ "required when LLM_PROVIDER=example");
	}

	@Test
	void passesWhenEverySettingHasAValue() {
		assertThatNoException().isThrownBy(() -> RequiredSettings.forRetriever(new MockEnvironment(), "x")
			.require("app.provider.x.key", "k")
			.check());
	}

}
