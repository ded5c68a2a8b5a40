package com.ragchat.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * A clock tests move forward by hand, so expiry is tested without sleeping. Import
 * {@link Configuration} to make it the application's {@link AuthClock}.
 */
class MutableClock extends Clock {

	private volatile Instant now = Instant.now();

	void advance(Duration duration) {
		this.now = this.now.plus(duration);
	}

	void reset() {
		this.now = Instant.now();
	}

	@Override
	public ZoneId getZone() {
		return ZoneOffset.UTC;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		return this;
	}

	@Override
	public Instant instant() {
		return this.now;
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Configuration {

		@Bean
		MutableClock mutableClock() {
			return new MutableClock();
		}

		@Bean
		@Primary
		AuthClock testAuthClock(MutableClock clock) {
			return new AuthClock(clock);
		}

	}

}
