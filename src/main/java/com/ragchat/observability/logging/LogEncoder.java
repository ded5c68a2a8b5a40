package com.ragchat.observability.logging;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import net.logstash.logback.encoder.LogstashEncoder;
import org.jspecify.annotations.Nullable;

/**
 * Writes log events either as text ({@link #setPattern pattern}) or as one logstash JSON
 * object per line, depending on {@code LOG_JSON}. One encoder that switches, rather than
 * one appender per format, because logback refuses two appenders on the same file even
 * when only one is used. In JSON, logging-context entries such as {@code request_id}
 * become top-level fields.
 */
public class LogEncoder extends EncoderBase<ILoggingEvent> {

	private @Nullable String json;

	private @Nullable String pattern;

	private @Nullable Encoder<ILoggingEvent> delegate;

	/** {@code true} (any case) for JSON lines; anything else for text. */
	public void setJson(String json) {
		this.json = json;
	}

	/** The text layout. */
	public void setPattern(String pattern) {
		this.pattern = pattern;
	}

	boolean isJson() {
		return this.json != null && "true".equals(this.json.strip().toLowerCase(Locale.ROOT));
	}

	@Override
	public void start() {
		Encoder<ILoggingEvent> encoder;
		if (isJson()) {
			LogstashEncoder logstash = new LogstashEncoder();
			logstash.setIncludeMdc(true);
			// The configuration's own variables are not part of any event.
			logstash.setIncludeContext(false);
			encoder = logstash;
		}
		else {
			PatternLayoutEncoder text = new PatternLayoutEncoder();
			// Also when the configuration did not declare it.
			registerSafeMessage();
			text.setPattern((this.pattern != null) ? this.pattern
					: "%d %5p [%X{request_id:--}] [%X{trace_id:--} %X{span_id:--}] %logger : %safeMsg%n");
			text.setCharset(StandardCharsets.UTF_8);
			encoder = text;
		}
		encoder.setContext(getContext());
		encoder.start();
		this.delegate = encoder;
		super.start();
	}

	@SuppressWarnings("unchecked")
	private void registerSafeMessage() {
		Object registry = getContext().getObject(ch.qos.logback.core.CoreConstants.PATTERN_RULE_REGISTRY_FOR_SUPPLIERS);
		if (registry == null) {
			registry = new java.util.HashMap<String, java.util.function.Supplier<?>>();
			getContext().putObject(ch.qos.logback.core.CoreConstants.PATTERN_RULE_REGISTRY_FOR_SUPPLIERS, registry);
		}
		((java.util.Map<String, java.util.function.Supplier<?>>) registry).putIfAbsent("safeMsg",
				SafeMessageConverter::new);
	}

	@Override
	public void stop() {
		if (this.delegate != null) {
			this.delegate.stop();
		}
		super.stop();
	}

	@Override
	public byte[] headerBytes() {
		return (this.delegate != null) ? this.delegate.headerBytes() : new byte[0];
	}

	@Override
	public byte[] encode(ILoggingEvent event) {
		return (this.delegate != null) ? this.delegate.encode(event) : new byte[0];
	}

	@Override
	public byte[] footerBytes() {
		return (this.delegate != null) ? this.delegate.footerBytes() : new byte[0];
	}

}
