package com.ragchat.provider;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import com.ragchat.rag.AnswerModel;
import com.ragchat.rag.Cancellation;
import com.ragchat.rag.ChatTurn;
import com.ragchat.rag.Generation;
import com.ragchat.rag.GenerationRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Shared steps of the live-provider tests ({@code *IT}, run with
 * {@code ./mvnw verify -Plive-providers}): each is skipped unless its provider's settings
 * are in the environment, and then talks to the real service.
 */
final class LiveProviders {

	static final Duration TIMEOUT = Duration.ofSeconds(60);

	private LiveProviders() {
	}

	/** The variable's value; skips the test when it is not set. */
	static String require(String name) {
		String value = System.getenv(name);
		assumeTrue(value != null && !value.isBlank(), name + " is not set: live test skipped");
		return value;
	}

	static @Nullable String optional(String name) {
		String value = System.getenv(name);
		return (value == null || value.isBlank()) ? null : value;
	}

	/** A whole answer and a streamed one, both with text and token usage. */
	static void answersAndStreams(AnswerModel model) {
		GenerationRequest request = new GenerationRequest(GenerationRequest.Purpose.ANSWER,
				"Answer in one short sentence.", List.of(new ChatTurn(ChatTurn.Role.USER, "Hi")),
				"What is the capital of France?", "What is the capital of France?", List.of(), 0.0, 50);
		Generation whole = model.complete(request, Cancellation.none());
		assertThat(whole.text()).containsIgnoringCase("Paris");
		assertThat(whole.usage()).isNotNull();

		List<String> deltas = new ArrayList<>();
		Generation streamed = model.generate(request, deltas::add, Cancellation.none());
		assertThat(deltas).isNotEmpty();
		assertThat(String.join("", deltas)).isEqualTo(streamed.text()).containsIgnoringCase("Paris");
		assertThat(streamed.usage()).isNotNull();
	}

}
