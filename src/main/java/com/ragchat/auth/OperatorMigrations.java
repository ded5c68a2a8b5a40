package com.ragchat.auth;

import java.util.Arrays;
import java.util.List;

import org.flywaydb.core.internal.resolver.java.FixedJavaMigrationResolver;
import org.jspecify.annotations.Nullable;

/**
 * The application's Java migrations for the Flyway Maven plugin
 * ({@code scripts/flyway.sh}, OPERATIONS.md), which finds only the SQL files by itself:
 * without this, {@code migrate} would skip migration 8 and {@code validate} would call
 * the applied one missing. The application registers the same migration as a bean (see
 * {@link AuthConfiguration}); here {@code ADMIN_USERNAMES} comes from the environment,
 * which {@code flyway.sh} fills from the environment or {@code .env}, as the service
 * reads it.
 */
public final class OperatorMigrations extends FixedJavaMigrationResolver {

	public OperatorMigrations() {
		super(new AdminRoleMigration(adminUsernames(System.getenv("ADMIN_USERNAMES"))));
	}

	/** The comma-separated list as the service binds it (see {@link AuthProperties}). */
	static List<String> adminUsernames(@Nullable String setting) {
		return AuthProperties.cleanList((setting != null) ? Arrays.asList(setting.split(",")) : null, true);
	}

}
