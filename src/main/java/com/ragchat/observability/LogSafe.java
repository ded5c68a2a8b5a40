package com.ragchat.observability;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.jspecify.annotations.Nullable;

/**
 * How user text appears in logs at INFO: never in full. {@link #summary} gives its length
 * and a short hash, enough to tell two messages apart or find repeats without storing
 * what a user wrote; log the text itself only at DEBUG, which is for local use.
 */
public final class LogSafe {

	private LogSafe() {
	}

	/**
	 * {@code len=<characters> sha=<first 10 hex digits of SHA-256>}, or {@code len=0} for
	 * null or empty text.
	 */
	public static String summary(@Nullable CharSequence text) {
		if (text == null || text.isEmpty()) {
			return "len=0";
		}
		byte[] digest = sha256(text.toString());
		return "len=" + text.length() + " sha=" + HexFormat.of().formatHex(digest, 0, 5);
	}

	private static byte[] sha256(String text) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every Java runtime", ex);
		}
	}

}
