package com.ragchat.platform;

import java.net.InetAddress;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.apache.catalina.connector.Connector;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Says in the log, once the service is ready, which database it uses and where it
 * listens, so nobody has to guess which mode started. Credentials are never printed.
 */
@Component
class StartupReport {

	private static final Logger logger = LoggerFactory.getLogger(StartupReport.class);

	private final PlatformProperties properties;

	private final ObjectProvider<EmbeddedPostgresServer> embedded;

	private final DataSource dataSource;

	StartupReport(PlatformProperties properties, ObjectProvider<EmbeddedPostgresServer> embedded,
			DataSource dataSource) {
		this.properties = properties;
		this.embedded = embedded;
		this.dataSource = dataSource;
	}

	/**
	 * The address the server's connector actually bound, read back from Tomcat rather
	 * than from the settings; {@code null} for every interface.
	 */
	static @Nullable InetAddress boundAddress(WebServer server) {
		if (server instanceof TomcatWebServer tomcat) {
			Connector[] connectors = tomcat.getTomcat().getService().findConnectors();
			if (connectors.length > 0 && connectors[0].getProperty("address") instanceof InetAddress address) {
				return address;
			}
		}
		return null;
	}

	@EventListener
	void onReady(ApplicationReadyEvent event) {
		EmbeddedPostgresServer server = this.embedded.getIfAvailable();
		if (server != null) {
			logger.info("Database: embedded PostgreSQL on port {}, data in {} (set DATABASE_URL to use your own)",
					server.port(), server.dataDirectory());
		}
		else {
			String url = (this.dataSource instanceof HikariDataSource hikari) ? hikari.getJdbcUrl() : null;
			logger.info("Database: PostgreSQL at {}", DatabaseUrlEnvironmentPostProcessor.redact(url));
		}
		if (event.getApplicationContext() instanceof WebServerApplicationContext web && web.getWebServer() != null) {
			WebServer webServer = web.getWebServer();
			logger.info("Ready: APP_ENV={}, {}", this.properties.env(),
					BindAddress.describe(boundAddress(webServer), webServer.getPort()));
		}
	}

}
