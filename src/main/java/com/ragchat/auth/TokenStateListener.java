package com.ragchat.auth;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Keeps this replica's {@link TokenStateCache} current: one dedicated connection (not
 * from the pool) that {@code LISTEN}s on {@value #CHANNEL}, where the triggers of
 * migration 18 announce every change of the token state at commit.
 * <p>
 * The order on every (re)connection is listen, then forget, then trust: once
 * {@code LISTEN} has returned, every later commit reaches us; forgetting afterwards drops
 * whatever the cache learnt before (including while disconnected), and only then may
 * requests use it. While the connection is down, or its last proof of life (a round trip
 * every {@code heartbeat}) is older than {@code lease}, the cache is not trusted and
 * every request asks the database.
 * <p>
 * Notifications alone arrive a little after the commit, and a request on another replica
 * can be faster (measured: 15 of 300 immediate cross-replica checks saw the old role on a
 * loaded machine). So a cached answer waits for a round trip on this connection that
 * started after the request arrived ({@link #awaitRoundTrip}): PostgreSQL delivers the
 * notifications of every earlier commit before it answers that query. Requests waiting
 * together share one round trip, so under load it costs a fraction of a query per
 * request; when idle, the connection is only used by the heartbeat.
 */
class TokenStateListener implements SmartLifecycle {

	/** The notification channel (see {@code V18__token_state_notifications.sql}). */
	static final String CHANNEL = "ragchat_token_state";

	/** The listener connection's {@code application_name}, for operators. */
	static final String APPLICATION_NAME = "ragchat-token-state";

	private static final Logger logger = LoggerFactory.getLogger(TokenStateListener.class);

	/** The longest a request waits for a round trip before it asks the database. */
	private static final Duration ROUND_TRIP_WAIT = Duration.ofMillis(500);

	/** Opens the listener's connection. */
	@FunctionalInterface
	interface ConnectionSource {

		Connection open() throws SQLException;

	}

	private final @Nullable ConnectionSource connections;

	private final TokenStateCache cache;

	private final long heartbeatNanos;

	private final long leaseNanos;

	private final long backoffMinMillis;

	private final long backoffMaxMillis;

	/** The listener connection's server process, or 0 while there is none. */
	private volatile int backendPid;

	private volatile boolean running;

	private volatile boolean listening;

	private volatile @Nullable Thread thread;

	/** Connections made that reached {@code LISTEN}, for tests and the metric. */
	private final AtomicLong connects = new AtomicLong();

	private final AtomicLong roundTrips = new AtomicLong();

	/** The round trip that has not started yet; requests wait for it. */
	private final AtomicReference<CompletableFuture<Boolean>> nextRound = new AtomicReference<>(
			new CompletableFuture<>());

	/** Whether a request waits for the next round trip. */
	private final AtomicBoolean wanted = new AtomicBoolean();

	/** With no {@code connections}, it never starts and the cache is never trusted. */
	TokenStateListener(@Nullable ConnectionSource connections, TokenStateCache cache, Duration heartbeat,
			Duration lease, Duration backoffMin, Duration backoffMax) {
		this.connections = connections;
		this.cache = cache;
		this.heartbeatNanos = heartbeat.toNanos();
		this.leaseNanos = lease.toNanos();
		this.backoffMinMillis = Math.max(1, backoffMin.toMillis());
		this.backoffMaxMillis = Math.max(this.backoffMinMillis, backoffMax.toMillis());
	}

	@Override
	public void start() {
		ConnectionSource source = this.connections;
		if (source == null) {
			return;
		}
		this.running = true;
		Thread started = Thread.ofPlatform().name("token-state-listener").daemon(true).unstarted(() -> run(source));
		this.thread = started;
		started.start();
	}

	@Override
	public void stop() {
		this.running = false;
		this.cache.distrust();
		Thread current = this.thread;
		if (current != null) {
			LockSupport.unpark(current);
			current.interrupt();
			try {
				// It notices within one heartbeat (its longest wait for notifications).
				current.join(TimeUnit.NANOSECONDS.toMillis(this.heartbeatNanos) + 2000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Whether the connection is up and listening (the cache may still wait for a proof).
	 */
	boolean listening() {
		return this.listening;
	}

	/** The server process of the listener's connection (0: none), for tests. */
	int backendPid() {
		return this.backendPid;
	}

	/** Round trips made on the listener connection (heartbeats and requests' syncs). */
	long roundTrips() {
		return this.roundTrips.get();
	}

	long connects() {
		return this.connects.get();
	}

	private void run(ConnectionSource source) {
		long backoff = this.backoffMinMillis;
		boolean everConnected = false;
		boolean warned = false;
		while (this.running) {
			try (Connection connection = source.open()) {
				connection.setAutoCommit(true);
				PGConnection notifications = connection.unwrap(PGConnection.class);
				this.backendPid = notifications.getBackendPID();
				long since = System.nanoTime();
				try (Statement statement = connection.createStatement()) {
					statement.execute("LISTEN " + CHANNEL);
				}
				// Listening from here on: anything committed from now on will be
				// notified. What the cache holds may predate it, so forget it before
				// trusting.
				this.cache.invalidateAll();
				this.cache.trustUntil(since, this.leaseNanos);
				this.listening = true;
				this.connects.incrementAndGet();
				if (warned || !everConnected) {
					logger.info("Token state cache: listening for changes{}", everConnected ? " again" : "");
				}
				everConnected = true;
				warned = false;
				backoff = this.backoffMinMillis;
				listen(connection, notifications, since);
			}
			catch (SQLException | RuntimeException ex) {
				// First of all: no answer from the cache until we listen again.
				this.cache.distrust();
				this.listening = false;
				if (!this.running) {
					break;
				}
				if (!warned) {
					logger
						.warn("Token state cache: the listener connection failed ({}); every request checks its token "
								+ "in the database until it is back", describe(ex));
					warned = true;
				}
				else {
					logger.debug("Token state cache: reconnecting failed: {}", describe(ex));
				}
			}
			this.cache.distrust();
			this.listening = false;
			this.backendPid = 0;
			this.nextRound.getAndSet(new CompletableFuture<>()).complete(false);
			if (!this.running) {
				break;
			}
			try {
				Thread.sleep(backoff);
			}
			catch (InterruptedException ex) {
				if (!this.running) {
					break;
				}
			}
			backoff = Math.min(backoff * 2, this.backoffMaxMillis);
		}
		this.cache.distrust();
		this.listening = false;
		this.nextRound.getAndSet(new CompletableFuture<>()).complete(false);
	}

	/**
	 * Waits until a round trip on the listener connection that started after this call
	 * has completed and the notifications it brought are applied: from then on the cache
	 * reflects every change committed before the call, on any replica. Concurrent callers
	 * share one round trip. False (ask the database) when the listener is down or slow.
	 */
	boolean awaitRoundTrip() {
		Thread listener = this.thread;
		if (!this.listening || listener == null) {
			return false;
		}
		CompletableFuture<Boolean> round = this.nextRound.get();
		if (!this.wanted.getAndSet(true)) {
			LockSupport.unpark(listener);
		}
		try {
			return round.get(ROUND_TRIP_WAIT.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException | ExecutionException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * Makes a round trip whenever a request waits for one (see {@link #awaitRoundTrip})
	 * or a heartbeat is due, applying the notifications each brings, until the connection
	 * fails or we stop.
	 */
	private void listen(Connection connection, PGConnection notifications, long since) throws SQLException {
		long nextHeartbeat = since + this.heartbeatNanos;
		try (Statement statement = connection.createStatement()) {
			while (this.running) {
				if (!this.wanted.getAndSet(false)) {
					long idle = nextHeartbeat - System.nanoTime();
					if (idle > 0) {
						LockSupport.parkNanos(this, idle);
						if (!this.wanted.getAndSet(false) && nextHeartbeat - System.nanoTime() > 0) {
							continue;
						}
					}
				}
				// Whoever holds this round arrived before its round trip starts.
				CompletableFuture<Boolean> round = this.nextRound.getAndSet(new CompletableFuture<>());
				long started = System.nanoTime();
				try {
					statement.execute("select 1");
					// PostgreSQL sends the notifications of the commits that preceded the
					// query before it reports ready for the next one.
					apply(notifications.getNotifications());
				}
				catch (SQLException | RuntimeException ex) {
					round.complete(false);
					throw ex;
				}
				this.cache.trustUntil(started, this.leaseNanos);
				this.roundTrips.incrementAndGet();
				round.complete(true);
				nextHeartbeat = started + this.heartbeatNanos;
			}
		}
	}

	private void apply(PGNotification @Nullable [] received) {
		if (received == null) {
			return;
		}
		for (PGNotification notification : received) {
			String payload = notification.getParameter();
			if (payload.startsWith("r:")) {
				this.cache.tokenRevoked(payload.substring(2));
			}
			else if (payload.startsWith("u:")) {
				try {
					this.cache.accountChanged(Long.parseLong(payload.substring(2)));
				}
				catch (NumberFormatException ex) {
					this.cache.invalidateAll();
				}
			}
			else {
				// "*" or anything this version does not know: forget everything.
				this.cache.invalidateAll();
			}
		}
	}

	private static String describe(Exception ex) {
		String message = ex.getMessage();
		return ex.getClass().getSimpleName() + ((message != null) ? ": " + message.lines().findFirst().orElse("") : "");
	}

}
