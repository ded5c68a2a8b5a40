package com.ragchat.observability;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.springframework.stereotype.Component;

/** The database answers a trivial query through the application's own pool. */
@Component
class DatabaseReadinessCheck implements ReadinessCheck {

	private final DataSource dataSource;

	DatabaseReadinessCheck(DataSource dataSource) {
		this.dataSource = dataSource;
	}

	@Override
	public String component() {
		return "database";
	}

	@Override
	public void check() throws SQLException {
		try (Connection connection = this.dataSource.getConnection()) {
			if (!connection.isValid(2)) {
				throw new SQLException("connection is not valid");
			}
		}
	}

}
