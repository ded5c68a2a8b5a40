package com.ragchat.observability;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import com.ragchat.platform.InvalidConfigurationException;
import com.ragchat.platform.PlatformProperties;
import com.ragchat.platform.TracingEnvironmentPostProcessor;
import com.ragchat.support.ApiClient;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * How the tracing settings (OPERATIONS.md "Tracing") become Spring Boot's: off unless
 * asked for, the standard {@code OTEL_*} variables honoured, bad ratios and question text
 * in production's spans refused; and, in the default configuration, nothing traced.
 */
class TracingSettingsTests {

	private static MockEnvironment environment(String... pairs) {
		MockEnvironment environment = new MockEnvironment();
		for (int i = 0; i < pairs.length; i += 2) {
			environment.setProperty(pairs[i], pairs[i + 1]);
		}
		new TracingEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
		return environment;
	}

	@Test
	void offUnlessAnEndpointOrTracingEnabledIsSet() {
		MockEnvironment none = environment();
		assertThat(none.getProperty("management.tracing.export.enabled", Boolean.class)).isFalse();
		assertThat(none.getProperty("management.tracing.sampling.probability", Double.class)).isZero();
		assertThat(none.getProperty("management.opentelemetry.tracing.export.otlp.endpoint")).isNull();

		MockEnvironment endpoint = environment("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/");
		assertThat(endpoint.getProperty("management.tracing.export.enabled", Boolean.class)).isTrue();
		assertThat(endpoint.getProperty("management.tracing.sampling.probability", Double.class)).isEqualTo(1.0);
		assertThat(endpoint.getProperty("management.opentelemetry.tracing.export.otlp.endpoint"))
			.isEqualTo("http://collector:4318/v1/traces");
		assertThat(endpoint.getProperty("management.opentelemetry.tracing.export.otlp.transport")).isEqualTo("http");

		MockEnvironment enabled = environment("TRACING_ENABLED", "true", "TRACING_SAMPLING_RATIO", "0.25");
		assertThat(enabled.getProperty("management.opentelemetry.tracing.export.otlp.endpoint"))
			.isEqualTo("http://localhost:4318/v1/traces");
		assertThat(enabled.getProperty("management.tracing.sampling.probability", Double.class)).isEqualTo(0.25);

		assertThat(TracingEnvironmentPostProcessor
			.enabled(environment("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318", "TRACING_ENABLED", "false")))
			.isFalse();
		assertThat(TracingEnvironmentPostProcessor
			.enabled(environment("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318", "OTEL_SDK_DISABLED", "true")))
			.isFalse();
		assertThat(TracingEnvironmentPostProcessor
			.enabled(environment("TRACING_ENABLED", "true", "OTEL_TRACES_EXPORTER", "none"))).isFalse();
	}

	@Test
	void theStandardOtelVariablesAreHonoured() {
		MockEnvironment grpc = environment("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317",
				"OTEL_EXPORTER_OTLP_PROTOCOL", "grpc", "OTEL_EXPORTER_OTLP_HEADERS", "x-api-key=abc, tenant = t1",
				"OTEL_BSP_SCHEDULE_DELAY", "250", "OTEL_TRACES_SAMPLER", "parentbased_traceidratio",
				"OTEL_TRACES_SAMPLER_ARG", "0.5");
		assertThat(grpc.getProperty("management.opentelemetry.tracing.export.otlp.endpoint"))
			.isEqualTo("http://collector:4317");
		assertThat(grpc.getProperty("management.opentelemetry.tracing.export.otlp.transport")).isEqualTo("grpc");
		assertThat(grpc.getProperty("management.opentelemetry.tracing.export.otlp.headers.x-api-key")).isEqualTo("abc");
		assertThat(grpc.getProperty("management.opentelemetry.tracing.export.otlp.headers.tenant")).isEqualTo("t1");
		assertThat(grpc.getProperty("management.opentelemetry.tracing.export.schedule-delay")).isEqualTo("250ms");
		assertThat(grpc.getProperty("management.tracing.sampling.probability", Double.class)).isEqualTo(0.5);

		MockEnvironment traces = environment("OTEL_EXPORTER_OTLP_ENDPOINT", "http://ignored:4318",
				"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "https://traces.example/ingest");
		assertThat(traces.getProperty("management.opentelemetry.tracing.export.otlp.endpoint"))
			.isEqualTo("https://traces.example/ingest");

		// An explicit Spring property wins over the derived one.
		MockEnvironment explicit = new MockEnvironment().withProperty("TRACING_ENABLED", "true")
			.withProperty("management.tracing.sampling.probability", "0.1");
		new TracingEnvironmentPostProcessor().postProcessEnvironment(explicit, new SpringApplication());
		assertThat(explicit.getProperty("management.tracing.sampling.probability", Double.class)).isEqualTo(0.1);
	}

	@Test
	void aRatioOutsideZeroToOneIsRefusedNamingItsSetting() {
		for (String ratio : new String[] { "1.5", "-0.1", "half", "NaN" }) {
			assertThatExceptionOfType(InvalidConfigurationException.class)
				.isThrownBy(() -> TracingEnvironmentPostProcessor
					.samplingRatio(environment("TRACING_ENABLED", "true", "TRACING_SAMPLING_RATIO", ratio)))
				.satisfies((ex) -> assertThat(ex.setting()).isEqualTo("TRACING_SAMPLING_RATIO"));
		}
	}

	@Test
	void questionTextInSpansIsRefusedInProduction() {
		MockEnvironment content = environment("TRACE_CONTENT", "true", "app.tracing.content", "true");
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> new TracingConfiguration(content,
					new PlatformProperties("production", Path.of("data"), Path.of("data"))))
			.satisfies((ex) -> assertThat(ex.setting()).isEqualTo("TRACE_CONTENT"));
		// Allowed while developing.
		new TracingConfiguration(content, new PlatformProperties("development", Path.of("data"), Path.of("data")));
	}

	/** The default configuration: no exporter, nothing sampled, nothing echoed. */
	@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
	@org.junit.jupiter.api.Nested
	class ByDefault {

		@LocalServerPort
		int port;

		@Autowired
		ApplicationContext context;

		@Test
		void nothingIsTracedEvenWhenACallerAsks() {
			assertThat(this.context.getBeanNamesForType(io.opentelemetry.sdk.trace.export.SpanExporter.class))
				.as("span exporters")
				.isEmpty();
			ApiClient.Response response = new ApiClient(this.port).get("/api/chat/sessions/1", "traceparent",
					"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
			assertThat(response.status()).isEqualTo(401);
			assertThat(response.header("traceparent")).isNull();
			assertThat(response.json().has("trace_id")).isFalse();
			assertThat(response.json().has("request_id")).isTrue();
		}

	}

}
