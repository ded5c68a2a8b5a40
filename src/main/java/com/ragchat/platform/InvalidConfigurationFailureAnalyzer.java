package com.ragchat.platform;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns an {@link InvalidConfigurationException} into Spring Boot's short "APPLICATION
 * FAILED TO START" report naming the setting.
 */
class InvalidConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<InvalidConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidConfigurationException cause) {
		return new FailureAnalysis(cause.getMessage(),
				"Fix " + cause.setting() + " (environment or .env file; see .env.example) and start again.", null);
	}

}
