package com.ragchat.rag;

import org.jspecify.annotations.Nullable;

/**
 * Resolves the profile a caller's questions are answered with. Implemented by the
 * {@code tenant} feature; the pipeline asks it once per question.
 */
public interface AssistantProfiles {

	/**
	 * The global profile with the overrides of {@code tenantId} applied; the global one
	 * for {@code null} or a tenant that no longer exists.
	 */
	AssistantProfile forTenant(@Nullable Long tenantId);

}
