package com.ragchat.chat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Timestamps as the API shows them: UTC, always with milliseconds
 * ({@code 2026-05-19T07:29:32.120Z}). Stored values are cut to milliseconds too, so a
 * timestamp a client got back (the {@code before} cursor) compares equal to the stored
 * one.
 */
final class Timestamps {

	private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
		.withZone(ZoneOffset.UTC);

	private Timestamps() {
	}

	static Instant now() {
		return Instant.now().truncatedTo(ChronoUnit.MILLIS);
	}

	static String format(Instant instant) {
		return FORMAT.format(instant);
	}

}
