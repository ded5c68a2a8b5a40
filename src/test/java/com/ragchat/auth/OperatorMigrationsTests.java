package com.ragchat.auth;

import java.util.List;

import org.flywaydb.core.api.configuration.ClassicConfiguration;
import org.flywaydb.core.api.resolver.MigrationResolver;
import org.flywaydb.core.api.resolver.ResolvedMigration;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Flyway Maven plugin (scripts/flyway.sh) gets the Java migrations through
 * {@link OperatorMigrations}: the same version, description and checksum the application
 * registers, so either may apply it and validation agrees.
 */
class OperatorMigrationsTests {

	@Test
	void thePluginResolvesMigration8AsTheApplicationRegistersIt() {
		List<ResolvedMigration> resolved = List.copyOf(new OperatorMigrations()
			.resolveMigrations(new MigrationResolver.Context(new ClassicConfiguration(), null, null, null, null)));
		AdminRoleMigration application = new AdminRoleMigration(List.of());
		assertThat(resolved).singleElement().satisfies((migration) -> {
			assertThat(migration.getVersion()).isEqualTo(application.getVersion());
			assertThat(migration.getDescription()).isEqualTo(application.getDescription());
			assertThat(migration.getChecksum()).isEqualTo(application.getChecksum());
		});
	}

	@Test
	void adminUsernamesAreReadAsTheServiceReadsThem() {
		assertThat(OperatorMigrations.adminUsernames(" Boss, ,root ,boss")).containsExactly("boss", "root");
		assertThat(OperatorMigrations.adminUsernames(null)).isEmpty();
		assertThat(OperatorMigrations.adminUsernames("")).isEmpty();
	}

}
