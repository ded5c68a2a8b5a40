package com.ragchat.auth;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.ragchat.Application;
import com.ragchat.platform.InvalidConfigurationException;
import com.ragchat.platform.PlatformProperties;
import com.ragchat.platform.TestDatabase;
import com.ragchat.support.ApiClient;
import com.ragchat.support.TestUsers;
import com.ragchat.support.TestUsers.TestUser;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Finding 1 of issue 20: registering the admin name first made anybody admin. Over real
 * HTTP, in production mode, on a database of its own (so the number of admins is known):
 * a listed name needs the bootstrap token whatever its case, the role is stored (not
 * recomputed from the name), admins change roles, and the last admin cannot leave.
 */
class AdminBootstrapTests {

	static final String TOKEN = "bootstrap-token-for-tests-0123456789-abcdef";

	static ConfigurableApplicationContext app;

	static ApiClient api;

	@BeforeAll
	static void start() {
		app = start(TestDatabase.createEmptyDatabase(), "--APP_ENV=production", "--ADMIN_USERNAMES=boss,chief",
				"--ADMIN_BOOTSTRAP_TOKEN=" + TOKEN);
		api = client(app);
	}

	@AfterAll
	static void stop() {
		app.close();
	}

	@Test
	void aListedNameWithoutTheTokenIsRefusedLikeATakenNameWhateverItsCase() {
		ApiClient.Response squatter = register("Boss", "squatter@example.com");
		assertThat(squatter.status()).as(squatter.toString()).isEqualTo(400);
		assertThat(squatter.json().get("detail").asString()).isEqualTo("Username already registered");
		ApiClient.Response wrongToken = register("BOSS", "squatter2@example.com", AdminBootstrap.HEADER,
				"not-the-token-" + "x".repeat(40));
		assertThat(wrongToken.status()).isEqualTo(400);
		assertThat(wrongToken.json().get("detail").asString()).isEqualTo("Username already registered");

		// The operator can still register the name afterwards, with the token.
		ApiClient.Response operator = register("boss", "boss@example.com", AdminBootstrap.HEADER, TOKEN);
		assertThat(operator.status()).as(operator.toString()).isEqualTo(200);
		TestUser boss = TestUsers.signIn(api, "boss", "password-boss-1", "boss@example.com");
		assertThat(api.get("/api/auth/me", boss.bearerHeaders()).json().get("role").asString()).isEqualTo("admin");
		// An unlisted name needs no token and gets the user role.
		TestUser plain = TestUsers.register(api);
		assertThat(api.get("/api/auth/me", plain.bearerHeaders()).json().get("role").asString()).isEqualTo("user");
	}

	@Test
	void adminsChangeRolesAndTheLastAdminCannotLeave() {
		ApiClient.Response registered = register("chief", "chief@example.com", AdminBootstrap.HEADER, TOKEN);
		assertThat(registered.status()).as(registered.toString()).isEqualTo(200);
		TestUser chief = TestUsers.signIn(api, "chief", "password-chief-1", "chief@example.com");
		TestUser plain = TestUsers.register(api);
		String plainRole = "/api/admin/users/" + plain.username() + "/role";

		// Users cannot change roles, not even their own.
		assertThat(api
			.send("PUT", plainRole, "{\"role\":\"admin\"}",
					TestUser.with(plain.bearerHeaders(), "Content-Type", "application/json"))
			.status()).isEqualTo(403);
		assertThat(api.get("/api/knowledge/documents", plain.bearerHeaders()).status()).isEqualTo(403);

		// Promotion takes effect on the user's next request, with the same token.
		ApiClient.Response promoted = put(plainRole, "admin", chief);
		assertThat(promoted.status()).as(promoted.toString()).isEqualTo(200);
		assertThat(promoted.json().get("role").asString()).isEqualTo("admin");
		assertThat(api.get("/api/auth/me", plain.bearerHeaders()).json().get("role").asString()).isEqualTo("admin");

		// Demotion too; the name of an admin does not make anyone admin again.
		assertThat(put(plainRole, "user", chief).status()).isEqualTo(200);
		assertThat(api.get("/api/auth/me", plain.bearerHeaders()).json().get("role").asString()).isEqualTo("user");

		assertThat(put("/api/admin/users/nobody-" + plain.username() + "/role", "admin", chief).status())
			.isEqualTo(404);
		ApiClient.Response invalid = put(plainRole, "root", chief);
		assertThat(invalid.status()).isEqualTo(422);
	}

	@Test
	void theLastAdminCannotDemoteItself() {
		TestUser solo = TestUsers.register(api);
		try (Connection connection = connect(); Statement statement = connection.createStatement()) {
			List<String> admins = new ArrayList<>();
			var rows = statement.executeQuery("select username from users where role = 'admin'");
			while (rows.next()) {
				admins.add(rows.getString(1));
			}
			// Make solo the only admin of this database for the duration of the test.
			statement.executeUpdate("update users set role = 'user'");
			statement.executeUpdate("update users set role = 'admin' where id = " + solo.id());
			try {
				ApiClient.Response refused = put("/api/admin/users/" + solo.username() + "/role", "user", solo);
				assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
				assertThat(refused.contentType()).startsWith("application/problem+json");
				assertThat(api.get("/api/auth/me", solo.bearerHeaders()).json().get("role").asString())
					.isEqualTo("admin");
				// With a second admin, leaving is fine.
				TestUser other = TestUsers.register(api);
				assertThat(put("/api/admin/users/" + other.username() + "/role", "admin", solo).status())
					.isEqualTo(200);
				assertThat(put("/api/admin/users/" + solo.username() + "/role", "user", solo).status()).isEqualTo(200);
				assertThat(api.get("/api/admin/users/x/role", solo.bearerHeaders()).status()).isEqualTo(403);
			}
			finally {
				for (String admin : admins) {
					statement.executeUpdate("update users set role = 'admin' where username = '" + admin + "'");
				}
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Test
	void productionRefusesToStartWithListedNamesAndNoStrongToken() {
		TestDatabase.Info database = TestDatabase.createEmptyDatabase();
		assertThatThrownBy(() -> start(database, "--APP_ENV=production", "--ADMIN_USERNAMES=boss"))
			.hasRootCauseInstanceOf(InvalidConfigurationException.class)
			.rootCause()
			.hasMessageContaining("ADMIN_BOOTSTRAP_TOKEN");
		AuthProperties shortToken = new AuthProperties(null, 240, false, "lax", "http://x", List.of(), List.of("boss"),
				10, java.time.Duration.ofSeconds(120), java.time.Duration.ofMinutes(10),
				AuthPropertiesTests.properties("http://x", List.of(), List.of()).oauth(), "x".repeat(31));
		assertThatThrownBy(() -> new AdminBootstrap(shortToken,
				new PlatformProperties("production", java.nio.file.Path.of("data"), java.nio.file.Path.of("data"))))
			.isInstanceOf(InvalidConfigurationException.class)
			.hasMessageContaining("at least 32");
	}

	/**
	 * Existing deployments: accounts whose names were listed keep the admin role they had
	 * (now stored), and the list no longer makes anyone admin by name afterwards.
	 */
	@Test
	void theMigrationStoresTheRoleOfExistingAccounts() throws SQLException {
		TestDatabase.Info database = TestDatabase.createEmptyDatabase();
		Flyway.configure()
			.dataSource(database.url(), database.username(), database.password())
			.locations("classpath:db/migration")
			.target("7")
			.load()
			.migrate();
		try (Connection connection = DriverManager.getConnection(database.url(), database.username(),
				database.password()); Statement statement = connection.createStatement()) {
			statement.executeUpdate("insert into users (username, email, password_hash, role) values "
					+ "('Owner', 'owner@example.com', 'x', 'user'), ('eve', 'eve@example.com', 'x', 'admin')");
		}
		// What the application's Flyway runs: the SQL migrations and this bean.
		Flyway.configure()
			.dataSource(database.url(), database.username(), database.password())
			.locations("classpath:db/migration")
			.javaMigrations(new AdminRoleMigration(List.of("owner")))
			.load()
			.migrate();
		assertThat(roles(database)).containsEntry("Owner", "admin").containsEntry("eve", "user");
		// Later start-ups with another list neither fail validation nor change roles.
		Flyway.configure()
			.dataSource(database.url(), database.username(), database.password())
			.locations("classpath:db/migration")
			.javaMigrations(new AdminRoleMigration(List.of("eve")))
			.load()
			.migrate();
		assertThat(roles(database)).containsEntry("Owner", "admin").containsEntry("eve", "user");
	}

	private static Map<String, String> roles(TestDatabase.Info database) throws SQLException {
		try (Connection connection = DriverManager.getConnection(database.url(), database.username(),
				database.password()); Statement statement = connection.createStatement()) {
			var rows = statement.executeQuery("select username, role from users");
			Map<String, String> roles = new java.util.HashMap<>();
			while (rows.next()) {
				roles.put(rows.getString(1), rows.getString(2));
			}
			return roles;
		}
	}

	private static ApiClient.Response register(String username, String email, String... headers) {
		return api.postJson("/api/auth/register",
				Map.of("username", username, "email", email, "password", "password-" + username.toLowerCase() + "-1"),
				headers);
	}

	private static ApiClient.Response put(String path, String role, TestUser as) {
		return api.send("PUT", path, "{\"role\":\"" + role + "\"}",
				TestUser.with(as.bearerHeaders(), "Content-Type", "application/json"));
	}

	private static Connection connect() throws SQLException {
		String url = app.getEnvironment().getProperty("spring.datasource.url");
		return DriverManager.getConnection(url, app.getEnvironment().getProperty("spring.datasource.username"),
				app.getEnvironment().getProperty("spring.datasource.password"));
	}

	static ConfigurableApplicationContext start(TestDatabase.Info database, String... arguments) {
		List<String> all = new ArrayList<>(List.of("--spring.datasource.url=" + database.url(),
				"--spring.datasource.username=" + database.username(),
				"--spring.datasource.password=" + database.password(), "--server.port=0", "--METRICS_PUBLIC=true",
				"--SECRET_KEY=" + SigningSecretTests.RANDOM_KEY, "--EMBEDDED_DB_ALLOWED_IN_PRODUCTION=true"));
		all.addAll(List.of(arguments));
		return new SpringApplicationBuilder(Application.class).properties("ragchat.test.own-datasource=true")
			.run(all.toArray(String[]::new));
	}

	static ApiClient client(ConfigurableApplicationContext context) {
		return new ApiClient(((WebServerApplicationContext) context).getWebServer().getPort());
	}

}
