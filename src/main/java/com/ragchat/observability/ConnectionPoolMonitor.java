package com.ragchat.observability;

import java.util.function.ToDoubleFunction;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

import com.ragchat.platform.HikariPools;

import org.springframework.stereotype.Component;

/**
 * The application's connection pool as operators of the earlier service know it: the
 * {@code chatbot_db_pool_*} gauges and the {@code /api/metrics/db-pool} snapshot. Every
 * value is read from HikariCP when asked for, so a scrape always sees the pool as it is
 * (not as it was at the last call of some endpoint).
 */
@Component
class ConnectionPoolMonitor implements MeterBinder {

	private final @Nullable HikariDataSource pool;

	ConnectionPoolMonitor(DataSource dataSource) {
		this.pool = HikariPools.of(dataSource);
	}

	/** Whether the application's pool is a HikariCP pool this monitor can read. */
	boolean available() {
		return this.pool != null;
	}

	/** The pool right now; all zeros (and the configured maximum) before it started. */
	PoolSnapshot snapshot() {
		HikariDataSource source = this.pool;
		if (source == null) {
			return new PoolSnapshot(0, 0, 0, 0, 0.0, 0, 0);
		}
		int max = source.getMaximumPoolSize();
		int minimum = Math.max(0, source.getMinimumIdle());
		HikariPoolMXBean bean = source.getHikariPoolMXBean();
		if (bean == null) {
			return new PoolSnapshot(0, 0, 0, -minimum, 0.0, max, 0);
		}
		int active = bean.getActiveConnections();
		int idle = bean.getIdleConnections();
		int open = bean.getTotalConnections();
		double usage = (max > 0) ? (double) active / max : 0.0;
		return new PoolSnapshot(open, active, idle, open - minimum, usage, max, bean.getThreadsAwaitingConnection());
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		gauge(registry, "chatbot.db.pool.size", "Open connections in the pool", PoolSnapshot::size);
		gauge(registry, "chatbot.db.pool.checked.out", "Connections in use by requests", PoolSnapshot::checkedout);
		gauge(registry, "chatbot.db.pool.checked.in", "Idle connections ready for use", PoolSnapshot::checkedin);
		gauge(registry, "chatbot.db.pool.overflow", "Open connections beyond the configured minimum",
				PoolSnapshot::overflow);
		gauge(registry, "chatbot.db.pool.usage.ratio", "Connections in use divided by the pool's maximum",
				PoolSnapshot::usageRatio);
	}

	private void gauge(MeterRegistry registry, String name, String description, ToDoubleFunction<PoolSnapshot> value) {
		Gauge.builder(name, this, (monitor) -> value.applyAsDouble(monitor.snapshot()))
			.description(description)
			.strongReference(true)
			.register(registry);
	}

	/**
	 * The pool in the earlier service's terms.
	 *
	 * @param size open connections (in use and idle)
	 * @param checkedout connections in use
	 * @param checkedin idle connections
	 * @param overflow open connections minus the configured minimum
	 * ({@code DB_POOL_MIN_IDLE}); negative while the pool holds fewer
	 * @param usageRatio {@code checkedout / max}
	 * @param max most connections the pool opens ({@code DB_POOL_SIZE})
	 * @param pending threads waiting for a connection
	 */
	record PoolSnapshot(int size, int checkedout, int checkedin, int overflow, double usageRatio, int max,
			int pending) {
	}

}
