package com.ragchat.provider;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The resilience and metrics every provider call goes through. */
@Configuration(proxyBeanMethods = false)
class ProviderConfiguration {

	@Bean
	static ProviderInstrumentation providerInstrumentation(ObjectProvider<ProviderCallGuard> guard) {
		return new ProviderInstrumentation(guard);
	}

	@Bean
	ProviderCircuits providerCircuits(ProviderProperties properties, MeterRegistry registry) {
		return new ProviderCircuits(properties.circuit(), registry);
	}

	@Bean
	ProviderCallGuard providerCallGuard(ProviderProperties properties, ProviderCircuits circuits,
			MeterRegistry registry) {
		return new ProviderCallGuard(properties.timeout(), properties.maxRetries(), circuits, registry);
	}

}
