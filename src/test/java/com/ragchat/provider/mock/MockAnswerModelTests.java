package com.ragchat.provider.mock;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.ragchat.rag.Cancellation;
import com.ragchat.rag.ChatTurn;
import com.ragchat.rag.Generation;
import com.ragchat.rag.GenerationRequest;
import com.ragchat.rag.RagProperties;

import static org.assertj.core.api.Assertions.assertThat;

/** The mock model's fragments, pauses and cancellation. */
class MockAnswerModelTests {

	@Test
	void helloIsAnsweredWithTheContractsTwoFragments() {
		List<String> deltas = new ArrayList<>();
		Generation generation = model(0).generate(answer("hello"), deltas::add, Cancellation.none());
		assertThat(deltas).containsExactly("Mock response ", "to: hello");
		assertThat(generation.text()).isEqualTo("Mock response to: hello");
		assertThat(generation.cancelled()).isFalse();
		assertThat(generation.usage().outputTokens()).isEqualTo(4);
	}

	@Test
	void longerAnswersComeTwoWordsAtATimeAndKeepTheirWhitespace() {
		assertThat(MockAnswerModel.chunks("Mock response to: how  do\nI reset it? ")).containsExactly("Mock response ",
				"to: how  ", "do\nI ", "reset it? ");
		assertThat(String.join("", MockAnswerModel.chunks("a b c d e"))).isEqualTo("a b c d e");
		assertThat(MockAnswerModel.chunks("single")).containsExactly("single");
	}

	@Test
	void condensingReturnsTheQuestionUnchanged() {
		List<String> deltas = new ArrayList<>();
		GenerationRequest condense = new GenerationRequest(GenerationRequest.Purpose.CONDENSE, "system", List.of(),
				"Conversation: ...", "and then?", List.of(), 0, 100);
		Generation generation = model(0).generate(condense, deltas::add, Cancellation.none());
		assertThat(generation.text()).isEqualTo("and then?");
	}

	@Test
	void fragmentsArePacedByTheArtificialDelay() {
		List<Long> arrivals = new CopyOnWriteArrayList<>();
		model(50).generate(answer("one two three four"), (delta) -> arrivals.add(System.nanoTime()),
				Cancellation.none());
		assertThat(arrivals).hasSize(4);
		for (int i = 1; i < arrivals.size(); i++) {
			assertThat(TimeUnit.NANOSECONDS.toMillis(arrivals.get(i) - arrivals.get(i - 1))).isGreaterThanOrEqualTo(45);
		}
	}

	@Test
	void cancellationEndsTheAnswerDuringAPause() throws Exception {
		Cancellation cancellation = new Cancellation();
		CountDownLatch firstDelta = new CountDownLatch(1);
		List<String> deltas = new CopyOnWriteArrayList<>();
		// One minute between fragments: only a cancellation that wakes the pause ends
		// this
		// quickly.
		CompletableFuture<Generation> running = CompletableFuture
			.supplyAsync(() -> model(60_000).generate(answer("a b c d e f g h"), (delta) -> {
				deltas.add(delta);
				firstDelta.countDown();
			}, cancellation));
		assertThat(firstDelta.await(5, TimeUnit.SECONDS)).isTrue();
		cancellation.cancel();
		Generation generation = running.get(5, TimeUnit.SECONDS);
		assertThat(generation.cancelled()).isTrue();
		assertThat(generation.text()).isEqualTo("Mock response ");
		assertThat(deltas).containsExactly("Mock response ");
	}

	@Test
	void inputTokensCountThePromptAndHistory() {
		GenerationRequest request = new GenerationRequest(GenerationRequest.Purpose.ANSWER, "two words",
				List.of(new ChatTurn(ChatTurn.Role.USER, "three more words")), "q", "q", List.of(), 0, 100);
		assertThat(model(0).generate(request, (d) -> {
		}, Cancellation.none()).usage().inputTokens()).isEqualTo(6);
	}

	private static MockAnswerModel model(long delayMs) {
		return new MockAnswerModel(new RagProperties("mock", "mock", false, 0.2, 1024, 3, 40, delayMs, false,
				RagProperties.DEFAULT_OUT_OF_SCOPE_MESSAGE));
	}

	private static GenerationRequest answer(String question) {
		return new GenerationRequest(GenerationRequest.Purpose.ANSWER, "system", List.of(), question, question,
				List.of(MockKnowledgeBaseRetriever.PASSAGE), 0.2, 1024);
	}

}
