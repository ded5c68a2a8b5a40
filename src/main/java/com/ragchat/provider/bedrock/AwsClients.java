package com.ragchat.provider.bedrock;

import java.net.URI;
import java.time.Duration;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;

import com.ragchat.provider.support.Settings;

/** What every Bedrock client shares: region, endpoint override, no SDK retries. */
final class AwsClients {

	private AwsClients() {
	}

	static <B extends AwsClientBuilder<B, ?>> B configure(B builder, Region region, @Nullable String endpoint,
			Duration timeout) {
		builder.region(region)
			.overrideConfiguration(ClientOverrideConfiguration.builder()
				// The resilience layer retries, with its own budget and circuit breaker.
				.retryStrategy(AwsRetryStrategy.doNotRetry())
				.apiCallTimeout(Settings.httpBackstop(timeout))
				.build());
		if (Settings.present(endpoint)) {
			builder.endpointOverride(URI.create(Settings.stripTrailingSlash(endpoint)));
		}
		return builder;
	}

}
