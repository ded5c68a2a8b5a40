package com.ragchat.platform;

/**
 * Startup failure caused by a setting: the message names the setting and what is wrong
 * with it, and {@link InvalidConfigurationFailureAnalyzer} prints it as one clear line
 * instead of a stack trace. Never put a secret value in the reason.
 */
public class InvalidConfigurationException extends RuntimeException {

	private final String setting;

	private final String reason;

	public InvalidConfigurationException(String setting, String reason) {
		super("Invalid configuration: " + setting + ": " + reason);
		this.setting = setting;
		this.reason = reason;
	}

	/** The environment variable (or property) at fault. */
	public String setting() {
		return this.setting;
	}

	/** Why the value was refused, safe to print. */
	public String reason() {
		return this.reason;
	}

}
