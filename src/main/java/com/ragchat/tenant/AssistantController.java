package com.ragchat.tenant;

import java.util.List;

import org.jspecify.annotations.Nullable;

import com.ragchat.auth.AccountTenants;
import com.ragchat.auth.AuthenticatedUser;
import com.ragchat.rag.AssistantProfile;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/assistant}: who answers the signed-in user, for the web app's empty
 * chat screen.
 */
@RestController
class AssistantController {

	private final TenantProfiles profiles;

	private final AccountTenants members;

	AssistantController(TenantProfiles profiles, AccountTenants members) {
		this.profiles = profiles;
		this.members = members;
	}

	@GetMapping(TenantRoutes.ASSISTANT)
	Assistant assistant(@AuthenticationPrincipal AuthenticatedUser user) {
		Long tenant = this.members.tenantOf(user.id());
		AssistantProfile profile = this.profiles.forTenant(tenant);
		List<String> examples = profile.exampleQuestions().isEmpty()
				? profile.fewShotExamples().stream().map(AssistantProfile.Example::input).limit(4).toList()
				: profile.exampleQuestions();
		return new Assistant(profile.assistantName(), profile.supportedTopics(), examples, profile.language(), tenant);
	}

	/**
	 * The signed-in user's assistant.
	 *
	 * @param assistantName its name
	 * @param supportedTopics what it answers about
	 * @param exampleQuestions questions to offer (the profile's, else its few-shot
	 * questions)
	 * @param language answer language (empty: the question's)
	 * @param tenantId the user's tenant, or null
	 */
	record Assistant(String assistantName, List<String> supportedTopics, List<String> exampleQuestions, String language,
			@Nullable Long tenantId) {
	}

}
