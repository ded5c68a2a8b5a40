package com.ragchat.provider.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;

import com.ragchat.rag.AnswerModel;
import com.ragchat.rag.Cancellation;
import com.ragchat.rag.ChatTurn;
import com.ragchat.rag.Generation;
import com.ragchat.rag.GenerationRequest;
import com.ragchat.rag.ProviderException;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;

/**
 * An {@link AnswerModel} backed by a Spring AI {@link ChatModel}: streamed answers
 * subscribe to {@link ChatModel#stream}, and cancellation disposes the subscription,
 * which closes the provider's HTTP stream; whole answers use {@link ChatModel#call} on a
 * virtual thread that cancellation interrupts. Subclasses say how the provider's options
 * and errors look.
 */
public abstract class SpringAiAnswerModel implements AnswerModel {

	private final ChatModel chatModel;

	private final String provider;

	private final String model;

	protected SpringAiAnswerModel(ChatModel chatModel, String provider, String model) {
		this.chatModel = chatModel;
		this.provider = provider;
		this.model = model;
	}

	@Override
	public String provider() {
		return this.provider;
	}

	@Override
	public String model() {
		return this.model;
	}

	/** The provider's chat options for one request: model, temperature, token limit. */
	protected abstract ChatOptions options(GenerationRequest request);

	/**
	 * Maps a provider failure (HTTP status, I/O error, …) to a {@link ProviderException};
	 * returns null for failures it does not recognise.
	 */
	protected abstract @Nullable ProviderException mapFailure(Throwable failure, String operation);

	@Override
	public Generation generate(GenerationRequest request, Consumer<String> deltas, Cancellation cancellation) {
		String operation = operation(request);
		StreamPump pump = new StreamPump();
		AtomicReference<Usage> usage = new AtomicReference<>();
		if (cancellation.isCancelled()) {
			return new Generation("", null, true);
		}
		Disposable subscription = this.chatModel.stream(prompt(request)).subscribe((response) -> {
			Usage reported = usageOf(response);
			if (reported != null) {
				usage.set(reported);
			}
			pump.offer(textOf(response));
		}, pump::fail, pump::complete);
		cancellation.onCancel(() -> {
			pump.cancel();
			close(subscription);
		});
		StreamPump.Result result = pump.drain(deltas);
		if (result.cancelled() || cancellation.isCancelled()) {
			close(subscription);
			return new Generation(result.text(), toUsage(usage.get()), true);
		}
		if (result.failure() != null) {
			throw translate(result.failure(), operation);
		}
		return new Generation(result.text(), toUsage(usage.get()), false);
	}

	/**
	 * Cancels the provider stream without waiting for it: closing an HTTP stream that
	 * another thread is reading can block until that read returns, and neither the caller
	 * (a timeout, a client that left) nor the answer should wait for that.
	 */
	private static void close(Disposable subscription) {
		if (!subscription.isDisposed()) {
			Thread.ofVirtual().name("provider-stream-close").start(subscription::dispose);
		}
	}

	@Override
	public Generation complete(GenerationRequest request, Cancellation cancellation) {
		String operation = operation(request);
		try {
			ChatResponse response = BlockingCalls.call(() -> this.chatModel.call(prompt(request)), cancellation);
			return new Generation(textOf(response), toUsage(usageOf(response)), false);
		}
		catch (CancellationException ex) {
			return new Generation("", null, true);
		}
		catch (RuntimeException ex) {
			if (cancellation.isCancelled()) {
				return new Generation("", null, true);
			}
			throw translate(ex, operation);
		}
	}

	private ProviderException translate(Throwable error, String operation) {
		for (Throwable t = error; t != null; t = t.getCause()) {
			if (t instanceof ProviderException provided) {
				return provided;
			}
			if (t instanceof HttpStatusFailure status) {
				return ProviderFailures.fromStatus(this.provider, operation, status.status(), status.retryAfter(),
						null);
			}
			ProviderException mapped = mapFailure(t, operation);
			if (mapped != null) {
				return mapped;
			}
		}
		return ProviderFailures.fromThrowable(this.provider, operation, error);
	}

	private Prompt prompt(GenerationRequest request) {
		List<Message> messages = new ArrayList<>();
		if (!request.systemPrompt().isBlank()) {
			messages.add(new SystemMessage(request.systemPrompt()));
		}
		for (ChatTurn turn : request.messageHistory()) {
			messages.add((turn.role() == ChatTurn.Role.USER) ? new UserMessage(turn.content())
					: new AssistantMessage(turn.content()));
		}
		messages.add(new UserMessage(request.userPrompt()));
		return new Prompt(messages, options(request));
	}

	/** The metrics' operation of a request: {@code condense} or {@code chat}. */
	public static String operation(GenerationRequest request) {
		return (request.purpose() == GenerationRequest.Purpose.CONDENSE) ? "condense" : "chat";
	}

	private static String textOf(@Nullable ChatResponse response) {
		if (response == null || response.getResult() == null || response.getResult().getOutput() == null) {
			return "";
		}
		String text = response.getResult().getOutput().getText();
		return (text != null) ? text : "";
	}

	private static @Nullable Usage usageOf(@Nullable ChatResponse response) {
		if (response == null || response.getMetadata() == null) {
			return null;
		}
		Usage usage = response.getMetadata().getUsage();
		if (usage == null) {
			return null;
		}
		Integer input = usage.getPromptTokens();
		Integer output = usage.getCompletionTokens();
		boolean empty = (input == null || input == 0) && (output == null || output == 0);
		return empty ? null : usage;
	}

	private static Generation.@Nullable Usage toUsage(@Nullable Usage usage) {
		if (usage == null) {
			return null;
		}
		long input = (usage.getPromptTokens() != null) ? usage.getPromptTokens() : 0;
		long output = (usage.getCompletionTokens() != null) ? usage.getCompletionTokens() : 0;
		return new Generation.Usage(input, output);
	}

}
