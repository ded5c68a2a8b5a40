package com.ragchat.observability.logging;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import org.slf4j.helpers.MessageFormatter;

/**
 * The text log's message ({@code %safeMsg}): every logged value (each {@code {}}
 * argument) with CR, LF and every other control character escaped ({@code \r},
 * {@code \n}, {@code \t}, {@code \u001b}, …), so no value, whatever a client or a
 * document put in it, can start a forged log line or drive a terminal. The message
 * template is the code's own and keeps its line breaks (start-up failure reports). JSON
 * lines need no such help: JSON escapes controls.
 */
public class SafeMessageConverter extends MessageConverter {

	@Override
	public String convert(ILoggingEvent event) {
		Object[] arguments = event.getArgumentArray();
		if (arguments == null || arguments.length == 0) {
			return super.convert(event);
		}
		Object[] escaped = new Object[arguments.length];
		for (int i = 0; i < arguments.length; i++) {
			Object argument = arguments[i];
			escaped[i] = (argument == null || argument instanceof Throwable) ? argument
					: escape(String.valueOf(argument));
		}
		return MessageFormatter.arrayFormat(event.getMessage(), escaped).getMessage();
	}

	/** {@code text} with control characters (and U+2028/U+2029) written as escapes. */
	public static String escape(String text) {
		StringBuilder escaped = null;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			boolean control = Character.getType(c) == Character.CONTROL || c == '\u2028' || c == '\u2029';
			if (!control) {
				if (escaped != null) {
					escaped.append(c);
				}
				continue;
			}
			if (escaped == null) {
				escaped = new StringBuilder(text.length() + 16).append(text, 0, i);
			}
			switch (c) {
				case '\r' -> escaped.append("\\r");
				case '\n' -> escaped.append("\\n");
				case '\t' -> escaped.append("\\t");
				default -> escaped.append(String.format("\\u%04x", (int) c));
			}
		}
		return (escaped != null) ? escaped.toString() : text;
	}

}
