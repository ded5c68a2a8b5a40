package com.ragchat.provider.bedrock;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

import com.ragchat.platform.InvalidConfigurationException;
import com.ragchat.provider.support.Settings;

/**
 * The AWS region: {@code AWS_REGION}, else the AWS profile's, else a start-up failure.
 */
final class BedrockRegions {

	private BedrockRegions() {
	}

	static Region resolve(@Nullable String configured, String selection) {
		if (Settings.present(configured)) {
			return Region.of(configured.strip());
		}
		try {
			return new DefaultAwsRegionProviderChain().getRegion();
		}
		catch (SdkClientException ex) {
			throw new InvalidConfigurationException("AWS_REGION", "required when " + selection);
		}
	}

}
