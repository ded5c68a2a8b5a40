package com.ragchat.tenant;

import java.util.List;
import java.util.Optional;

import org.springframework.stereotype.Service;

/**
 * The tenants as other features see them: their ids, slugs and names (for instance the
 * OpenAI-compatible API, which offers each tenant's assistant as a model).
 */
@Service
public class TenantDirectory {

	private final TenantStore store;

	TenantDirectory(TenantStore store) {
		this.store = store;
	}

	/** Every tenant, by id. */
	public List<TenantRef> list() {
		return this.store.list().stream().map(TenantDirectory::ref).toList();
	}

	/** The tenant with this slug. */
	public Optional<TenantRef> bySlug(String slug) {
		return this.store.list()
			.stream()
			.filter((tenant) -> tenant.slug().equals(slug))
			.findFirst()
			.map(TenantDirectory::ref);
	}

	/** The tenant with this id. */
	public Optional<TenantRef> byId(long id) {
		return this.store.find(id).map(TenantDirectory::ref);
	}

	private static TenantRef ref(TenantStore.Tenant tenant) {
		return new TenantRef(tenant.id(), tenant.slug(), tenant.name());
	}

	/**
	 * A tenant.
	 *
	 * @param id id
	 * @param slug short unique name
	 * @param name display name
	 */
	public record TenantRef(long id, String slug, String name) {
	}

}
