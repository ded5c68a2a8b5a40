package com.ragchat.tenant;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

/** The {@code tenants} and {@code assistant_profile} tables (V16). */
@Repository
class TenantStore {

	private static final String COLUMNS = "id, name, slug, email_domains, profile::text as profile, created_at, updated_at";

	private final JdbcClient jdbc;

	private final JsonMapper json;

	private final RowMapper<Tenant> tenants;

	TenantStore(JdbcClient jdbc, JsonMapper json) {
		this.jdbc = jdbc;
		this.json = json;
		this.tenants = (rs, row) -> tenant(rs);
	}

	/**
	 * A tenant.
	 *
	 * @param id id
	 * @param name display name
	 * @param slug short unique name
	 * @param emailDomains domains whose OAuth sign-ups join it
	 * @param profile its profile overrides
	 * @param createdAt creation time
	 * @param updatedAt last change
	 */
	record Tenant(long id, String name, String slug, List<String> emailDomains, ProfileOverrides profile,
			Instant createdAt, Instant updatedAt) {
	}

	List<Tenant> list() {
		return this.jdbc.sql("select " + COLUMNS + " from tenants order by id").query(this.tenants).list();
	}

	Optional<Tenant> find(long id) {
		return this.jdbc.sql("select " + COLUMNS + " from tenants where id = ?")
			.param(id)
			.query(this.tenants)
			.optional();
	}

	Optional<Tenant> findBySlug(String slug) {
		return this.jdbc.sql("select " + COLUMNS + " from tenants where slug = ?")
			.param(slug)
			.query(this.tenants)
			.optional();
	}

	/**
	 * The admin's global overrides and, for {@code tenantId}, the tenant's (none for a
	 * tenant that does not exist), in one round trip: this is on every question's path.
	 */
	Overrides overridesFor(@Nullable Long tenantId) {
		return this.jdbc
			.sql("select (select profile::text from assistant_profile where id = 1), "
					+ "(select profile::text from tenants where id = ?)")
			.param(tenantId)
			.query((rs, row) -> new Overrides(profile(rs.getString(1)), profile(rs.getString(2))))
			.single();
	}

	/**
	 * Overrides of the global profile and of one tenant's.
	 *
	 * @param global the admin's
	 * @param tenant the tenant's
	 */
	record Overrides(ProfileOverrides global, ProfileOverrides tenant) {
	}

	/** The tenant whose e-mail domains include {@code domain} (lower case). */
	Optional<Long> findByEmailDomain(String domain) {
		return this.jdbc.sql("select id from tenants where ? = any (email_domains) order by id limit 1")
			.param(domain)
			.query(Long.class)
			.optional();
	}

	/**
	 * @throws org.springframework.dao.DuplicateKeyException when the slug is taken
	 */
	Tenant create(String name, String slug, List<String> emailDomains, ProfileOverrides profile, Instant now) {
		KeyHolder keys = new GeneratedKeyHolder();
		this.jdbc
			.sql("insert into tenants (name, slug, email_domains, profile, created_at, updated_at) "
					+ "values (?, ?, ?, cast(? as jsonb), ?, ?)")
			.params(name, slug, emailDomains.toArray(String[]::new), this.json.writeValueAsString(profile),
					java.sql.Timestamp.from(now), java.sql.Timestamp.from(now))
			.update(keys, "id");
		return find(((Number) keys.getKeys().get("id")).longValue()).orElseThrow();
	}

	/**
	 * @throws org.springframework.dao.DuplicateKeyException when the slug is taken
	 */
	Optional<Tenant> update(long id, String name, String slug, List<String> emailDomains, ProfileOverrides profile,
			Instant now) {
		int updated = this.jdbc
			.sql("update tenants set name = ?, slug = ?, email_domains = ?, profile = cast(? as jsonb), "
					+ "updated_at = ? where id = ?")
			.params(name, slug, emailDomains.toArray(String[]::new), this.json.writeValueAsString(profile),
					java.sql.Timestamp.from(now), id)
			.update();
		return (updated == 0) ? Optional.empty() : find(id);
	}

	boolean delete(long id) {
		return this.jdbc.sql("delete from tenants where id = ?").param(id).update() > 0;
	}

	/** The admin's overrides of the global profile. */
	ProfileOverrides globalOverrides() {
		return this.jdbc.sql("select profile::text from assistant_profile where id = 1")
			.query(String.class)
			.optional()
			.map(this::profile)
			.orElse(ProfileOverrides.NONE);
	}

	void saveGlobalOverrides(ProfileOverrides profile, Instant now) {
		this.jdbc
			.sql("insert into assistant_profile (id, profile, updated_at) values (1, cast(? as jsonb), ?) "
					+ "on conflict (id) do update set profile = excluded.profile, updated_at = excluded.updated_at")
			.params(this.json.writeValueAsString(profile), java.sql.Timestamp.from(now))
			.update();
	}

	private Tenant tenant(ResultSet rs) throws SQLException {
		return new Tenant(rs.getLong("id"), rs.getString("name"), rs.getString("slug"),
				strings(rs.getArray("email_domains")), profile(rs.getString("profile")),
				rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
	}

	private ProfileOverrides profile(@Nullable String text) {
		return (text == null || text.isBlank()) ? ProfileOverrides.NONE
				: this.json.readValue(text, ProfileOverrides.class);
	}

	private static List<String> strings(@Nullable Array array) throws SQLException {
		return (array == null) ? List.of() : List.of((String[]) array.getArray());
	}

}
