package com.ragchat.platform;

import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The application's JSON mapper: Spring Boot's, with parser limits for request bodies.
 * The API's largest legitimate JSON is a chat message of 8,000 characters, so nesting,
 * string and document sizes far beyond that are refused before they cost memory
 * (Jackson's defaults allow 100 MB strings and unbounded documents). Numbers with a
 * fraction or exponent are not silently truncated into integer fields.
 */
@Configuration(proxyBeanMethods = false)
class JsonConfiguration {

	static final StreamReadConstraints REQUEST_LIMITS = StreamReadConstraints.builder()
		.maxNestingDepth(32)
		.maxStringLength(1_000_000)
		.maxDocumentLength(2_000_000)
		.maxNumberLength(100)
		.build();

	@Bean
	JsonMapper jsonMapper(ObjectProvider<JsonMapperBuilderCustomizer> customizers) {
		JsonMapper.Builder builder = JsonMapper
			.builder(JsonFactory.builder().streamReadConstraints(REQUEST_LIMITS).build());
		// Boot's own customizers apply spring.jackson.* (snake_case naming) and modules.
		customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		// Ids and ratings are integers: 1.5 or 1e3 is a wrong type, not 1 or 1000.
		builder.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
		return builder.build();
	}

}
