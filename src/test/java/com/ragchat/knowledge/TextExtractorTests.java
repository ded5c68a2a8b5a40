package com.ragchat.knowledge;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Each accepted file type becomes headings, paragraphs and metadata. */
class TextExtractorTests {

	private final TextExtractor extractor = new TextExtractor();

	@Test
	void markdownFrontMatterBecomesMetadataAndInlineMarkupGoes() {
		String markdown = """
				---
				title: "Print from a laptop"
				kb_number: KB0100
				kb_category: Printing
				unrelated: ignored
				---

				# Heading one

				Go to [the print site](https://print.example) and press **Print**,
				then wait a *moment*.

				1. First step
				2. Second step

				```
				code stays as it is **here**
				```
				""";
		ExtractedText text = this.extractor.extract(TextExtractor.Format.MARKDOWN,
				markdown.getBytes(StandardCharsets.UTF_8));
		assertThat(text.title()).isEqualTo("Print from a laptop");
		assertThat(text.metadata()).containsEntry("kb_number", "KB0100")
			.containsEntry("kb_category", "Printing")
			.doesNotContainKey("unrelated")
			.doesNotContainKey("title");
		assertThat(text.blocks()).containsExactly(ExtractedText.Block.heading(1, "Heading one"),
				ExtractedText.Block
					.paragraph("Go to the print site (https://print.example) and press Print, then wait a moment."),
				ExtractedText.Block.paragraph("1. First step\n2. Second step"),
				ExtractedText.Block.paragraph("code stays as it is **here**"));
	}

	@Test
	void markdownWithoutFrontMatterTakesItsTitleFromTheFirstHeading() {
		ExtractedText text = this.extractor.extract(TextExtractor.Format.MARKDOWN,
				"Intro line\n\n# The Title\n\nBody.".getBytes(StandardCharsets.UTF_8));
		assertThat(text.title()).isEqualTo("The Title");
		assertThat(text.metadata()).isEmpty();
	}

	@Test
	void htmlKeepsContentDropsChromeAndReadsMetaTags() {
		String html = """
				<html><head><title>VPN guide</title>
				<meta name="kb_number" content="KB0200"><meta name="description" content="How to connect">
				<script>var secret = 1;</script><style>p { color: red }</style></head>
				<body><nav>Home | About</nav>
				<h1>Connect to the VPN</h1>
				<p>Open the <b>client</b> and
				   sign in.</p>
				<ul><li>Step one</li><li>Step two</li></ul>
				<div>Loose text in a div</div>
				<footer>Copyright</footer></body></html>
				""";
		ExtractedText text = this.extractor.extract(TextExtractor.Format.HTML, html.getBytes(StandardCharsets.UTF_8));
		assertThat(text.title()).isEqualTo("VPN guide");
		assertThat(text.metadata()).containsEntry("kb_number", "KB0200")
			.containsEntry("short_description", "How to connect");
		assertThat(text.blocks()).containsExactly(ExtractedText.Block.heading(1, "Connect to the VPN"),
				ExtractedText.Block.paragraph("Open the client and sign in."),
				ExtractedText.Block.paragraph("- Step one\n- Step two"),
				ExtractedText.Block.paragraph("Loose text in a div"));
	}

	@Test
	void pdfTextLayerIsReadWithItsTitle() throws IOException {
		byte[] pdf = pdf("Printing handbook", "Release your print job with your ID card.");
		ExtractedText text = this.extractor.extract(TextExtractor.Format.PDF, pdf);
		assertThat(text.title()).isEqualTo("Printing handbook");
		assertThat(text.hasText()).isTrue();
		assertThat(String.join(" ", text.blocks().stream().map(ExtractedText.Block::text).toList()))
			.contains("Release your print job with your ID card.");
	}

	@Test
	void pdfWithoutTextLayerHasNoText() throws IOException {
		ExtractedText text = this.extractor.extract(TextExtractor.Format.PDF, pdf(null, null));
		assertThat(text.hasText()).isFalse();
	}

	@Test
	void damagedPdfIsUnreadable() {
		assertThatExceptionOfType(TextExtractor.UnreadableFileException.class).isThrownBy(() -> this.extractor
			.extract(TextExtractor.Format.PDF, "%PDF-1.7 not really".getBytes(StandardCharsets.US_ASCII)));
	}

	@Test
	void plainTextParagraphsAndFormats() {
		ExtractedText text = this.extractor.extract(TextExtractor.Format.TEXT,
				"First line\nwrapped.\n\n\n- a\n- b\n".getBytes(StandardCharsets.UTF_8));
		assertThat(text.blocks()).containsExactly(ExtractedText.Block.paragraph("First line wrapped."),
				ExtractedText.Block.paragraph("- a\n- b"));
		assertThat(TextExtractor.Format.of("notes.TXT")).isEqualTo(TextExtractor.Format.TEXT);
		assertThat(TextExtractor.Format.of("page.htm")).isEqualTo(TextExtractor.Format.HTML);
		assertThat(TextExtractor.Format.of("scan.docx")).isNull();
	}

	@Test
	void aPdfWhoseExtractionOutlastsTheTimeBudgetIsRefusedNamingTheSetting() throws IOException {
		byte[] manyPages = pdfWithPages(400);
		// Within the default budget it is an ordinary document...
		assertThat(this.extractor.extract(TextExtractor.Format.PDF, manyPages).hasText()).isTrue();
		// ...but not within a budget far shorter than its extraction takes.
		TextExtractor hurried = new TextExtractor(
				new TextExtractor.Limits(TextExtractor.Limits.DEFAULT.maxDecompressedBytes(),
						TextExtractor.Limits.DEFAULT.maxCharacters(), java.time.Duration.ofMillis(2)));
		assertThatExceptionOfType(TextExtractor.LimitExceededException.class)
			.isThrownBy(() -> hurried.extract(TextExtractor.Format.PDF, manyPages))
			.withMessageContaining("KNOWLEDGE_EXTRACTION_TIMEOUT");
	}

	/** A PDF of {@code count} pages of a few lines each. */
	static byte[] pdfWithPages(int count) throws IOException {
		try (PDDocument document = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
			PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
			for (int n = 0; n < count; n++) {
				PDPage page = new PDPage();
				document.addPage(page);
				try (PDPageContentStream content = new PDPageContentStream(document, page)) {
					content.beginText();
					content.setFont(font, 11);
					content.newLineAtOffset(72, 700);
					for (int line = 0; line < 20; line++) {
						content.showText("Page " + n + " line " + line + ": release print jobs at any campus printer.");
						content.newLineAtOffset(0, -14);
					}
					content.endText();
				}
			}
			document.save(out);
			return out.toByteArray();
		}
	}

	/** A one-page PDF; without {@code line} the page has no text (like a scan). */
	static byte[] pdf(String title, String line) throws IOException {
		try (PDDocument document = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
			PDPage page = new PDPage();
			document.addPage(page);
			if (title != null) {
				document.getDocumentInformation().setTitle(title);
			}
			if (line != null) {
				try (PDPageContentStream content = new PDPageContentStream(document, page)) {
					content.beginText();
					content.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
					content.newLineAtOffset(72, 700);
					content.showText(line);
					content.endText();
				}
			}
			document.save(out);
			return out.toByteArray();
		}
	}

}
