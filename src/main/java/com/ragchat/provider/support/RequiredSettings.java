package com.ragchat.provider.support;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import com.ragchat.platform.InvalidConfigurationException;
import com.ragchat.rag.ProviderSelection;

import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;

/**
 * The start-up check of a selected provider's settings: each configuration lists the
 * properties its adapter cannot start without, then creates the adapter. A missing one is
 * named as the operator sets it: the environment variable that {@code application.yml}
 * maps to the property (so those names are spelled only there), e.g.
 * {@code OPENAI_API_KEY, OPENAI_MODEL: required when LLM_PROVIDER=openai}.
 */
public final class RequiredSettings {

	/** {@code ${NAME}} or {@code ${NAME:default}}. */
	private static final Pattern PLACEHOLDER = Pattern.compile("^\\$\\{([^:}]+)");

	/** The property that selects the embedding model's provider. */
	private static final String EMBEDDING_PROPERTY = "app.knowledge.embedding-provider";

	private final Environment environment;

	private final String selection;

	private final List<String> missing = new ArrayList<>();

	private RequiredSettings(Environment environment, String selection) {
		this.environment = environment;
		this.selection = selection;
	}

	/** The settings of the answer model selected as {@code provider}. */
	public static RequiredSettings forModel(Environment environment, String provider) {
		return new RequiredSettings(environment,
				settingName(environment, ProviderSelection.LLM_PROPERTY) + "=" + provider);
	}

	/** The settings of the retriever selected as {@code provider}. */
	public static RequiredSettings forRetriever(Environment environment, String provider) {
		return new RequiredSettings(environment,
				settingName(environment, ProviderSelection.RETRIEVER_PROPERTY) + "=" + provider);
	}

	/** The settings of the embedding API selected as {@code provider}. */
	public static RequiredSettings forEmbeddings(Environment environment, String provider) {
		return new RequiredSettings(environment, settingName(environment, EMBEDDING_PROPERTY) + "=" + provider);
	}

	/**
	 * Notes {@code property} as missing when {@code value} (its bound value) is empty.
	 */
	public RequiredSettings require(String property, @Nullable String value) {
		if (!Settings.present(value)) {
			this.missing.add(settingName(this.environment, property));
		}
		return this;
	}

	/**
	 * Fails start-up with one line naming every missing setting.
	 * @throws InvalidConfigurationException when any is missing
	 */
	public void check() {
		if (!this.missing.isEmpty()) {
			throw new InvalidConfigurationException(String.join(", ", this.missing), "required when " + this.selection);
		}
	}

	/** What selected the provider, e.g. {@code LLM_PROVIDER=openai}, for messages. */
	public String selection() {
		return this.selection;
	}

	/** The name an operator sets {@code property} by. */
	public String name(String property) {
		return settingName(this.environment, property);
	}

	/**
	 * The environment variable {@code application.yml} maps to {@code property}, or the
	 * property itself where nothing maps it.
	 */
	static String settingName(Environment environment, String property) {
		if (environment instanceof ConfigurableEnvironment configurable) {
			for (PropertySource<?> source : configurable.getPropertySources()) {
				Object raw = source.getProperty(property);
				if (raw != null) {
					Matcher placeholder = PLACEHOLDER.matcher(raw.toString());
					if (placeholder.find()) {
						return placeholder.group(1);
					}
				}
			}
		}
		return property;
	}

}
