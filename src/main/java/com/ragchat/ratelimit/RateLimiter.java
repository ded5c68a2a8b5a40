package com.ragchat.ratelimit;

import java.time.Duration;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Token buckets in PostgreSQL: a bucket holds up to {@code limit} tokens and refills at
 * {@code limit} per window; each request takes one. One atomic upsert per check (the row
 * lock serialises concurrent requests for the same key), so every replica draws from the
 * same bucket. Time is the database's, so replicas with skewed clocks still agree.
 */
class RateLimiter {

	/** Tokens in the bucket after refilling for the time since its last update. */
	private static final String REFILLED = "least(:capacity, b.tokens + greatest(0, extract(epoch from (now() - b.updated_at))::float8) * :rate)";

	private static final String TAKE = """
			insert into rate_limit_buckets as b (scope, bucket_key, tokens, updated_at, last_allowed)
			values (:scope, :key, :capacity - 1, now(), true)
			on conflict (scope, bucket_key) do update set
			    tokens = case when %1$s >= 1 then %1$s - 1 else %1$s end,
			    last_allowed = %1$s >= 1,
			    updated_at = greatest(b.updated_at, now())
			returning tokens, last_allowed
			""".formatted(REFILLED);

	private final NamedParameterJdbcTemplate jdbc;

	RateLimiter(NamedParameterJdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/** Takes one token from the bucket {@code (scope, key)} if it has one. */
	Decision take(String scope, String key, int limit, Duration window) {
		double rate = limit / (double) window.toSeconds();
		MapSqlParameterSource parameters = new MapSqlParameterSource().addValue("scope", scope)
			.addValue("key", key)
			.addValue("capacity", (double) limit)
			.addValue("rate", rate);
		return this.jdbc.queryForObject(TAKE, parameters,
				(rs, row) -> Decision.of(rs.getBoolean("last_allowed"), rs.getDouble("tokens"), limit, rate));
	}

	int prune(Duration idle) {
		return this.jdbc.update(
				"delete from rate_limit_buckets where updated_at < now() - make_interval(secs => :secs)",
				new MapSqlParameterSource("secs", (double) idle.toSeconds()));
	}

	/**
	 * The outcome of one check.
	 *
	 * @param allowed whether the request may proceed
	 * @param limit the bucket's capacity
	 * @param remaining whole tokens left
	 * @param resetSeconds seconds until the bucket is full again
	 * @param retryAfterSeconds seconds until the next token (0 when allowed)
	 */
	record Decision(boolean allowed, int limit, int remaining, long resetSeconds, long retryAfterSeconds) {

		static Decision of(boolean allowed, double tokens, int limit, double rate) {
			long reset = (long) Math.ceil(Math.max(0, limit - tokens) / rate);
			long retryAfter = allowed ? 0 : Math.max(1, (long) Math.ceil((1 - tokens) / rate));
			return new Decision(allowed, limit, (int) Math.floor(Math.max(0, tokens)), reset, retryAfter);
		}

	}

}
