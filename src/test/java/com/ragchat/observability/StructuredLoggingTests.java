package com.ragchat.observability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import com.ragchat.support.ApiClient;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.ConfigurableEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The log as operators get it: JSON lines ({@code LOG_JSON=true}) where every line of a
 * request, on whatever thread, carries its {@code request_id}; the access line per
 * request; the rolling file ({@code LOG_TO_FILE}).
 */
@ExtendWith(OutputCaptureExtension.class)
class StructuredLoggingTests extends TelemetryTestSupport {

	@Autowired
	ConfigurableEnvironment environment;

	@AfterEach
	void backToTextLogging() {
		LoggingRestart.apply(this.environment, Map.of());
	}

	@Test
	void everyLogLineOfARequestCarriesItsIdInJson(CapturedOutput output) {
		LoggingRestart.apply(this.environment, Map.of("LOG_JSON", "true"));
		String syncId = "req-" + UUID.randomUUID();
		String asyncId = "req-" + UUID.randomUUID();
		ApiClient api = api();
		assertThat(api.get("/probe/log/sync-41", "X-Request-ID", syncId).header("X-Request-ID")).isEqualTo(syncId);
		assertThat(api.get("/probe/slow/async-42", "X-Request-ID", asyncId).status()).isEqualTo(200);

		List<JsonNode> lines = jsonLines(output);
		List<JsonNode> sync = mentioning(lines, "sync-41");
		// Request thread, the thread it started, and the access line.
		assertThat(sync).hasSize(3);
		assertThat(sync).allSatisfy((line) -> assertThat(line.path("request_id").asString()).isEqualTo(syncId));
		assertThat(sync.stream().map((line) -> line.get("thread_name").asString()).distinct()).hasSize(2);

		List<JsonNode> async = mentioning(lines, "async-42");
		// Spring's task executor thread, and the access line written when the answer
		// ended.
		assertThat(async).hasSize(2);
		assertThat(async).allSatisfy((line) -> assertThat(line.path("request_id").asString()).isEqualTo(asyncId));

		JsonNode access = sync.stream()
			.filter((line) -> RequestTelemetryFilter.ACCESS_LOGGER.equals(line.get("logger_name").asString()))
			.findFirst()
			.orElseThrow();
		assertThat(access.get("message").asString()).matches("GET /probe/log/sync-41 200 \\d+ms");
		assertThat(access.get("method").asString()).isEqualTo("GET");
		assertThat(access.get("path").asString()).isEqualTo("/probe/log/sync-41");
		assertThat(access.get("status").asInt()).isEqualTo(200);
		assertThat(access.get("duration_ms").isNumber()).isTrue();
		assertThat(access.get("level").asString()).isEqualTo("INFO");
		assertThat(access.has("@timestamp")).isTrue();
	}

	@Test
	void everyRequestGetsOneAccessLine(CapturedOutput output) {
		LoggingRestart.apply(this.environment, Map.of("LOG_JSON", "true"));
		String id = "req-" + UUID.randomUUID();
		ApiClient api = api();
		api.get("/probe/items/access-1", "X-Request-ID", id + "-a");
		api.get("/api/probe/secret/access-2", "X-Request-ID", id + "-b");
		api.get("/no-such/access-3?code=oauth-secret-code", "X-Request-ID", id + "-c");

		List<JsonNode> access = jsonLines(output).stream()
			.filter((line) -> RequestTelemetryFilter.ACCESS_LOGGER.equals(line.get("logger_name").asString()))
			.filter((line) -> line.path("request_id").asString().startsWith(id))
			.toList();
		assertThat(access).extracting((line) -> line.get("message").asString().replaceAll(" \\d+ms$", ""))
			.containsExactly("GET /probe/items/access-1 200", "GET /api/probe/secret/access-2 401",
					"GET /no-such/access-3 404");
		// The query string (OAuth codes, state) never reaches the log.
		assertThat(output.getOut()).doesNotContain("oauth-secret-code");
	}

	@Test
	void textLinesCarryTheRequestIdToo(CapturedOutput output) {
		String id = "req-" + UUID.randomUUID();
		api().get("/probe/log/text-43", "X-Request-ID", id);
		List<String> lines = output.getOut().lines().filter((line) -> line.contains("text-43")).toList();
		assertThat(lines).hasSize(3).allSatisfy((line) -> assertThat(line).contains("[" + id + "]"));
	}

	@Test
	void logToFileWritesARollingFile(@TempDir Path directory) throws Exception {
		Path file = directory.resolve("logs").resolve("app.log");
		LoggingRestart.apply(this.environment,
				Map.of("LOG_TO_FILE", "TRUE", "LOGGING_LOCATION", file.toString(), "LOG_JSON", "true"));
		String id = "req-" + UUID.randomUUID();
		api().get("/probe/log/file-44", "X-Request-ID", id);

		Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME);
		RollingFileAppender<?> appender = (RollingFileAppender<?>) root.getAppender("FILE");
		assertThat(appender).isNotNull();
		assertThat(Path.of(appender.getFile())).isEqualTo(file);
		FixedWindowRollingPolicy rolling = (FixedWindowRollingPolicy) appender.getRollingPolicy();
		assertThat(rolling.getMinIndex()).isEqualTo(1);
		assertThat(rolling.getMaxIndex()).isEqualTo(20);
		assertThat(rolling.getFileNamePattern()).isEqualTo(file + ".%i");
		SizeBasedTriggeringPolicy<?> trigger = (SizeBasedTriggeringPolicy<?>) appender.getTriggeringPolicy();
		assertThat(trigger.getMaxFileSize().getSize()).isEqualTo(10L * 1024 * 1024);

		List<JsonNode> written = Files.readAllLines(file)
			.stream()
			.filter((line) -> line.contains("file-44"))
			.map(ApiClient.JSON::readTree)
			.toList();
		assertThat(written).hasSize(3)
			.allSatisfy((line) -> assertThat(line.get("request_id").asString()).isEqualTo(id));

		// Past 10 MB the file rolls over to app.log.1 (events go to the file appender
		// only, not to the console).
		@SuppressWarnings("unchecked")
		RollingFileAppender<ILoggingEvent> events = (RollingFileAppender<ILoggingEvent>) appender;
		Logger filler = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("rollover-filler");
		String kilobyte = "x".repeat(1000);
		for (int i = 0; i < 11_000; i++) {
			events.doAppend(new LoggingEvent(Logger.FQCN, filler, Level.INFO, kilobyte, null, null));
		}
		// The size is checked at most once a second.
		Thread.sleep(1200);
		events.doAppend(new LoggingEvent(Logger.FQCN, filler, Level.INFO, "after the rollover", null, null));
		Path rolled = Path.of(events.getFile() + ".1");
		assertThat(rolled).exists();
		assertThat(Files.size(rolled)).isGreaterThan(10L * 1024 * 1024);
		assertThat(Files.size(Path.of(events.getFile()))).isLessThan(1024 * 1024);
	}

	@Test
	void noisyLibrariesAreCappedAtWarnUnlessDebugging() {
		LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
		LoggingRestart.apply(this.environment, Map.of("LOGGING_LEVEL", "INFO"));
		assertThat(context.getLogger("com.ragchat").getEffectiveLevel()).hasToString("INFO");
		assertThat(context.getLogger("app.access").getEffectiveLevel()).hasToString("INFO");
		for (String library : new String[] { "org.hibernate.SQL", "com.zaxxer.hikari.pool.HikariPool",
				"org.springframework.security.web.FilterChainProxy", "org.apache.catalina.core" }) {
			assertThat(context.getLogger(library).getEffectiveLevel()).as(library).hasToString("WARN");
		}
		LoggingRestart.apply(this.environment, Map.of("LOGGING_LEVEL", "debug"));
		assertThat(context.getLogger("org.hibernate.SQL").getEffectiveLevel()).hasToString("DEBUG");
		assertThat(context.getLogger("com.ragchat").getEffectiveLevel()).hasToString("DEBUG");
	}

	private static List<JsonNode> jsonLines(CapturedOutput output) {
		return output.getOut().lines().filter((line) -> line.startsWith("{")).map(ApiClient.JSON::readTree).toList();
	}

	private static List<JsonNode> mentioning(List<JsonNode> lines, String text) {
		return lines.stream().filter((line) -> line.path("message").asString().contains(text)).toList();
	}

}
