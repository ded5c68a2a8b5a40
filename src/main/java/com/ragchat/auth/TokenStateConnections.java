package com.ragchat.auth;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.jspecify.annotations.Nullable;
import org.postgresql.Driver;

import com.ragchat.platform.HikariPools;

/**
 * Opens the token-state listener's own connection with the pool's settings, outside the
 * pool: it stays open for the life of the replica and must not take one of the pool's
 * connections.
 */
final class TokenStateConnections {

	private TokenStateConnections() {
	}

	/**
	 * A source of connections to the database {@code dataSource} uses, or null when it
	 * does not say (not a Hikari pool with a JDBC URL).
	 */
	static TokenStateListener.@Nullable ConnectionSource like(DataSource dataSource, Duration lease) {
		HikariDataSource hikari = HikariPools.of(dataSource);
		if (hikari == null || hikari.getJdbcUrl() == null) {
			return null;
		}
		String url = hikari.getJdbcUrl();
		Properties properties = new Properties();
		properties.putAll(hikari.getDataSourceProperties());
		if (hikari.getUsername() != null) {
			properties.setProperty("user", hikari.getUsername());
		}
		if (hikari.getPassword() != null) {
			properties.setProperty("password", hikari.getPassword());
		}
		properties.setProperty("ApplicationName", TokenStateListener.APPLICATION_NAME);
		properties.setProperty("tcpKeepAlive", "true");
		properties.setProperty("connectTimeout", "10");
		// A read that hangs (a silent network failure) fails the connection instead of
		// blocking the listener forever; the lease has stopped trust by then anyway.
		properties.setProperty("socketTimeout", Long.toString(Math.max(2, lease.toSeconds() + 1)));
		Driver driver = new Driver();
		return () -> {
			Connection connection = driver.connect(url, properties);
			if (connection == null) {
				throw new SQLException("not a PostgreSQL URL");
			}
			return connection;
		};
	}

}
