package com.ragchat.chat;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import com.ragchat.platform.InvalidConfigurationException;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the chat feature ({@code app.chat}).
 *
 * @param streamHeartbeatInterval how long a stream may stay silent before a
 * {@code : keep-alive} comment is sent ({@code STREAM_HEARTBEAT_INTERVAL}); it keeps
 * proxies from closing the connection during slow stages and reveals a client that left
 * @param streamCancelTimeout how long a stream whose client left waits for generation to
 * stop and the partial answer to be stored ({@code STREAM_CANCEL_TIMEOUT})
 */
@ConfigurationProperties("app.chat")
@Validated
record ChatProperties(@DefaultValue("10s") @NotNull Duration streamHeartbeatInterval,
		@DefaultValue("30s") @NotNull Duration streamCancelTimeout) {

	ChatProperties {
		if (streamHeartbeatInterval != null
				&& (streamHeartbeatInterval.isNegative() || streamHeartbeatInterval.isZero())) {
			throw new InvalidConfigurationException("STREAM_HEARTBEAT_INTERVAL", "must be a positive duration");
		}
	}

}
