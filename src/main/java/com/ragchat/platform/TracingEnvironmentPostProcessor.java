package com.ragchat.platform;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;

/**
 * Maps the tracing settings (OPERATIONS.md "Tracing") onto Spring Boot's: tracing is off
 * unless {@code TRACING_ENABLED=true} or an OTLP endpoint is given
 * ({@code OTEL_EXPORTER_OTLP_ENDPOINT} or {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT});
 * off means no exporter and a sampling ratio of 0, so no span records anything. The
 * standard {@code OTEL_*} variables are honoured: the endpoints and protocol, headers,
 * the batch delay, the ratio sampler's argument, {@code OTEL_SDK_DISABLED} and
 * {@code OTEL_TRACES_EXPORTER=none}, and (through Spring Boot) {@code OTEL_SERVICE_NAME}
 * and {@code OTEL_RESOURCE_ATTRIBUTES}.
 * <p>
 * The values are worked out when asked for, not when the application starts, so that
 * settings added later in start-up (tests' dynamic properties) count; they come last, so
 * any {@code management.*} property set explicitly wins.
 */
public class TracingEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	static final String SOURCE = "tracingSettings";

	static final String EXPORT_ENABLED = "management.tracing.export.enabled";

	static final String PROBABILITY = "management.tracing.sampling.probability";

	static final String ENDPOINT = "management.opentelemetry.tracing.export.otlp.endpoint";

	static final String TRANSPORT = "management.opentelemetry.tracing.export.otlp.transport";

	static final String SCHEDULE_DELAY = "management.opentelemetry.tracing.export.schedule-delay";

	static final String HEADERS = "management.opentelemetry.tracing.export.otlp.headers.";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		environment.getPropertySources().addLast(new TracingSettingsSource(environment));
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	/** Whether spans are recorded and exported. */
	public static boolean enabled(Environment environment) {
		if (isTrue(environment.getProperty("OTEL_SDK_DISABLED"))
				|| "none".equalsIgnoreCase(strip(environment.getProperty("OTEL_TRACES_EXPORTER")))) {
			return false;
		}
		String setting = strip(environment.getProperty("TRACING_ENABLED"));
		if (!setting.isEmpty()) {
			return isTrue(setting);
		}
		return !strip(environment.getProperty("OTEL_EXPORTER_OTLP_ENDPOINT")).isEmpty()
				|| !strip(environment.getProperty("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")).isEmpty();
	}

	/**
	 * The share of traces recorded when tracing is on: {@code TRACING_SAMPLING_RATIO},
	 * else the ratio sampler's {@code OTEL_TRACES_SAMPLER_ARG}, else 1.
	 * @throws InvalidConfigurationException when the ratio is not a number from 0 to 1
	 */
	public static double samplingRatio(Environment environment) {
		String ratio = strip(environment.getProperty("TRACING_SAMPLING_RATIO"));
		String name = "TRACING_SAMPLING_RATIO";
		if (ratio.isEmpty() && strip(environment.getProperty("OTEL_TRACES_SAMPLER")).toLowerCase(Locale.ROOT)
			.endsWith("traceidratio")) {
			ratio = strip(environment.getProperty("OTEL_TRACES_SAMPLER_ARG"));
			name = "OTEL_TRACES_SAMPLER_ARG";
		}
		if (ratio.isEmpty()) {
			return 1.0;
		}
		try {
			double value = Double.parseDouble(ratio);
			if (value >= 0 && value <= 1) {
				return value;
			}
		}
		catch (NumberFormatException ex) {
			// refused below
		}
		throw new InvalidConfigurationException(name, "must be a number from 0 to 1");
	}

	/** Where spans go: the traces endpoint, or the OTLP endpoint with its traces path. */
	static String endpoint(Environment environment) {
		String traces = strip(environment.getProperty("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"));
		if (!traces.isEmpty()) {
			return traces;
		}
		String base = strip(environment.getProperty("OTEL_EXPORTER_OTLP_ENDPOINT"));
		boolean grpc = "grpc".equals(transport(environment));
		if (base.isEmpty()) {
			base = grpc ? "http://localhost:4317" : "http://localhost:4318";
		}
		if (grpc) {
			return base;
		}
		return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/v1/traces";
	}

	static String transport(Environment environment) {
		String protocol = strip(environment.getProperty("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"));
		if (protocol.isEmpty()) {
			protocol = strip(environment.getProperty("OTEL_EXPORTER_OTLP_PROTOCOL"));
		}
		return "grpc".equalsIgnoreCase(protocol) ? "grpc" : "http";
	}

	/**
	 * {@code OTEL_EXPORTER_OTLP_HEADERS}: {@code key=value} pairs separated by commas.
	 */
	static Map<String, String> headers(Environment environment) {
		Map<String, String> headers = new LinkedHashMap<>();
		for (String name : List.of("OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_TRACES_HEADERS")) {
			for (String pair : strip(environment.getProperty(name)).split(",")) {
				int eq = pair.indexOf('=');
				if (eq > 0) {
					headers.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
				}
			}
		}
		return headers;
	}

	private static boolean isTrue(@Nullable String value) {
		return "true".equalsIgnoreCase(strip(value));
	}

	private static String strip(@Nullable String value) {
		return (value != null) ? value.strip() : "";
	}

	/** The management properties, computed from the settings each time they are read. */
	private static final class TracingSettingsSource extends EnumerablePropertySource<Object> {

		private final Environment environment;

		TracingSettingsSource(Environment environment) {
			super(SOURCE, new Object());
			this.environment = environment;
		}

		@Override
		public String[] getPropertyNames() {
			List<String> names = new ArrayList<>(List.of(EXPORT_ENABLED, PROBABILITY));
			if (enabled(this.environment)) {
				names.add(ENDPOINT);
				names.add(TRANSPORT);
				if (!strip(this.environment.getProperty("OTEL_BSP_SCHEDULE_DELAY")).isEmpty()) {
					names.add(SCHEDULE_DELAY);
				}
				headers(this.environment).keySet().forEach((key) -> names.add(HEADERS + key));
			}
			return names.toArray(String[]::new);
		}

		@Override
		public @Nullable Object getProperty(String name) {
			if (!name.startsWith("management.")) {
				return null;
			}
			boolean enabled = enabled(this.environment);
			if (name.equals(EXPORT_ENABLED)) {
				return enabled;
			}
			if (name.equals(PROBABILITY)) {
				// Off: spans are created (the code needs no checks) but none is sampled.
				return enabled ? samplingRatio(this.environment) : 0.0;
			}
			if (!enabled) {
				return null;
			}
			if (name.equals(ENDPOINT)) {
				return endpoint(this.environment);
			}
			if (name.equals(TRANSPORT)) {
				return transport(this.environment);
			}
			if (name.equals(SCHEDULE_DELAY)) {
				String delay = strip(this.environment.getProperty("OTEL_BSP_SCHEDULE_DELAY"));
				return delay.isEmpty() ? null : delay + "ms";
			}
			if (name.startsWith(HEADERS)) {
				return headers(this.environment).get(name.substring(HEADERS.length()));
			}
			return null;
		}

	}

}
