package com.ragchat.platform;

import java.beans.PropertyEditorSupport;
import java.util.regex.Pattern;

import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.InitBinder;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Integers in paths and query strings ({@code /sessions/{id}}, {@code ?limit=}) are plain
 * decimal digits. Spring's default number parsing also reads {@code 0x10} and {@code #10}
 * as 16, {@code +1} and {@code " 1"} as 1 and other scripts' digits ({@code ٣}) as their
 * values, so one resource had many URLs and a malformed id could reach a real row.
 * Anything else is a type mismatch (422). Registered as editors, because the binder falls
 * back to Spring's lenient default editors when a conversion-service converter refuses a
 * value.
 */
@RestControllerAdvice
class DecimalIdConversion {

	private static final Pattern DECIMAL = Pattern.compile("-?[0-9]{1,19}");

	@InitBinder
	void decimalIntegers(WebDataBinder binder) {
		binder.registerCustomEditor(long.class, new DecimalEditor(Long.MIN_VALUE, Long.MAX_VALUE, false));
		binder.registerCustomEditor(Long.class, new DecimalEditor(Long.MIN_VALUE, Long.MAX_VALUE, false));
		binder.registerCustomEditor(int.class, new DecimalEditor(Integer.MIN_VALUE, Integer.MAX_VALUE, true));
		binder.registerCustomEditor(Integer.class, new DecimalEditor(Integer.MIN_VALUE, Integer.MAX_VALUE, true));
	}

	/** Parses decimal digits within bounds; anything else is an illegal argument. */
	static final class DecimalEditor extends PropertyEditorSupport {

		private final long min;

		private final long max;

		private final boolean integer;

		DecimalEditor(long min, long max, boolean integer) {
			this.min = min;
			this.max = max;
			this.integer = integer;
		}

		@Override
		public void setAsText(String text) {
			if (text == null || text.isEmpty()) {
				// As Spring's own editors: an empty value is no value (defaults apply).
				setValue(null);
				return;
			}
			if (!DECIMAL.matcher(text).matches()) {
				throw new IllegalArgumentException("not a decimal integer");
			}
			long value = Long.parseLong(text);
			if (value < this.min || value > this.max) {
				throw new IllegalArgumentException("out of range");
			}
			setValue(this.integer ? Integer.valueOf((int) value) : Long.valueOf(value));
		}

	}

}
