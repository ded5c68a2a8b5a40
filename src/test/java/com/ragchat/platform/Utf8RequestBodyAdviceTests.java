package com.ragchat.platform;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The UTF-8 check on request bodies accepts exactly what a strict decoder accepts: every
 * scalar value passes, every ill-formed sequence fails, also across read boundaries.
 */
class Utf8RequestBodyAdviceTests {

	@Test
	void everyScalarValuePasses() throws IOException {
		ByteArrayOutputStream all = new ByteArrayOutputStream();
		for (int codePoint = 0; codePoint <= Character.MAX_CODE_POINT; codePoint++) {
			if (codePoint < Character.MIN_SURROGATE || codePoint > Character.MAX_SURROGATE) {
				all.writeBytes(new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8));
			}
		}
		byte[] bytes = all.toByteArray();
		assertThat(readAll(bytes, 7)).isEqualTo(bytes);
		assertThat(readAll(bytes, 1)).isEqualTo(bytes);
		assertThat(readOneByOne(bytes)).isEqualTo(bytes);
	}

	@Test
	void illFormedSequencesFail() {
		int[][] sequences = { { 0x80 }, { 0xBF }, { 0xC0, 0xAF }, { 0xC1, 0xBF }, { 0xE0, 0x80, 0xAF },
				{ 0xE0, 0x9F, 0xBF }, { 0xED, 0xA0, 0x80 }, { 0xED, 0xBF, 0xBF }, { 0xF0, 0x8F, 0xBF, 0xBF },
				{ 0xF4, 0x90, 0x80, 0x80 }, { 0xF5, 0x80, 0x80, 0x80 }, { 0xFE }, { 0xFF }, { 0xC3 }, { 0xE2, 0x82 },
				{ 0xF0, 0x9F, 0x98 }, { 0xC3, 0x41 }, { 0xE2, 0x28, 0xA1 } };
		for (int[] sequence : sequences) {
			byte[] bytes = new byte[sequence.length + 2];
			bytes[0] = 'a';
			for (int i = 0; i < sequence.length; i++) {
				bytes[i + 1] = (byte) sequence[i];
			}
			// A truncated sequence meets the 'z': that byte is no continuation.
			bytes[bytes.length - 1] = 'z';
			assertThatExceptionOfType(MalformedInputException.class).as("%s", java.util.Arrays.toString(sequence))
				.isThrownBy(() -> readAll(bytes, 3));
		}
	}

	@Test
	void aSequenceCutOffAtTheEndFails() {
		byte[] cut = { 'o', 'k', (byte) 0xF0, (byte) 0x9F, (byte) 0x98 };
		assertThatExceptionOfType(MalformedInputException.class).isThrownBy(() -> readAll(cut, 64));
	}

	private static byte[] readAll(byte[] bytes, int chunk) throws IOException {
		try (InputStream in = new Utf8RequestBodyAdvice.Utf8CheckingInputStream(new ByteArrayInputStream(bytes))) {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			byte[] buffer = new byte[chunk];
			int read;
			while ((read = in.read(buffer, 0, buffer.length)) >= 0) {
				out.write(buffer, 0, read);
			}
			return out.toByteArray();
		}
	}

	private static byte[] readOneByOne(byte[] bytes) throws IOException {
		try (InputStream in = new Utf8RequestBodyAdvice.Utf8CheckingInputStream(new ByteArrayInputStream(bytes))) {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			int b;
			while ((b = in.read()) >= 0) {
				out.write(b);
			}
			return out.toByteArray();
		}
	}

}
