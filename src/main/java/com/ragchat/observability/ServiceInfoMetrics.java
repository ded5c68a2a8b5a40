package com.ragchat.observability;

import java.util.Locale;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import com.ragchat.platform.PlatformProperties;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * {@code chatbot_app_info{app_env,version,llm_provider,retriever_provider} 1}: what an
 * instance runs, for dashboards and for alerts whose threshold depends on the provider (a
 * mock model answers in milliseconds, a live one in tens of seconds).
 */
@Component
class ServiceInfoMetrics implements MeterBinder {

	// Read here rather than through rag.ProviderSelection: rag records its meters through
	// this package, and the dependency must point one way only.
	private static final String LLM_PROPERTY = "app.rag.llm-provider";

	private static final String RETRIEVER_PROPERTY = "app.rag.retriever-provider";

	private static final String FORCE_MOCK_PROPERTY = "app.rag.force-mock";

	private final String appEnv;

	private final String version;

	private final String llmProvider;

	private final String retrieverProvider;

	ServiceInfoMetrics(PlatformProperties platform, ObjectProvider<BuildProperties> build, Environment environment) {
		this.appEnv = platform.env();
		BuildProperties properties = build.getIfAvailable();
		this.version = (properties != null && properties.getVersion() != null) ? properties.getVersion() : "dev";
		boolean forceMock = environment.getProperty(FORCE_MOCK_PROPERTY, Boolean.class, false);
		this.llmProvider = forceMock ? "mock" : provider(environment, LLM_PROPERTY, "extractive");
		this.retrieverProvider = forceMock ? "mock" : provider(environment, RETRIEVER_PROPERTY, "local");
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("chatbot.app.info", () -> 1)
			.description("What this instance runs; the value is always 1")
			.tags("app_env", this.appEnv, "version", this.version, "llm_provider", this.llmProvider,
					"retriever_provider", this.retrieverProvider)
			.register(registry);
	}

	private static String provider(Environment environment, String property, String fallback) {
		String value = environment.getProperty(property);
		return (value == null || value.isBlank()) ? fallback : value.strip().toLowerCase(Locale.ROOT);
	}

}
