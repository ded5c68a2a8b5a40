package com.ragchat.provider;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import com.ragchat.provider.support.SpringAiAnswerModel;
import com.ragchat.rag.AnswerModel;
import com.ragchat.rag.Cancellation;
import com.ragchat.rag.Generation;
import com.ragchat.rag.GenerationRequest;
import com.ragchat.rag.ProviderException;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Aborting a hung provider call must not hang in turn. An HTTP client closing a stream
 * that another thread is still reading can block until that read returns (the OpenAI
 * client does, see {@code platform.FaultProviderHangTests}); these tests make the abort
 * block on purpose and check that nobody waits for it: not the other calls' timeouts, not
 * the caller that cancels, not the answer.
 */
class FaultProviderAbortTests {

	static final Duration TIMEOUT = Duration.ofSeconds(1);

	final CountDownLatch release = new CountDownLatch(1);

	// Own threads, not the common pool: on a 2-core machine that pool has one worker,
	// and a call left hanging by a failed test would starve the next test.
	final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

	@AfterEach
	void releaseEverything() {
		this.release.countDown();
		this.threads.shutdownNow();
	}

	@Test
	void aTimeoutFiresWhileAnotherCallsAbortIsStuck() throws Exception {
		ProviderCallGuard guard = new ProviderCallGuard(TIMEOUT, 0,
				new ProviderCircuits(new ProviderProperties.Circuit(100, 30), new SimpleMeterRegistry()),
				new SimpleMeterRegistry());
		try {
			CompletableFuture<Throwable> stuck = CompletableFuture
				.supplyAsync(() -> failure(() -> guard.generate(new HangingModel(true), request(), (d) -> {
				}, Cancellation.none())), this.threads);
			Thread.sleep(200);
			long started = System.nanoTime();
			CompletableFuture<Throwable> plain = CompletableFuture
				.supplyAsync(() -> failure(() -> guard.generate(new HangingModel(false), request(), (d) -> {
				}, Cancellation.none())), this.threads);

			// The first call's abort blocks until released; the second call's timeout
			// still fires on time.
			Throwable second = plain.get(TIMEOUT.toMillis() + 2000, TimeUnit.MILLISECONDS);
			assertThat(second).isInstanceOf(ProviderException.class);
			assertThat(((ProviderException) second).kind()).isEqualTo(ProviderException.Kind.TIMEOUT);
			assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started))
				.isLessThan(TIMEOUT.toMillis() + 1500);
			Throwable first = stuck.get(2, TimeUnit.SECONDS);
			assertThat(((ProviderException) first).kind()).isEqualTo(ProviderException.Kind.TIMEOUT);
		}
		finally {
			this.release.countDown();
			guard.destroy();
		}
	}

	@Test
	void cancellingAStreamDoesNotWaitForTheProviderStreamToClose() throws Exception {
		CountDownLatch disposed = new CountDownLatch(1);
		CountDownLatch firstFragment = new CountDownLatch(1);
		ChatModel chatModel = new ChatModel() {

			@Override
			public ChatResponse call(Prompt prompt) {
				throw new UnsupportedOperationException();
			}

			@Override
			public Flux<ChatResponse> stream(Prompt prompt) {
				return Flux.create((sink) -> {
					// Closing blocks, as a client closing a stream that another thread
					// reads.
					sink.onDispose(() -> {
						awaitRelease();
						disposed.countDown();
					});
					sink.next(new ChatResponse(
							List.of(new org.springframework.ai.chat.model.Generation(new AssistantMessage("Hello")))));
				});
			}

		};
		SpringAiAnswerModel model = new SpringAiAnswerModel(chatModel, "fake", "fake") {

			@Override
			protected ChatOptions options(GenerationRequest request) {
				return ChatOptions.builder().build();
			}

			@Override
			protected @Nullable ProviderException mapFailure(Throwable failure, String operation) {
				return null;
			}

		};
		Cancellation cancellation = new Cancellation();
		CompletableFuture<Generation> answer = CompletableFuture.supplyAsync(
				() -> model.generate(request(), (fragment) -> firstFragment.countDown(), cancellation), this.threads);
		assertThat(firstFragment.await(5, TimeUnit.SECONDS)).isTrue();

		try {
			CompletableFuture.runAsync(cancellation::cancel, this.threads).get(1, TimeUnit.SECONDS);
			Generation generation = answer.get(1, TimeUnit.SECONDS);
			assertThat(generation.cancelled()).isTrue();
			assertThat(generation.text()).isEqualTo("Hello");
		}
		finally {
			this.release.countDown();
		}
		// The provider stream was still closed, just not waited for.
		assertThat(disposed.await(5, TimeUnit.SECONDS)).isTrue();
	}

	/** Blocks until the test is over (at most 20 s). */
	void awaitRelease() {
		try {
			this.release.await(20, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static GenerationRequest request() {
		return new GenerationRequest(GenerationRequest.Purpose.ANSWER, "system", List.of(), "question", "question",
				List.of(), 0.1, 100);
	}

	private static @Nullable Throwable failure(Runnable call) {
		try {
			call.run();
			return null;
		}
		catch (RuntimeException ex) {
			return ex;
		}
	}

	/**
	 * A model that never answers and stops when cancelled; with {@code stuckAbort} its
	 * abort blocks until the test releases it.
	 */
	final class HangingModel implements AnswerModel {

		private final boolean stuckAbort;

		HangingModel(boolean stuckAbort) {
			this.stuckAbort = stuckAbort;
		}

		@Override
		public String provider() {
			return this.stuckAbort ? "stuck" : "plain";
		}

		@Override
		public String model() {
			return "hanging";
		}

		@Override
		public Generation generate(GenerationRequest request, Consumer<String> deltas, Cancellation cancellation) {
			if (this.stuckAbort) {
				cancellation.onCancel(FaultProviderAbortTests.this::awaitRelease);
			}
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
			while (!cancellation.isCancelled() && System.nanoTime() < deadline) {
				try {
					Thread.sleep(10);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					break;
				}
			}
			return new Generation("", null, true);
		}

		@Override
		public Generation complete(GenerationRequest request, Cancellation cancellation) {
			throw new UnsupportedOperationException();
		}

	}

}
