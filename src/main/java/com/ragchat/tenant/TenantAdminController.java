package com.ragchat.tenant;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import com.ragchat.auth.AccountTenants;
import com.ragchat.knowledge.TenantDocuments;
import com.ragchat.rag.AssistantProfile;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The admin API of tenants, memberships and the global profile (README "Tenants and
 * assistant profiles"). Admins only ({@link TenantSecurity}).
 */
@RestController
@Validated
class TenantAdminController {

	private static final Logger logger = LoggerFactory.getLogger(TenantAdminController.class);

	private static final String NOT_FOUND = "Tenant not found";

	private final TenantStore store;

	private final TenantProfiles profiles;

	private final AccountTenants members;

	private final ObjectProvider<TenantDocuments> documents;

	private final TransactionTemplate transactions;

	TenantAdminController(TenantStore store, TenantProfiles profiles, AccountTenants members,
			ObjectProvider<TenantDocuments> documents, TransactionTemplate transactions) {
		this.store = store;
		this.profiles = profiles;
		this.members = members;
		this.documents = documents;
		this.transactions = transactions;
	}

	@PostMapping(TenantRoutes.TENANTS)
	ResponseEntity<TenantResponse> create(@Valid @RequestBody TenantRequest request) {
		TenantStore.Tenant tenant;
		try {
			tenant = this.store.create(request.name().strip(), request.slug(), request.domains(), request.overrides(),
					Instant.now());
		}
		catch (DuplicateKeyException ex) {
			throw slugTaken(request.slug());
		}
		logger.info("Tenant {} ({}) created", tenant.id(), tenant.slug());
		return ResponseEntity.created(URI.create(TenantRoutes.TENANTS + "/" + tenant.id()))
			.body(TenantResponse.of(tenant, this.profiles.global()));
	}

	@GetMapping(TenantRoutes.TENANTS)
	List<TenantResponse> list() {
		AssistantProfile global = this.profiles.global();
		return this.store.list().stream().map((tenant) -> TenantResponse.of(tenant, global)).toList();
	}

	@GetMapping(TenantRoutes.TENANT)
	TenantResponse get(@PathVariable("id") long id) {
		return this.store.find(id)
			.map((tenant) -> TenantResponse.of(tenant, this.profiles.global()))
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, NOT_FOUND));
	}

	@PutMapping(TenantRoutes.TENANT)
	TenantResponse update(@PathVariable("id") long id, @Valid @RequestBody TenantRequest request) {
		try {
			return this.store
				.update(id, request.name().strip(), request.slug(), request.domains(), request.overrides(),
						Instant.now())
				.map((tenant) -> TenantResponse.of(tenant, this.profiles.global()))
				.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, NOT_FOUND));
		}
		catch (DuplicateKeyException ex) {
			throw slugTaken(request.slug());
		}
	}

	/**
	 * Deletes a tenant with its documents (nobody else may see them); its members stay,
	 * without a tenant: the shared documents and the global profile. Their sessions keep
	 * the old tenant id as a label.
	 */
	@DeleteMapping(TenantRoutes.TENANT)
	ResponseEntity<Void> delete(@PathVariable("id") long id) {
		Integer removedDocuments = this.transactions.execute((status) -> {
			if (this.store.find(id).isEmpty()) {
				return null;
			}
			TenantDocuments knowledge = this.documents.getIfAvailable();
			int count = (knowledge != null) ? knowledge.deleteAllOf(id) : 0;
			this.store.delete(id);
			return count;
		});
		if (removedDocuments == null) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND, NOT_FOUND);
		}
		logger.info("Tenant {} deleted with its {} documents; its members now have no tenant", id, removedDocuments);
		return ResponseEntity.noContent().build();
	}

	@PutMapping(TenantRoutes.USER_TENANT)
	AccountTenants.Membership assign(@PathVariable("username") String username, @RequestBody JsonNode body) {
		Long tenantId = MembershipRequest.tenantIdOf(body);
		if (tenantId != null && this.store.find(tenantId).isEmpty()) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND, "Tenant not found");
		}
		return this.members.assign(username, tenantId)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "User not found"));
	}

	@GetMapping(TenantRoutes.PROFILE)
	GlobalProfileResponse globalProfile() {
		return new GlobalProfileResponse(ProfileView.of(this.profiles.global()), this.store.globalOverrides(),
				ProfileView.of(this.profiles.settings()));
	}

	@PutMapping(TenantRoutes.PROFILE)
	GlobalProfileResponse replaceGlobalProfile(@Valid @RequestBody ProfileOverrides overrides) {
		this.store.saveGlobalOverrides(overrides, Instant.now());
		logger.info("Global assistant profile changed");
		return globalProfile();
	}

	private static ResponseStatusException slugTaken(String slug) {
		return new ResponseStatusException(HttpStatus.CONFLICT, "A tenant with the slug \"" + slug + "\" exists.");
	}

	/**
	 * A tenant as admins create or replace it.
	 *
	 * @param name display name
	 * @param slug short unique name: lower-case letters, digits and dashes
	 * @param emailDomains domains whose OAuth sign-ups join the tenant
	 * @param profile its profile overrides (absent: inherits everything)
	 */
	record TenantRequest(
			@NotBlank @Size(max = 100) @Pattern(regexp = ProfileOverrides.SINGLE_LINE,
					message = ProfileOverrides.SINGLE_LINE_MESSAGE) String name,
			@NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,63}",
					message = "must be 1 to 64 lower-case letters, digits or dashes, not starting with a dash") String slug,
			@Nullable @Size(max = 20) List<@NotBlank @Pattern(regexp = DOMAIN,
					message = "must be a domain name such as example.edu") String> emailDomains,
			@Nullable @Valid ProfileOverrides profile) {

		static final String DOMAIN = "(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+";

		List<String> domains() {
			return (this.emailDomains == null) ? List.of()
					: this.emailDomains.stream()
						.map((domain) -> domain.strip().toLowerCase(Locale.ROOT))
						.distinct()
						.toList();
		}

		ProfileOverrides overrides() {
			return (this.profile != null) ? this.profile : ProfileOverrides.NONE;
		}

	}

	/**
	 * Moves a user into a tenant, or out of every tenant: {@code {"tenant_id": n|null}}.
	 * Read by hand because the field must be present and be a whole number or null: a
	 * binder would turn {@code ""} into null and move the user out of their tenant.
	 */
	static final class MembershipRequest {

		private MembershipRequest() {
		}

		static @Nullable Long tenantIdOf(JsonNode body) {
			JsonNode value = body.isObject() ? body.get("tenant_id") : null;
			if (value == null) {
				throw new ResponseStatusException(HttpStatus.UNPROCESSABLE_CONTENT,
						"The request body needs \"tenant_id\": a tenant's id, or null for none.");
			}
			if (value.isNull()) {
				return null;
			}
			if (!value.isIntegralNumber() || !value.canConvertToLong()) {
				throw new ResponseStatusException(HttpStatus.UNPROCESSABLE_CONTENT,
						"tenant_id must be a tenant's id (a whole number) or null.");
			}
			return value.longValue();
		}

	}

	/**
	 * A tenant.
	 *
	 * @param id id
	 * @param name name
	 * @param slug slug
	 * @param emailDomains e-mail domains of its OAuth sign-ups
	 * @param profile its overrides
	 * @param effectiveProfile what its users get: the global profile with its overrides
	 * @param createdAt creation time
	 * @param updatedAt last change
	 */
	record TenantResponse(long id, String name, String slug, List<String> emailDomains, ProfileOverrides profile,
			ProfileView effectiveProfile, Instant createdAt, Instant updatedAt) {

		static TenantResponse of(TenantStore.Tenant tenant, AssistantProfile global) {
			return new TenantResponse(tenant.id(), tenant.name(), tenant.slug(), tenant.emailDomains(),
					tenant.profile(), ProfileView.of(tenant.profile().applyTo(global)), tenant.createdAt(),
					tenant.updatedAt());
		}

	}

	/**
	 * The global profile.
	 *
	 * @param profile what users without a tenant get, and what tenants inherit
	 * @param overrides the admin's overrides (this API)
	 * @param settings the profile from settings alone
	 */
	record GlobalProfileResponse(ProfileView profile, ProfileOverrides overrides, ProfileView settings) {
	}

}
