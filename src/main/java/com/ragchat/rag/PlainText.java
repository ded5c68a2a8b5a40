package com.ragchat.rag;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Text that reaches clients as data, never as markup: document titles, metadata, links
 * and passages may come from hostile files, and a web client that renders any of them as
 * HTML or follows a link must find nothing active in them.
 */
public final class PlainText {

	/**
	 * A complete tag, comment or declaration: {@code <img …>}, {@code </b>},
	 * {@code <!-- -->}.
	 */
	private static final Pattern TAG = Pattern.compile("<[/!?]?[A-Za-z!?][^<>]*>");

	/** What is left of a tag that was never closed: {@code <img src=x onerror=…}. */
	private static final Pattern TAG_START = Pattern.compile("<(?=[/!?]?[A-Za-z!?])");

	/** C0/C1 controls and the Unicode line and paragraph separators. */
	private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}\\u2028\\u2029]+");

	/** Controls except line feed and tab, which a passage keeps. */
	private static final Pattern CONTROL_EXCEPT_LINES = Pattern.compile("[\\p{Cc}\\u2028\\u2029&&[^\\n\\t]]+");

	private static final Pattern SPACES = Pattern.compile("\\s{2,}");

	private PlainText() {
	}

	/**
	 * A one-line plain text: tags removed, an unclosed tag's {@code <} dropped, control
	 * characters (CR, LF, NUL, ESC, …) turned into spaces, spaces collapsed.
	 */
	public static String line(String value) {
		String text = TAG.matcher(value).replaceAll(" ");
		text = TAG_START.matcher(text).replaceAll("");
		text = CONTROL.matcher(text).replaceAll(" ");
		return SPACES.matcher(text).replaceAll(" ").strip();
	}

	/** {@link #line(String)}, passing {@code null} through. */
	public static @Nullable String lineOrNull(@Nullable String value) {
		return (value != null) ? line(value) : null;
	}

	/**
	 * A passage's text with every tag opening neutralised ({@code <} before a tag name
	 * becomes {@code ＜}, U+FF1C), so that {@code &lt;script&gt;} decoded from a page
	 * never turns into a {@code <script>} tag in an answer; lines and tabs are kept,
	 * other controls dropped.
	 */
	public static String passage(String value) {
		String text = TAG_START.matcher(value).replaceAll("\uFF1C");
		return CONTROL_EXCEPT_LINES.matcher(text).replaceAll(" ");
	}

	/**
	 * Whether {@code value} is an absolute {@code http} or {@code https} URL with a host:
	 * the only links clients may receive ({@code javascript:}, {@code data:},
	 * {@code vbscript:}, protocol-relative and relative links are not).
	 */
	public static boolean isWebUrl(@Nullable String value) {
		if (value == null || value.isEmpty() || !value.equals(value.strip()) || CONTROL.matcher(value).find()) {
			return false;
		}
		try {
			URI uri = new URI(value);
			String scheme = uri.getScheme();
			return scheme != null
					&& (scheme.toLowerCase(Locale.ROOT).equals("http")
							|| scheme.toLowerCase(Locale.ROOT).equals("https"))
					&& uri.getRawAuthority() != null && uri.getHost() != null && !uri.getHost().isEmpty()
					&& value.indexOf('<') < 0 && value.indexOf('>') < 0 && value.indexOf('"') < 0;
		}
		catch (URISyntaxException ex) {
			return false;
		}
	}

	/** {@code value} when it is a web URL ({@link #isWebUrl}), else {@code null}. */
	public static @Nullable String webUrlOrNull(@Nullable String value) {
		return isWebUrl(value) ? value : null;
	}

}
