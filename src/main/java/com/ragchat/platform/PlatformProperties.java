package com.ragchat.platform;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings every feature may read.
 *
 * @param env deployment environment ({@code APP_ENV}): {@code development}, {@code test},
 * {@code staging} or {@code production}; production refuses development conveniences
 * @param dataDir directory for local state ({@code DATA_DIR}): the embedded database and
 * generated development keys live under it
 * @param embeddedDatabaseDir data directory of the embedded PostgreSQL
 * ({@code EMBEDDED_DB_DIR}, default {@code <dataDir>/postgres})
 * @param maxRequestBody largest request body accepted outside multipart uploads
 * ({@code MAX_REQUEST_BODY}, default 1MB); larger ones get 413
 * @param forceHsts send {@code Strict-Transport-Security} on every response, not only on
 * requests that arrived over TLS: follows {@code AUTH_COOKIE_SECURE} (secure cookies mean
 * the site is served over https); unset, on in production only
 * @param bindAddress address the HTTP server listens on ({@code BIND_ADDRESS}): an IP
 * address or host name, {@code 0.0.0.0} or {@code *} for every interface; unset, loopback
 * only ({@code 127.0.0.1}) in {@code development} and {@code test}, so a developer's
 * machine does not serve the network by surprise, and every interface in any other
 * environment (containers set it explicitly)
 * @param embeddedDatabaseAllowedInProduction let the embedded PostgreSQL run with
 * {@code APP_ENV=production} ({@code EMBEDDED_DB_ALLOWED_IN_PRODUCTION}, default false:
 * production needs {@code DATABASE_URL})
 */
@ConfigurationProperties("app.platform")
@Validated
public record PlatformProperties(
		@DefaultValue("development") @NotBlank @Pattern(regexp = "[a-z][a-z0-9_-]{0,31}",
				message = "must be a short lower-case name such as development, test or production") String env,
		@DefaultValue("./data") @NotNull Path dataDir, Path embeddedDatabaseDir,
		@DefaultValue("1MB") @NotNull DataSize maxRequestBody, @Nullable Boolean forceHsts,
		@Nullable String bindAddress, @DefaultValue("false") boolean embeddedDatabaseAllowedInProduction) {

	@ConstructorBinding
	public PlatformProperties {
		if (embeddedDatabaseDir == null && dataDir != null) {
			embeddedDatabaseDir = dataDir.resolve("postgres");
		}
	}

	/** Settings with the default limits, for code and tests that build them by hand. */
	public PlatformProperties(String env, Path dataDir, Path embeddedDatabaseDir) {
		this(env, dataDir, embeddedDatabaseDir, DataSize.ofMegabytes(1), null, null, false);
	}

	/**
	 * The address to bind (see {@code bindAddress}); {@code null} for every interface.
	 * @throws InvalidConfigurationException when {@code BIND_ADDRESS} is not an address
	 * of this machine's resolver
	 */
	public @Nullable InetAddress bindInetAddress() {
		String configured = (this.bindAddress != null) ? this.bindAddress.strip() : "";
		if (configured.isEmpty()) {
			return ("development".equals(this.env) || "test".equals(this.env)) ? InetAddress.getLoopbackAddress()
					: null;
		}
		if (configured.equals("*")) {
			return null;
		}
		try {
			return InetAddress.getByName(configured);
		}
		catch (UnknownHostException | SecurityException ex) {
			throw new InvalidConfigurationException("BIND_ADDRESS",
					"must be an IP address or host name of this machine, or * for every interface");
		}
	}

	/** Whether every response carries HSTS (see {@code forceHsts}). */
	public boolean hstsOnEveryResponse() {
		return (this.forceHsts != null) ? this.forceHsts : isProduction();
	}

	/** Whether this is a production deployment, where insecure defaults are refused. */
	public boolean isProduction() {
		return "production".equals(this.env) || "prod".equals(this.env);
	}

}
