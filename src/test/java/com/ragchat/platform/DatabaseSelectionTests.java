package com.ragchat.platform;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.ragchat.Application;
import com.ragchat.support.ApiClient;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * How the application picks its database, exercised by starting the real application:
 * {@code DATABASE_URL} wins and is migrated; without any URL an embedded PostgreSQL keeps
 * its data across restarts.
 */
class DatabaseSelectionTests {

	@Test
	void databaseUrlIsMigratedFromEmptyAndUsed() throws SQLException {
		TestDatabase.Info empty = TestDatabase.createEmptyDatabase();
		try (ConfigurableApplicationContext context = start("--DATABASE_URL=" + libpqUrl(empty))) {
			HikariDataSource dataSource = (HikariDataSource) context.getBean(DataSource.class);
			assertThat(dataSource.getJdbcUrl()).isEqualTo(empty.url());
			assertThat(context.getBeanProvider(EmbeddedPostgresServer.class).getIfAvailable()).isNull();
			try (Connection connection = connect(empty); Statement statement = connection.createStatement()) {
				ResultSet history = statement
					.executeQuery("select count(*) from flyway_schema_history where version = '1' and success");
				history.next();
				assertThat(history.getInt(1)).isEqualTo(1);
				ResultSet tables = statement.executeQuery("select count(*) from information_schema.tables where "
						+ "table_name in ('users','chat_sessions','chat_messages','message_feedback')");
				tables.next();
				assertThat(tables.getInt(1)).isEqualTo(4);
			}
		}
	}

	@Test
	void schemaValidationRefusesADriftedDatabase() throws SQLException {
		TestDatabase.Info database = TestDatabase.createEmptyDatabase();
		start("--DATABASE_URL=" + libpqUrl(database)).close();
		try (Connection connection = connect(database); Statement statement = connection.createStatement()) {
			statement.execute("alter table chat_messages drop column metadata");
		}
		assertThatException().isThrownBy(() -> start("--DATABASE_URL=" + libpqUrl(database)))
			.withStackTraceContaining("metadata");
	}

	@Test
	void withoutAUrlAnEmbeddedDatabaseStartsAndKeepsDataAcrossRestarts(@TempDir Path dataDir) throws SQLException {
		String[] args = { "--DATABASE_URL=", "--spring.datasource.url=", "--EMBEDDED_DB_DIR=" + dataDir };
		try (ConfigurableApplicationContext first = start(args)) {
			EmbeddedPostgresServer server = first.getBean(EmbeddedPostgresServer.class);
			assertThat(server.dataDirectory()).isEqualTo(dataDir.toAbsolutePath().normalize());
			int port = ((WebServerApplicationContext) first).getWebServer().getPort();
			assertThat(new ApiClient(port).get("/api/health/ready").status()).isEqualTo(200);
			try (Connection connection = first.getBean(DataSource.class).getConnection();
					Statement statement = connection.createStatement()) {
				statement.execute("insert into users (username, email) values ('kept', 'kept@example.com')");
			}
		}
		try (ConfigurableApplicationContext second = start(args);
				Connection connection = second.getBean(DataSource.class).getConnection();
				Statement statement = connection.createStatement()) {
			ResultSet rows = statement.executeQuery("select email from users where username = 'kept'");
			assertThat(rows.next()).isTrue();
			assertThat(rows.getString(1)).isEqualTo("kept@example.com");
		}
	}

	private static ConfigurableApplicationContext start(String... args) {
		// The port as an argument: application.yml's ${PORT:8000} outranks default
		// properties.
		String[] all = java.util.Arrays.copyOf(args, args.length + 1);
		all[args.length] = "--server.port=0";
		return new SpringApplicationBuilder(Application.class)
			.properties(TestDatabaseEnvironmentPostProcessor.OWN_DATASOURCE + "=true")
			.run(all);
	}

	/**
	 * The libpq form of a test database URL, as a deployment would write DATABASE_URL.
	 */
	private static String libpqUrl(TestDatabase.Info database) {
		String credentials = database.username() + (database.password().isEmpty() ? "" : ":" + database.password());
		return database.url().replace("jdbc:postgresql://", "postgresql://" + credentials + "@");
	}

	private static Connection connect(TestDatabase.Info database) throws SQLException {
		return DriverManager.getConnection(database.url(), database.username(), database.password());
	}

}
