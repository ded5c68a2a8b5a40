package com.ragchat.tenant;

import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import com.ragchat.auth.SignUpTenants;
import com.ragchat.platform.InvalidConfigurationException;
import com.ragchat.rag.AssistantProfile;
import com.ragchat.rag.AssistantProfiles;
import com.ragchat.rag.RagProperties;

import org.springframework.stereotype.Service;

/**
 * Resolves profiles: the settings ({@code ASSISTANT_*}, {@code OUT_OF_SCOPE_MESSAGE}),
 * then the admin's overrides of the global profile, then the caller's tenant's. Read from
 * the database for every question, so that a change applies to the next one on every
 * replica.
 */
@Service
class TenantProfiles implements AssistantProfiles, SignUpTenants {

	private final AssistantProfile fromSettings;

	private final TenantStore store;

	TenantProfiles(AssistantSettings settings, RagProperties rag, TenantStore store, JsonMapper json) {
		this.store = store;
		this.fromSettings = new AssistantProfile(settings.name().strip(), settings.topics(), rag.outOfScopeMessage(),
				fewShotExamples(settings.fewShotExamples(), json), settings.language().strip(),
				settings.exampleQuestionList());
	}

	/** The global profile: the settings with the admin's overrides. */
	AssistantProfile global() {
		return this.store.globalOverrides().applyTo(this.fromSettings);
	}

	/** The profile from settings alone. */
	AssistantProfile settings() {
		return this.fromSettings;
	}

	@Override
	public AssistantProfile forTenant(@Nullable Long tenantId) {
		TenantStore.Overrides overrides = this.store.overridesFor(tenantId);
		return overrides.tenant().applyTo(overrides.global().applyTo(this.fromSettings));
	}

	@Override
	public @Nullable Long tenantFor(String verifiedEmail) {
		int at = verifiedEmail.lastIndexOf('@');
		if (at < 0 || at == verifiedEmail.length() - 1) {
			return null;
		}
		return this.store.findByEmailDomain(verifiedEmail.substring(at + 1).strip().toLowerCase(Locale.ROOT))
			.orElse(null);
	}

	private static List<AssistantProfile.Example> fewShotExamples(String text, JsonMapper json) {
		if (text.isBlank()) {
			return List.of();
		}
		try {
			List<ProfileOverrides.Example> examples = json.readValue(text, new TypeReference<>() {
			});
			for (ProfileOverrides.Example example : examples) {
				if (example == null || example.input() == null || example.input().isBlank() || example.output() == null
						|| example.output().isBlank()) {
					throw new InvalidConfigurationException("ASSISTANT_FEW_SHOT_EXAMPLES",
							"every example needs a non-empty \"input\" and \"output\"");
				}
			}
			return examples.stream()
				.map((example) -> new AssistantProfile.Example(example.input().strip(), example.output().strip()))
				.toList();
		}
		catch (JacksonException ex) {
			throw new InvalidConfigurationException("ASSISTANT_FEW_SHOT_EXAMPLES",
					"must be a JSON list of {\"input\": …, \"output\": …} objects (" + ex.getOriginalMessage() + ")");
		}
	}

}
