package com.ragchat.provider.bedrock;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProviderChain;
import software.amazon.awssdk.regions.providers.SystemSettingsRegionProvider;

import com.ragchat.platform.InvalidConfigurationException;
import com.ragchat.provider.support.RequiredSettings;
import com.ragchat.provider.support.Settings;

/**
 * The AWS region: {@code AWS_REGION}, else the AWS profile's, else a start-up failure.
 */
final class BedrockRegions {

	private BedrockRegions() {
	}

	static Region resolve(@Nullable String configured, RequiredSettings settings) {
		if (Settings.present(configured)) {
			return Region.of(configured.strip());
		}
		try {
			// Environment, system properties and the AWS profile only: asking the
			// instance metadata service would hang start-up for seconds off EC2.
			return new AwsRegionProviderChain(new SystemSettingsRegionProvider(), new AwsProfileRegionProvider())
				.getRegion();
		}
		catch (SdkClientException ex) {
			throw new InvalidConfigurationException(settings.name("app.provider.bedrock.region"),
					"required when " + settings.selection());
		}
	}

}
