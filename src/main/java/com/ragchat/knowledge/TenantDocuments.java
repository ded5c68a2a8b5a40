package com.ragchat.knowledge;

/**
 * What the {@code tenant} feature may do to the knowledge base: drop a deleted tenant's
 * documents (README "Tenants and assistant profiles"). Present with the built-in
 * knowledge base ({@code RETRIEVER_PROVIDER=local}).
 */
public class TenantDocuments {

	private final KnowledgeService knowledge;

	TenantDocuments(KnowledgeService knowledge) {
		this.knowledge = knowledge;
	}

	/**
	 * Deletes every document of {@code tenantId} on every replica; joins the caller's
	 * transaction.
	 * @return how many were deleted
	 */
	public int deleteAllOf(long tenantId) {
		return this.knowledge.deleteDocumentsOf(tenantId);
	}

}
