package com.ragchat.platform;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;
import java.nio.charset.Charset;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;

import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;

/**
 * Request bodies declared (or defaulting to) UTF-8 must be UTF-8. Jackson's byte parser
 * decodes leniently: it turns an overlong encoding such as {@code C0 AF} into {@code /}
 * and a sequence above U+10FFFF into unpaired surrogates, so text that no UTF-8 decoder
 * accepts would be stored as something else. The body is checked as it is read, without
 * buffering; the first invalid byte ends the request with a 422.
 */
@RestControllerAdvice
class Utf8RequestBodyAdvice extends RequestBodyAdviceAdapter {

	@Override
	public boolean supports(MethodParameter methodParameter, Type targetType,
			Class<? extends HttpMessageConverter<?>> converterType) {
		return true;
	}

	@Override
	public HttpInputMessage beforeBodyRead(HttpInputMessage inputMessage, MethodParameter parameter, Type targetType,
			Class<? extends HttpMessageConverter<?>> converterType) throws IOException {
		MediaType contentType = inputMessage.getHeaders().getContentType();
		Charset charset = (contentType != null) ? contentType.getCharset() : null;
		if (charset != null && !charset.equals(StandardCharsets.UTF_8)) {
			// A body declared in another charset is decoded as that charset.
			return inputMessage;
		}
		InputStream body = new Utf8CheckingInputStream(inputMessage.getBody());
		return new HttpInputMessage() {

			@Override
			public InputStream getBody() {
				return body;
			}

			@Override
			public HttpHeaders getHeaders() {
				return inputMessage.getHeaders();
			}

		};
	}

	/**
	 * Passes bytes through while checking them against RFC 3629: no overlong forms, no
	 * surrogates, nothing above U+10FFFF, no sequence cut off at the end.
	 */
	static final class Utf8CheckingInputStream extends FilterInputStream {

		/** Continuation bytes still expected, and the range the next one must be in. */
		private int expected;

		private int low = 0x80;

		private int high = 0xBF;

		Utf8CheckingInputStream(InputStream in) {
			super(in);
		}

		@Override
		public int read() throws IOException {
			int b = super.read();
			if (b < 0) {
				end();
			}
			else {
				check(b);
			}
			return b;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			int read = super.read(buffer, offset, length);
			if (read < 0) {
				end();
			}
			for (int i = 0; i < read; i++) {
				check(buffer[offset + i] & 0xFF);
			}
			return read;
		}

		@Override
		public long skip(long n) throws IOException {
			// Skipped bytes would go unchecked; read them instead.
			byte[] buffer = new byte[(int) Math.min(n, 8192)];
			int read = read(buffer, 0, buffer.length);
			return Math.max(read, 0);
		}

		private void check(int b) throws MalformedInputException {
			if (this.expected > 0) {
				if (b < this.low || b > this.high) {
					throw new MalformedInputException(1);
				}
				this.expected--;
				this.low = 0x80;
				this.high = 0xBF;
				return;
			}
			if (b < 0x80) {
				return;
			}
			if (b >= 0xC2 && b <= 0xDF) {
				expect(1, 0x80, 0xBF);
			}
			else if (b == 0xE0) {
				expect(2, 0xA0, 0xBF);
			}
			else if (b == 0xED) {
				expect(2, 0x80, 0x9F);
			}
			else if (b >= 0xE1 && b <= 0xEF) {
				expect(2, 0x80, 0xBF);
			}
			else if (b == 0xF0) {
				expect(3, 0x90, 0xBF);
			}
			else if (b >= 0xF1 && b <= 0xF3) {
				expect(3, 0x80, 0xBF);
			}
			else if (b == 0xF4) {
				expect(3, 0x80, 0x8F);
			}
			else {
				throw new MalformedInputException(1);
			}
		}

		private void expect(int continuationBytes, int low, int high) {
			this.expected = continuationBytes;
			this.low = low;
			this.high = high;
		}

		private void end() throws MalformedInputException {
			if (this.expected > 0) {
				throw new MalformedInputException(this.expected);
			}
		}

	}

}
