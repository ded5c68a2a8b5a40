package com.ragchat.platform;

import java.sql.SQLException;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.jspecify.annotations.Nullable;

/** Finds the Hikari pool behind a {@link DataSource}, wrapped or not. */
public final class HikariPools {

	private HikariPools() {
	}

	/** The pool {@code dataSource} is or wraps; null when it is not a Hikari pool. */
	public static @Nullable HikariDataSource of(DataSource dataSource) {
		if (dataSource instanceof HikariDataSource hikari) {
			return hikari;
		}
		try {
			return dataSource.isWrapperFor(HikariDataSource.class) ? dataSource.unwrap(HikariDataSource.class) : null;
		}
		catch (SQLException ex) {
			return null;
		}
	}

}
