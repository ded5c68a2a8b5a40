package com.ragchat.knowledge;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Which documents one search may return: the shared ones and those of the asker's tenant.
 *
 * @param everything every document, whoever owns it (admin listings, tools)
 * @param tenantId the asker's tenant, or null for a user without one
 * @param owners the tenant of every document that has one, by document id (documents not
 * in it are shared)
 */
record DocumentVisibility(boolean everything, @Nullable Long tenantId, Map<Long, Long> owners) {

	/** Every document: for searches that are not a user's. */
	static final DocumentVisibility EVERYTHING = new DocumentVisibility(true, null, Map.of());

	/** Whether the document may be returned. */
	boolean sees(long documentId) {
		if (this.everything) {
			return true;
		}
		Long owner = this.owners.get(documentId);
		return owner == null || owner.equals(this.tenantId);
	}

}
