package com.ragchat.auth;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flyway migration 8: the role becomes a stored fact of the account. Until now the role
 * was recomputed from {@code ADMIN_USERNAMES} on every request; this migration writes
 * that same answer into {@code users.role} once (listed names become {@code admin},
 * everybody else {@code user}), so that existing admins stay admins. From then on the
 * list only matters when a listed name is registered (see {@link AdminBootstrap}), and
 * admins change roles through {@code PUT /api/admin/users/{username}/role}.
 * <p>
 * A Java migration (a bean Flyway picks up) because it needs {@code ADMIN_USERNAMES}; the
 * names are bound as parameters, never spliced into SQL. The accounts it makes admin are
 * logged, for the operator to check (SECURITY.md, "Admin bootstrap").
 */
class AdminRoleMigration implements JavaMigration {

	private static final Logger logger = LoggerFactory.getLogger(AdminRoleMigration.class);

	private final List<String> adminUsernames;

	AdminRoleMigration(List<String> adminUsernames) {
		this.adminUsernames = List.copyOf(adminUsernames);
	}

	@Override
	public MigrationVersion getVersion() {
		return MigrationVersion.fromVersion("8");
	}

	@Override
	public String getDescription() {
		return "admin role stored on the account";
	}

	@Override
	public Integer getChecksum() {
		// The outcome depends on ADMIN_USERNAMES at the time it ran, not on its code:
		// a fixed checksum keeps later start-ups with another list valid.
		return 8;
	}

	@Override
	public boolean canExecuteInTransaction() {
		return true;
	}

	@Override
	public void migrate(Context context) throws SQLException {
		Connection connection = context.getConnection();
		String[] names = this.adminUsernames.toArray(String[]::new);
		List<String> admins = new ArrayList<>();
		try (PreparedStatement update = connection.prepareStatement(
				"update users set role = case when lower(username) = any (?) then 'admin' else 'user' end, "
						+ "updated_at = now() where role <> case when lower(username) = any (?) then 'admin' "
						+ "else 'user' end")) {
			update.setArray(1, connection.createArrayOf("text", names));
			update.setArray(2, connection.createArrayOf("text", names));
			update.executeUpdate();
		}
		try (PreparedStatement query = connection
			.prepareStatement("select username from users where role = 'admin' order by id");
				ResultSet rows = query.executeQuery()) {
			while (rows.next()) {
				admins.add(rows.getString(1));
			}
		}
		logger.warn("Roles are now stored on the accounts. Admins after the migration: {}. "
				+ "Check that each is the person you meant (SECURITY.md, Admin bootstrap).", admins);
	}

}
