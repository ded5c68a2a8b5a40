package com.ragchat.provider;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

import com.ragchat.provider.bedrock.BedrockAnswerModel;

/**
 * A Bedrock model; needs {@code AWS_REGION}, {@code BEDROCK_MODEL_ID} and credentials in
 * the environment ({@code AWS_ACCESS_KEY_ID} or {@code AWS_PROFILE}).
 */
class BedrockAnswerModelIT {

	@Test
	void answersAndStreams() {
		if (LiveProviders.optional("AWS_PROFILE") == null) {
			LiveProviders.require("AWS_ACCESS_KEY_ID");
		}
		Region region = Region.of(LiveProviders.require("AWS_REGION"));
		String model = LiveProviders.require("BEDROCK_MODEL_ID");
		LiveProviders.answersAndStreams(BedrockAnswerModel.create(region, null, model, LiveProviders.TIMEOUT));
	}

}
