package com.ragchat.provider.bedrock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDeltaEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamMetadataEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.InferenceConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;

import com.ragchat.provider.support.BlockingCalls;
import com.ragchat.provider.support.SpringAiAnswerModel;
import com.ragchat.provider.support.StreamPump;
import com.ragchat.rag.AnswerModel;
import com.ragchat.rag.Cancellation;
import com.ragchat.rag.ChatTurn;
import com.ragchat.rag.Generation;
import com.ragchat.rag.GenerationRequest;

/**
 * Bedrock's Converse API (one model-agnostic request shape for Claude, Llama, Mistral,
 * Nova, …): {@code Converse} for whole answers, {@code ConverseStream} (an
 * {@code application/vnd.amazon.eventstream} response) for streamed ones. Cancelling a
 * stream cancels its subscription and its future, which closes the connection.
 */
public final class BedrockAnswerModel implements AnswerModel, AutoCloseable {

	private final BedrockRuntimeClient client;

	private final BedrockRuntimeAsyncClient asyncClient;

	private final String modelId;

	private BedrockAnswerModel(BedrockRuntimeClient client, BedrockRuntimeAsyncClient asyncClient, String modelId) {
		this.client = client;
		this.asyncClient = asyncClient;
		this.modelId = modelId;
	}

	/**
	 * @param endpoint an endpoint override (VPC endpoint, tests), or null for the
	 * region's
	 */
	public static BedrockAnswerModel create(Region region, @Nullable String endpoint, String modelId,
			Duration timeout) {
		BedrockRuntimeClient client = AwsClients.configure(BedrockRuntimeClient.builder(), region, endpoint, timeout)
			.build();
		BedrockRuntimeAsyncClient asyncClient = AwsClients
			.configure(BedrockRuntimeAsyncClient.builder(), region, endpoint, timeout)
			.build();
		return new BedrockAnswerModel(client, asyncClient, modelId);
	}

	@Override
	public String provider() {
		return "bedrock";
	}

	@Override
	public String model() {
		return this.modelId;
	}

	@Override
	public Generation complete(GenerationRequest request, Cancellation cancellation) {
		String operation = SpringAiAnswerModel.operation(request);
		ConverseRequest converse = ConverseRequest.builder()
			.modelId(this.modelId)
			.system(system(request))
			.messages(messages(request))
			.inferenceConfig(inference(request))
			.build();
		try {
			ConverseResponse response = BlockingCalls.call(() -> this.client.converse(converse), cancellation);
			StringBuilder text = new StringBuilder();
			if (response.output() != null && response.output().message() != null) {
				for (ContentBlock block : response.output().message().content()) {
					if (block.text() != null) {
						text.append(block.text());
					}
				}
			}
			return new Generation(text.toString(), usage(response.usage()), false);
		}
		catch (CancellationException ex) {
			return new Generation("", null, true);
		}
		catch (RuntimeException ex) {
			if (cancellation.isCancelled()) {
				return new Generation("", null, true);
			}
			throw AwsFailures.map(provider(), operation, ex);
		}
	}

	@Override
	public Generation generate(GenerationRequest request, Consumer<String> deltas, Cancellation cancellation) {
		String operation = SpringAiAnswerModel.operation(request);
		if (cancellation.isCancelled()) {
			return new Generation("", null, true);
		}
		ConverseStreamRequest converse = ConverseStreamRequest.builder()
			.modelId(this.modelId)
			.system(system(request))
			.messages(messages(request))
			.inferenceConfig(inference(request))
			.build();
		StreamPump pump = new StreamPump();
		AtomicReference<@Nullable TokenUsage> usage = new AtomicReference<>();
		AtomicReference<@Nullable Subscription> subscription = new AtomicReference<>();
		ConverseStreamResponseHandler handler = ConverseStreamResponseHandler.builder()
			.onEventStream((publisher) -> publisher.subscribe(new Subscriber<ConverseStreamOutput>() {

				@Override
				public void onSubscribe(Subscription s) {
					subscription.set(s);
					if (cancellation.isCancelled()) {
						s.cancel();
					}
					else {
						s.request(Long.MAX_VALUE);
					}
				}

				@Override
				public void onNext(ConverseStreamOutput event) {
					if (event instanceof ContentBlockDeltaEvent delta && delta.delta() != null) {
						pump.offer(delta.delta().text());
					}
					else if (event instanceof ConverseStreamMetadataEvent metadata) {
						usage.set(metadata.usage());
					}
				}

				@Override
				public void onError(Throwable failure) {
					pump.fail(failure);
				}

				@Override
				public void onComplete() {
					pump.complete();
				}

			}))
			.onError(pump::fail)
			.build();
		CompletableFuture<Void> call = this.asyncClient.converseStream(converse, handler);
		call.whenComplete((ignored, failure) -> {
			if (failure != null) {
				pump.fail(failure);
			}
			else {
				pump.complete();
			}
		});
		cancellation.onCancel(() -> {
			Subscription s = subscription.get();
			if (s != null) {
				s.cancel();
			}
			call.cancel(true);
			pump.cancel();
		});
		StreamPump.Result result = pump.drain(deltas);
		if (result.cancelled() || cancellation.isCancelled()) {
			call.cancel(true);
			return new Generation(result.text(), usage(usage.get()), true);
		}
		if (result.failure() != null) {
			throw AwsFailures.map(provider(), operation, result.failure());
		}
		return new Generation(result.text(), usage(usage.get()), false);
	}

	private static List<SystemContentBlock> system(GenerationRequest request) {
		return request.systemPrompt().isBlank() ? List.of()
				: List.of(SystemContentBlock.fromText(request.systemPrompt()));
	}

	/**
	 * Converse wants a conversation that starts with the user and alternates: turns of
	 * the same speaker are merged, and a leading assistant turn is dropped.
	 */
	static List<Message> messages(GenerationRequest request) {
		List<ChatTurn> turns = new ArrayList<>(request.messageHistory());
		turns.add(new ChatTurn(ChatTurn.Role.USER, request.userPrompt()));
		List<Message> messages = new ArrayList<>();
		ConversationRole previous = null;
		StringBuilder pending = new StringBuilder();
		for (ChatTurn turn : turns) {
			ConversationRole role = (turn.role() == ChatTurn.Role.USER) ? ConversationRole.USER
					: ConversationRole.ASSISTANT;
			if (previous == null && role == ConversationRole.ASSISTANT) {
				continue;
			}
			if (role != previous && previous != null) {
				messages.add(message(previous, pending.toString()));
				pending.setLength(0);
			}
			if (!pending.isEmpty()) {
				pending.append("\n\n");
			}
			pending.append(turn.content());
			previous = role;
		}
		messages.add(message(previous, pending.toString()));
		return messages;
	}

	private static Message message(ConversationRole role, String text) {
		return Message.builder().role(role).content(ContentBlock.fromText(text)).build();
	}

	private static InferenceConfiguration inference(GenerationRequest request) {
		return InferenceConfiguration.builder()
			.temperature((float) request.temperature())
			.maxTokens(request.maxTokens())
			.build();
	}

	private static Generation.@Nullable Usage usage(@Nullable TokenUsage usage) {
		if (usage == null) {
			return null;
		}
		long input = (usage.inputTokens() != null) ? usage.inputTokens() : 0;
		long output = (usage.outputTokens() != null) ? usage.outputTokens() : 0;
		return new Generation.Usage(input, output);
	}

	@Override
	public void close() {
		this.client.close();
		this.asyncClient.close();
	}

}
