package com.ragchat.knowledge;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.MemoryUsageSetting;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.text.PDFTextStripper;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeFilter;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Turns an uploaded file into headings and paragraphs. Markdown and plain text are read
 * as UTF-8 (Markdown front matter becomes metadata), HTML through jsoup (scripts, styles
 * and navigation dropped; {@code <meta>} tags named like our metadata are read), PDF
 * through PDFBox (a scanned PDF has no text layer and yields nothing).
 */
final class TextExtractor {

	/** File types the knowledge base accepts, by extension. */
	enum Format {

		MARKDOWN("text/markdown"), TEXT("text/plain"), HTML("text/html"), PDF("application/pdf");

		private final String mediaType;

		Format(String mediaType) {
			this.mediaType = mediaType;
		}

		String mediaType() {
			return this.mediaType;
		}

		static @Nullable Format of(String filename) {
			String name = filename.toLowerCase(Locale.ROOT);
			if (name.endsWith(".md") || name.endsWith(".markdown")) {
				return MARKDOWN;
			}
			if (name.endsWith(".txt")) {
				return TEXT;
			}
			if (name.endsWith(".html") || name.endsWith(".htm")) {
				return HTML;
			}
			if (name.endsWith(".pdf")) {
				return PDF;
			}
			return null;
		}

	}

	/**
	 * Limits that keep a hostile file (a PDF bomb: kilobytes that expand to megabytes of
	 * text operators) from exhausting memory or CPU.
	 *
	 * @param maxDecompressedBytes most bytes the PDF's streams may decode to
	 * @param maxCharacters most characters of text a file may yield
	 * @param timeBudget longest time extraction may take
	 */
	record Limits(long maxDecompressedBytes, long maxCharacters, java.time.Duration timeBudget) {

		static final Limits DEFAULT = new Limits(64L * 1024 * 1024, 1_000_000, java.time.Duration.ofSeconds(30));

	}

	/** A file beyond one of the {@link Limits}; the message names the setting. */
	static final class LimitExceededException extends RuntimeException {

		private final boolean tooLarge;

		LimitExceededException(String message, boolean tooLarge) {
			super(message);
			this.tooLarge = tooLarge;
		}

		/** Whether it is about size (413) rather than content (422). */
		boolean tooLarge() {
			return this.tooLarge;
		}

	}

	private final Limits limits;

	TextExtractor() {
		this(Limits.DEFAULT);
	}

	TextExtractor(Limits limits) {
		this.limits = limits;
	}

	/** The file cannot be parsed as its type claims (corrupt, encrypted, not UTF-8). */
	static final class UnreadableFileException extends RuntimeException {

		UnreadableFileException(String message) {
			super(message);
		}

	}

	private static final Pattern ATX_HEADING = Pattern.compile("^(#{1,6})\\s+(.*?)\\s*#*\\s*$");

	private static final Pattern FENCE = Pattern.compile("^\\s*(```|~~~).*$");

	private static final Pattern SETEXT_UNDERLINE = Pattern.compile("^(=+|-+)\\s*$");

	private static final Pattern LIST_ITEM = Pattern.compile("^\\s*([-*+]|\\d{1,3}[.)])\\s+.*");

	private static final Pattern IMAGE = Pattern.compile("!\\[([^\\]]*)\\]\\([^)]*\\)");

	private static final Pattern LINK = Pattern.compile("\\[([^\\]]+)\\]\\(([^)\\s]+)[^)]*\\)");

	private static final Pattern STRONG = Pattern.compile("(\\*\\*|__)(\\S(?:.*?\\S)?)\\1");

	private static final Pattern EMPHASIS = Pattern.compile("(?<![\\w*])\\*(\\S(?:[^*]*?\\S)?)\\*(?![\\w*])");

	private static final Pattern CODE_SPAN = Pattern.compile("`([^`]+)`");

	private static final Pattern HTML_TAG = Pattern.compile("</?[a-zA-Z][^>]*>");

	private static final Set<String> METADATA_KEYS = Set.of("title", "kb_url", "kb_number", "kb_category",
			"short_description", "project");

	ExtractedText extract(Format format, byte[] content) {
		ExtractedText text = switch (format) {
			case MARKDOWN -> markdown(utf8(content));
			case TEXT -> plainText(utf8(content));
			case HTML -> html(content);
			case PDF -> pdf(content);
		};
		long characters = text.blocks().stream().mapToLong((block) -> block.text().length()).sum();
		if (characters > this.limits.maxCharacters()) {
			throw tooManyCharacters();
		}
		return text;
	}

	private LimitExceededException tooManyCharacters() {
		return new LimitExceededException("The document holds more than " + this.limits.maxCharacters()
				+ " characters of text (KNOWLEDGE_MAX_DOCUMENT_CHARACTERS).", false);
	}

	// --- Markdown ------------------------------------------------------------------

	ExtractedText markdown(String source) {
		String text = normaliseNewlines(source);
		Map<String, String> metadata = new LinkedHashMap<>();
		if (text.startsWith("---\n")) {
			int end = text.indexOf("\n---", 4);
			if (end > 0) {
				int bodyStart = text.indexOf('\n', end + 4);
				metadata.putAll(frontMatter(text.substring(4, end)));
				text = (bodyStart < 0) ? "" : text.substring(bodyStart + 1);
			}
		}
		List<ExtractedText.Block> blocks = new ArrayList<>();
		List<String> paragraph = new ArrayList<>();
		String[] lines = text.split("\n", -1);
		boolean inFence = false;
		for (int i = 0; i < lines.length; i++) {
			String line = lines[i];
			if (FENCE.matcher(line).matches()) {
				if (inFence) {
					flush(paragraph, blocks, false);
				}
				else {
					flush(paragraph, blocks, true);
				}
				inFence = !inFence;
				continue;
			}
			if (inFence) {
				paragraph.add(line);
				continue;
			}
			Matcher heading = ATX_HEADING.matcher(line);
			if (heading.matches()) {
				flush(paragraph, blocks, true);
				String title = inline(heading.group(2));
				if (!title.isBlank()) {
					blocks.add(ExtractedText.Block.heading(heading.group(1).length(), title));
				}
				continue;
			}
			if (!line.isBlank() && paragraph.size() == 1 && SETEXT_UNDERLINE.matcher(line).matches()
					&& !LIST_ITEM.matcher(paragraph.get(0)).matches()) {
				String title = inline(paragraph.remove(0));
				blocks.add(ExtractedText.Block.heading(line.strip().startsWith("=") ? 1 : 2, title));
				continue;
			}
			if (line.isBlank()) {
				flush(paragraph, blocks, true);
				continue;
			}
			paragraph.add(line);
		}
		flush(paragraph, blocks, true);
		String title = metadata.remove("title");
		if (title == null) {
			title = blocks.stream()
				.filter((b) -> b.level() == 1)
				.map(ExtractedText.Block::text)
				.findFirst()
				.orElse(null);
		}
		return new ExtractedText(title, metadata, blocks);
	}

	private static Map<String, String> frontMatter(String yaml) {
		Map<String, String> metadata = new LinkedHashMap<>();
		try {
			Object parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
			if (parsed instanceof Map<?, ?> map) {
				map.forEach((key, value) -> {
					String name = String.valueOf(key).strip().toLowerCase(Locale.ROOT).replace('-', '_');
					if (value != null && METADATA_KEYS.contains(name) && !String.valueOf(value).isBlank()) {
						metadata.put(name, String.valueOf(value).strip());
					}
				});
			}
		}
		catch (RuntimeException ex) {
			// Front matter that is not YAML is just not metadata; the body still counts.
		}
		return metadata;
	}

	/** Ends the current paragraph; {@code clean} strips inline Markdown (not in code). */
	private static void flush(List<String> lines, List<ExtractedText.Block> blocks, boolean clean) {
		if (lines.isEmpty()) {
			return;
		}
		List<String> out = new ArrayList<>();
		for (String line : lines) {
			String value = clean ? inline(line.strip()) : line.stripTrailing();
			if (!value.isBlank()) {
				out.add(value);
			}
		}
		lines.clear();
		if (out.isEmpty()) {
			return;
		}
		// Wrapped prose becomes one line; lists and code keep their lines.
		boolean keepLines = !clean || out.stream().anyMatch((l) -> LIST_ITEM.matcher(l).matches());
		blocks.add(ExtractedText.Block.paragraph(keepLines ? String.join("\n", out) : String.join(" ", out)));
	}

	/** Inline Markdown to plain text: links keep their address, emphasis goes. */
	static String inline(String line) {
		String text = IMAGE.matcher(line).replaceAll("$1");
		text = LINK.matcher(text).replaceAll((match) -> {
			String label = match.group(1).strip();
			String url = match.group(2).strip();
			return Matcher.quoteReplacement(label.equals(url) ? url : label + " (" + url + ")");
		});
		text = STRONG.matcher(text).replaceAll("$2");
		text = EMPHASIS.matcher(text).replaceAll("$1");
		text = CODE_SPAN.matcher(text).replaceAll("$1");
		text = HTML_TAG.matcher(text).replaceAll("");
		if (text.startsWith(">")) {
			text = text.replaceFirst("^>+\\s?", "");
		}
		return text.strip();
	}

	// --- Plain text -----------------------------------------------------------------

	ExtractedText plainText(String source) {
		List<ExtractedText.Block> blocks = new ArrayList<>();
		for (String paragraph : normaliseNewlines(source).split("\n\\s*\n")) {
			List<String> lines = paragraph.lines().map(String::strip).filter((l) -> !l.isEmpty()).toList();
			if (lines.isEmpty()) {
				continue;
			}
			boolean list = lines.stream().anyMatch((l) -> LIST_ITEM.matcher(l).matches());
			blocks.add(ExtractedText.Block.paragraph(String.join(list ? "\n" : " ", lines)));
		}
		return new ExtractedText(null, Map.of(), blocks);
	}

	// --- HTML -------------------------------------------------------------------------

	private static final Set<String> SKIPPED_ELEMENTS = Set.of("script", "style", "noscript", "template", "nav",
			"header", "footer", "aside", "form", "button", "svg", "iframe", "head");

	private static final Set<String> BLOCK_ELEMENTS = Set.of("p", "div", "section", "article", "main", "ul", "ol", "li",
			"table", "tr", "td", "th", "pre", "blockquote", "dl", "dt", "dd", "br", "hr", "figure", "figcaption",
			"address", "details", "summary");

	ExtractedText html(byte[] content) {
		Document document = Jsoup.parse(new String(content, detectHtmlCharset(content)));
		Map<String, String> metadata = new LinkedHashMap<>();
		for (Element meta : document.select("meta[name]")) {
			String name = meta.attr("name").strip().toLowerCase(Locale.ROOT).replace('-', '_');
			if (METADATA_KEYS.contains(name) && !meta.attr("content").isBlank()) {
				metadata.put(name, meta.attr("content").strip());
			}
		}
		if (!metadata.containsKey("short_description")) {
			Element description = document.selectFirst("meta[name=description]");
			if (description != null && !description.attr("content").isBlank()) {
				metadata.put("short_description", description.attr("content").strip());
			}
		}
		List<ExtractedText.Block> blocks = new ArrayList<>();
		HtmlBlocks collector = new HtmlBlocks(blocks);
		document.body().filter(collector);
		collector.flush();
		String title = metadata.remove("title");
		if (title == null && !document.title().isBlank()) {
			title = document.title().strip();
		}
		if (title == null) {
			title = blocks.stream()
				.filter((b) -> b.level() == 1)
				.map(ExtractedText.Block::text)
				.findFirst()
				.orElse(null);
		}
		return new ExtractedText(title, metadata, blocks);
	}

	private static java.nio.charset.Charset detectHtmlCharset(byte[] content) {
		String head = new String(content, 0, Math.min(content.length, 2048), StandardCharsets.ISO_8859_1)
			.toLowerCase(Locale.ROOT);
		Matcher matcher = Pattern.compile("charset=[\"']?([a-z0-9_-]+)").matcher(head);
		if (matcher.find()) {
			try {
				return java.nio.charset.Charset.forName(matcher.group(1));
			}
			catch (RuntimeException ex) {
				// Unknown name: fall back to UTF-8.
			}
		}
		return StandardCharsets.UTF_8;
	}

	/** Walks the body, starting a new block at every block-level element. */
	private static final class HtmlBlocks implements NodeFilter {

		private final List<ExtractedText.Block> blocks;

		private final StringBuilder text = new StringBuilder();

		private final List<String> lines = new ArrayList<>();

		private int headingLevel;

		HtmlBlocks(List<ExtractedText.Block> blocks) {
			this.blocks = blocks;
		}

		@Override
		public FilterResult head(Node node, int depth) {
			if (node instanceof TextNode textNode) {
				this.text.append(textNode.text());
				return FilterResult.CONTINUE;
			}
			if (node instanceof Element element) {
				String tag = element.normalName();
				if (SKIPPED_ELEMENTS.contains(tag)) {
					return FilterResult.SKIP_ENTIRELY;
				}
				int level = headingLevel(tag);
				if (level > 0) {
					flush();
					this.headingLevel = level;
				}
				else if (BLOCK_ELEMENTS.contains(tag)) {
					endLine();
					if ("li".equals(tag)) {
						this.text.append("- ");
					}
				}
			}
			return FilterResult.CONTINUE;
		}

		@Override
		public FilterResult tail(Node node, int depth) {
			if (node instanceof Element element) {
				String tag = element.normalName();
				if (headingLevel(tag) > 0) {
					String heading = this.text.toString().replaceAll("\\s+", " ").strip();
					this.text.setLength(0);
					if (!heading.isEmpty()) {
						this.blocks.add(ExtractedText.Block.heading(this.headingLevel, heading));
					}
					this.headingLevel = 0;
				}
				else if ("p".equals(tag) || "pre".equals(tag) || "blockquote".equals(tag) || "ul".equals(tag)
						|| "ol".equals(tag) || "table".equals(tag) || "dl".equals(tag)) {
					flush();
				}
				else if (BLOCK_ELEMENTS.contains(tag)) {
					endLine();
				}
			}
			return FilterResult.CONTINUE;
		}

		private void endLine() {
			String line = this.text.toString().replaceAll("\\s+", " ").strip();
			this.text.setLength(0);
			if (!line.isEmpty() && !"-".equals(line)) {
				this.lines.add(line);
			}
		}

		void flush() {
			endLine();
			if (this.lines.isEmpty()) {
				return;
			}
			boolean list = this.lines.stream().anyMatch((l) -> l.startsWith("- "));
			this.blocks.add(ExtractedText.Block.paragraph(String.join(list ? "\n" : " ", this.lines)));
			this.lines.clear();
		}

		private static int headingLevel(String tag) {
			if (tag.length() == 2 && tag.charAt(0) == 'h' && tag.charAt(1) >= '1' && tag.charAt(1) <= '6') {
				return tag.charAt(1) - '0';
			}
			return 0;
		}

	}

	// --- PDF --------------------------------------------------------------------------

	ExtractedText pdf(byte[] content) {
		long deadline = System.nanoTime() + this.limits.timeBudget().toNanos();
		// Decoded streams live in a cache of bounded size: a bomb fails, not the heap.
		try (PDDocument document = Loader.loadPDF(content, "", null, null,
				MemoryUsageSetting.setupMainMemoryOnly(this.limits.maxDecompressedBytes()).streamCache)) {
			checkDecodedSize(document);
			PDFTextStripper stripper = new BoundedTextStripper(deadline);
			stripper.setSortByPosition(true);
			stripper.setParagraphEnd("\n\n");
			stripper.setPageEnd("\n\n");
			String text = stripper.getText(document);
			Map<String, String> metadata = new LinkedHashMap<>();
			PDDocumentInformation info = document.getDocumentInformation();
			String title = (info != null && info.getTitle() != null && !info.getTitle().isBlank())
					? info.getTitle().strip() : null;
			if (info != null && info.getSubject() != null && !info.getSubject().isBlank()) {
				metadata.put("short_description", info.getSubject().strip());
			}
			List<ExtractedText.Block> blocks = new ArrayList<>();
			for (String paragraph : normaliseNewlines(text).split("\n\\s*\n")) {
				// Lines of a PDF paragraph are layout, not meaning: join them, mending
				// words hyphenated across a line break.
				String joined = paragraph.strip()
					.replaceAll("(\\p{L})-\n(\\p{Ll})", "$1$2")
					.replaceAll("\\s*\n\\s*", " ");
				if (!joined.isBlank()) {
					blocks.add(ExtractedText.Block.paragraph(joined));
				}
			}
			return new ExtractedText(title, metadata, blocks);
		}
		catch (LimitExceededException ex) {
			throw ex;
		}
		catch (IOException | OutOfMemoryError ex) {
			if (isScratchLimit(ex)) {
				throw new LimitExceededException(
						"The PDF expands to more than " + (this.limits.maxDecompressedBytes() / (1024 * 1024))
								+ " MB when decompressed (KNOWLEDGE_MAX_DECOMPRESSED_MB).",
						true);
			}
			throw new UnreadableFileException("The file is not a readable PDF (damaged or password-protected).");
		}
	}

	/**
	 * Sums what the pages' content streams decode to, inflating them with a counter
	 * (never into memory), and refuses the file once the sum passes the limit: PDFBox
	 * would otherwise decode a stream whole before anything could count it.
	 */
	private void checkDecodedSize(PDDocument document) throws IOException {
		long limit = this.limits.maxDecompressedBytes();
		long total = 0;
		byte[] buffer = new byte[64 * 1024];
		for (org.apache.pdfbox.pdmodel.PDPage page : document.getPages()) {
			java.util.Iterator<org.apache.pdfbox.pdmodel.common.PDStream> streams = page.getContentStreams();
			while (streams.hasNext()) {
				org.apache.pdfbox.cos.COSStream stream = streams.next().getCOSObject();
				List<org.apache.pdfbox.cos.COSName> filters = new org.apache.pdfbox.pdmodel.common.PDStream(stream)
					.getFilters();
				boolean flateOnly = filters.size() == 1
						&& org.apache.pdfbox.cos.COSName.FLATE_DECODE.equals(filters.get(0));
				try (java.io.InputStream decoded = flateOnly
						? new java.util.zip.InflaterInputStream(stream.createRawInputStream())
						: (filters.isEmpty() ? stream.createRawInputStream() : stream.createInputStream())) {
					int read;
					while ((read = decoded.read(buffer)) > 0) {
						total += read;
						if (total > limit) {
							throw new LimitExceededException("The PDF expands to more than " + (limit / (1024 * 1024))
									+ " MB when decompressed (KNOWLEDGE_MAX_DECOMPRESSED_MB).", true);
						}
					}
				}
				catch (java.util.zip.ZipException ex) {
					throw new UnreadableFileException(
							"The file is not a readable PDF (damaged or password-protected).");
				}
			}
		}
	}

	private static boolean isScratchLimit(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof OutOfMemoryError || (cause.getMessage() != null
					&& cause.getMessage().toLowerCase(Locale.ROOT).contains("maximum allowed"))) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Stops as soon as the text grows beyond the character limit or the time budget is
	 * spent, checked on every content-stream operator and every glyph.
	 */
	private final class BoundedTextStripper extends PDFTextStripper {

		private final long deadline;

		private long characters;

		BoundedTextStripper(long deadline) {
			this.deadline = deadline;
		}

		@Override
		protected void processOperator(org.apache.pdfbox.contentstream.operator.Operator operator,
				List<org.apache.pdfbox.cos.COSBase> operands) throws IOException {
			if (System.nanoTime() - this.deadline > 0) {
				throw new LimitExceededException("Extracting the document's text took longer than "
						+ TextExtractor.this.limits.timeBudget().toSeconds() + " s (KNOWLEDGE_EXTRACTION_TIMEOUT).",
						false);
			}
			super.processOperator(operator, operands);
		}

		@Override
		protected void processTextPosition(org.apache.pdfbox.text.TextPosition text) {
			this.characters += text.getUnicode().length();
			if (this.characters > TextExtractor.this.limits.maxCharacters()) {
				throw tooManyCharacters();
			}
			super.processTextPosition(text);
		}

	}

	// --- Helpers
	// ------------------------------------------------------------------------

	private static String utf8(byte[] content) {
		try {
			String text = StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(content))
				.toString();
			return text.startsWith("\uFEFF") ? text.substring(1) : text;
		}
		catch (CharacterCodingException ex) {
			// Legacy single-byte files are common enough to accept rather than refuse.
			return new String(content, StandardCharsets.ISO_8859_1);
		}
	}

	private static String normaliseNewlines(String text) {
		return text.replace("\r\n", "\n").replace('\r', '\n');
	}

}
