package com.ragchat.provider;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The resilience and metrics every provider call goes through: the pipeline's
 * {@link com.ragchat.rag.ProviderCalls}.
 */
@Configuration(proxyBeanMethods = false)
class ProviderConfiguration {

	@Bean
	ProviderCircuits providerCircuits(ProviderProperties properties, MeterRegistry registry) {
		return new ProviderCircuits(properties.circuit(), registry);
	}

	@Bean
	ProviderCallGuard providerCallGuard(ProviderProperties properties, ProviderCircuits circuits,
			MeterRegistry registry, ObjectProvider<Tracer> tracers) {
		return new ProviderCallGuard(properties.timeout(), properties.maxRetries(), circuits, registry,
				tracers.getIfAvailable(() -> Tracer.NOOP));
	}

}
