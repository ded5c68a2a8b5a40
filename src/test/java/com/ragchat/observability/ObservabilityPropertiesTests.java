package com.ragchat.observability;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import com.ragchat.platform.InvalidConfigurationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code METRICS_TOKEN} validation, and the token never shows in messages. */
class ObservabilityPropertiesTests {

	private static final Path LOG = Path.of("logs/ragchat.log");

	@Test
	void emptyOrBlankTokenLeavesTheEndpointsOpen() {
		assertThat(new ObservabilityProperties(null, false, false, LOG, false).metricsProtected()).isFalse();
		assertThat(new ObservabilityProperties("", false, false, LOG, false).metricsProtected()).isFalse();
		assertThat(new ObservabilityProperties("   ", false, false, LOG, false).metricsProtected()).isFalse();
	}

	@Test
	void weakTokenFailsStartupWithoutEchoingIt() {
		assertThatThrownBy(() -> new ObservabilityProperties("short-secret", false, false, LOG, false))
			.isInstanceOf(InvalidConfigurationException.class)
			.hasMessageContaining("METRICS_TOKEN")
			.hasMessageNotContaining("short-secret");
		assertThatThrownBy(() -> new ObservabilityProperties("has a space inside it", false, false, LOG, false))
			.isInstanceOf(InvalidConfigurationException.class)
			.hasMessageNotContaining("space inside");
	}

	@Test
	void tokenIsKeptButNeverPrinted() {
		ObservabilityProperties properties = new ObservabilityProperties(" a-long-enough-metrics-token ", true, false,
				LOG, false);
		assertThat(properties.metricsToken()).isEqualTo("a-long-enough-metrics-token");
		assertThat(properties.metricsProtected()).isTrue();
		assertThat(properties.toString()).doesNotContain("a-long-enough-metrics-token").contains("(set)");
	}

}
