package com.ragchat.observability;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** User text in INFO logs: length and a short hash, never the text. */
class LogSafeTests {

	@Test
	void summaryHasLengthAndShortHashOnly() {
		String text = "my account number is 12345, please help";
		String summary = LogSafe.summary(text);
		assertThat(summary).matches("len=" + text.length() + " sha=[0-9a-f]{10}");
		assertThat(summary).doesNotContain("12345").doesNotContain("account");
	}

	@Test
	void sameTextSameSummaryDifferentTextDifferentHash() {
		assertThat(LogSafe.summary("hello")).isEqualTo(LogSafe.summary("hello"));
		assertThat(LogSafe.summary("hello")).isNotEqualTo(LogSafe.summary("hellO"));
	}

	@Test
	void emptyTextIsJustItsLength() {
		assertThat(LogSafe.summary(null)).isEqualTo("len=0");
		assertThat(LogSafe.summary("")).isEqualTo("len=0");
	}

}
