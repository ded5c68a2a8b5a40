package com.ragchat.platform;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Recognises a request that failed because the database could not be reached (it is down,
 * restarting, or every pooled connection is busy): an operational condition, not a
 * defect, so the client gets a 503 it may retry instead of a 500 asking it to report a
 * bug, and the log gets one line instead of a stack trace per request.
 */
final class DatabaseUnavailable {

	static final String DETAIL = "The service is temporarily unavailable. Please try again shortly.";

	private DatabaseUnavailable() {
	}

	static boolean causes(@Nullable Throwable failure) {
		int depth = 0;
		for (Throwable t = failure; t != null && depth < 20; t = t.getCause(), depth++) {
			if (t instanceof CannotCreateTransactionException || t instanceof DataAccessResourceFailureException
					|| t instanceof SQLTransientConnectionException
					|| t instanceof SQLNonTransientConnectionException) {
				return true;
			}
			if (t instanceof SQLException sql && sql.getSQLState() != null) {
				String state = sql.getSQLState();
				// 08: connection exceptions; 57P01-57P03: the server is shutting down,
				// crashed or still starting.
				if (state.startsWith("08") || state.startsWith("57P0")) {
					return true;
				}
			}
		}
		return false;
	}

	/** The innermost cause, for a log line that names what happened. */
	static String rootCause(Throwable failure) {
		Throwable root = failure;
		int depth = 0;
		while (root.getCause() != null && root.getCause() != root && depth++ < 20) {
			root = root.getCause();
		}
		return root.getClass().getSimpleName() + ": " + root.getMessage();
	}

}
