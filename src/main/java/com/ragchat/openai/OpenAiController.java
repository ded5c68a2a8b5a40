package com.ragchat.openai;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import com.ragchat.auth.AccountTenants;
import com.ragchat.auth.AuthenticatedUser;
import com.ragchat.chat.EventStreamWriter;
import com.ragchat.chat.StreamEvent;
import com.ragchat.chat.TurnSpans;
import com.ragchat.observability.RequestTiming;
import com.ragchat.rag.Cancellation;
import com.ragchat.rag.ChatTurn;
import com.ragchat.rag.Generation;
import com.ragchat.rag.ProviderException;
import com.ragchat.rag.RagAnswer;
import com.ragchat.rag.RagListener;
import com.ragchat.rag.RagPipeline;
import com.ragchat.rag.RagProperties;
import com.ragchat.rag.RagQuestion;
import com.ragchat.rag.Source;
import com.ragchat.rag.SourceKind;
import com.ragchat.tenant.TenantDirectory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/models} and {@code POST /v1/chat/completions}: the assistant as one
 * model. A completion is the RAG pipeline's answer to the last user message, with the
 * earlier messages as history (so a follow-up is condensed with them, as in a chat
 * session), followed by a markdown "Sources" list that any client shows, and the same
 * sources as structured {@code citations}. Nothing is stored.
 */
@RestController
class OpenAiController {

	private static final Logger logger = LoggerFactory.getLogger(OpenAiController.class);

	private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

	/** Counts tokens when the answer model reports none (the keyless models). */
	private static final Encoding TOKENS = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);

	private final RagPipeline pipeline;

	private final EventStreamWriter writer;

	private final JsonMapper json;

	private final int historyMessages;

	private final AccountTenants tenants;

	private final TurnSpans spans;

	private final TenantDirectory directory;

	private final String modelId;

	private final long created = Instant.now().getEpochSecond();

	OpenAiController(RagPipeline pipeline, EventStreamWriter writer, JsonMapper json, RagProperties rag,
			AccountTenants tenants, TenantDirectory directory, ObjectProvider<Tracer> tracers,
			@Value("${app.openai-compatible.model-id:ragchat}") String modelId) {
		this.tenants = tenants;
		this.directory = directory;
		this.spans = new TurnSpans(tracers.getIfAvailable(() -> Tracer.NOOP));
		this.pipeline = pipeline;
		this.writer = writer;
		this.json = json;
		this.historyMessages = rag.chatHistoryMaxMessages();
		this.modelId = modelId;
	}

	/**
	 * The assistant as the caller meets it (their tenant's profile), and each tenant's
	 * assistant the caller may use as {@code <model id>:<tenant slug>}: an admin every
	 * tenant's (to try them), a member their own.
	 */
	@GetMapping(OpenAiRoutes.MODELS)
	ModelList models(@AuthenticationPrincipal AuthenticatedUser user) {
		List<Model> models = new ArrayList<>();
		models.add(new Model(this.modelId, "model", this.created, "ragchat"));
		Long own = this.tenants.tenantOf(user.id());
		for (TenantDirectory.TenantRef tenant : this.directory.list()) {
			if (user.admin() || tenant.id() == ((own != null) ? own : -1L)) {
				models.add(new Model(this.modelId + ":" + tenant.slug(), "model", this.created, "ragchat"));
			}
		}
		return new ModelList("list", models);
	}

	/**
	 * The tenant whose assistant answers: the one {@code <model id>:<slug>} names, when
	 * the caller may use it, else the caller's own.
	 * @throws ChatCompletionRequest.ModelNotFound for a tenant's model the caller may not
	 * use or that does not exist
	 */
	private @Nullable Long tenantFor(@Nullable String model, AuthenticatedUser user) {
		Long own = this.tenants.tenantOf(user.id());
		String prefix = this.modelId + ":";
		if (model == null || !model.startsWith(prefix)) {
			// The plain model id, or any other name a client sends by habit.
			return own;
		}
		TenantDirectory.TenantRef tenant = this.directory.bySlug(model.substring(prefix.length()))
			.orElseThrow(() -> new ChatCompletionRequest.ModelNotFound(model));
		if (!user.admin() && tenant.id() != ((own != null) ? own : -1L)) {
			throw new ChatCompletionRequest.ModelNotFound(model);
		}
		return tenant.id();
	}

	@PostMapping(OpenAiRoutes.CHAT_COMPLETIONS)
	@Nullable Completion complete(@AuthenticationPrincipal AuthenticatedUser user,
			@RequestBody(required = false) @Nullable JsonNode body, HttpServletRequest servletRequest,
			HttpServletResponse response) throws IOException {
		ChatCompletionRequest request = ChatCompletionRequest.of(body);
		RagQuestion question = new RagQuestion(request.question(), recent(request.history()), SourceKind.KB,
				request.temperature(), request.maxTokens(), tenantFor(request.model(), user));
		// Refused before anything is streamed when the model's circuit is open.
		this.pipeline.ensureAvailable(SourceKind.KB);
		String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
		long createdAt = Instant.now().getEpochSecond();
		if (!request.stream()) {
			RagAnswer answer = this.spans.run(this.spans.start("openai", null, user.id(), SourceKind.KB, false),
					() -> this.pipeline.answer(question, RagListener.ignoring(), Cancellation.none()));
			String content = answer.text() + sourcesMarkdown(answer.sources());
			return new Completion(id, "chat.completion", createdAt, this.modelId,
					List.of(new Choice(0, new Message("assistant", content), "stop")), usage(question, answer, content),
					citations(answer.sources()));
		}
		long started = RequestTiming.startNanos(servletRequest);
		StreamFormat format = new StreamFormat(id, createdAt, question, request.includeUsage());
		Span span = this.spans.start("openai", null, user.id(), SourceKind.KB, true);
		this.writer.stream(servletRequest, response, format, started, "completion " + id,
				(events, cancellation) -> this.spans.runStream(span, cancellation,
						() -> generate(question, events, cancellation)));
		return null;
	}

	/** On the generation thread: the answer's fragments, then the answer. */
	private void generate(RagQuestion question, Consumer<StreamEvent> events, Cancellation cancellation) {
		try {
			RagAnswer answer = this.pipeline.answer(question, new RagListener() {

				@Override
				public void onStatus(String message) {
					// OpenAI's stream has no progress messages.
				}

				@Override
				public void onToken(String token) {
					events.accept(new StreamEvent.Token(token));
				}

			}, cancellation);
			events.accept(new StreamEvent.Answered(answer));
		}
		catch (ProviderException ex) {
			logger.warn("Completion stream failed: {} {} {}: {}", ex.provider(), ex.operation(), ex.kind().reason(),
					ex.getMessage());
			events.accept(new StreamEvent.Error(ex.kind().reason()));
		}
	}

	private List<ChatTurn> recent(List<ChatTurn> history) {
		int from = Math.max(0, history.size() - this.historyMessages);
		return history.subList(from, history.size());
	}

	/** The provider's token counts, or counts of the texts with the cl100k tokenizer. */
	private static Usage usage(RagQuestion question, RagAnswer answer, String content) {
		Generation.Usage reported = answer.usage();
		if (reported != null) {
			return new Usage(reported.inputTokens(), reported.outputTokens(),
					reported.inputTokens() + reported.outputTokens());
		}
		long prompt = TOKENS.countTokens(question.question());
		for (ChatTurn turn : question.history()) {
			prompt += TOKENS.countTokens(turn.content());
		}
		for (var passage : answer.passages()) {
			prompt += TOKENS.countTokens(passage.content());
		}
		long completion = TOKENS.countTokens(content);
		return new Usage(prompt, completion, prompt + completion);
	}

	/** The sources as a markdown list after the answer; nothing when there are none. */
	static String sourcesMarkdown(List<Source> sources) {
		if (sources.isEmpty()) {
			return "";
		}
		StringBuilder text = new StringBuilder("\n\n**Sources**\n");
		int n = 1;
		for (Source source : sources) {
			String title = source.source().replace("[", "(").replace("]", ")");
			String url = source.kbUrl();
			text.append(n++).append(". ");
			if (!url.isBlank() && !"#".equals(url)) {
				text.append('[').append(title).append("](").append(url).append(')');
			}
			else {
				text.append(title);
			}
			if (!source.kbNumber().isBlank()) {
				text.append(" (").append(source.kbNumber()).append(')');
			}
			text.append('\n');
		}
		return text.toString();
	}

	private static List<Citation> citations(List<Source> sources) {
		List<Citation> citations = new ArrayList<>();
		int n = 1;
		for (Source source : sources) {
			citations.add(new Citation(n++, source.source(), blankToNull(source.kbUrl()),
					blankToNull(source.kbNumber()), source.score()));
		}
		return citations;
	}

	private static @Nullable String blankToNull(String value) {
		return (value.isBlank() || "#".equals(value)) ? null : value;
	}

	/** Renders stream events as {@code chat.completion.chunk} frames. */
	private final class StreamFormat implements EventStreamWriter.Format {

		private final String id;

		private final long createdAt;

		private final RagQuestion question;

		private final boolean includeUsage;

		private final StringBuilder content = new StringBuilder();

		private boolean started;

		StreamFormat(String id, long createdAt, RagQuestion question, boolean includeUsage) {
			this.id = id;
			this.createdAt = createdAt;
			this.question = question;
			this.includeUsage = includeUsage;
		}

		@Override
		public byte[] frame(StreamEvent event) {
			StringBuilder frames = new StringBuilder();
			switch (event) {
				case StreamEvent.Token token -> {
					this.content.append(token.token());
					frames.append(data(chunk(delta(token.token()), null, null, null)));
				}
				case StreamEvent.Answered answered -> {
					RagAnswer answer = answered.answer();
					String sources = sourcesMarkdown(answer.sources());
					if (!sources.isEmpty()) {
						frames.append(data(chunk(delta(sources), null, null, null)));
					}
					this.content.append(sources);
					frames.append(data(chunk(new Delta(null, null), "stop", null, citations(answer.sources()))));
					if (this.includeUsage) {
						frames.append(data(new Chunk(this.id, "chat.completion.chunk", this.createdAt,
								OpenAiController.this.modelId, List.of(),
								usage(this.question, answer, this.content.toString()), null)));
					}
					frames.append(new String(DONE, StandardCharsets.US_ASCII));
				}
				case StreamEvent.Error error -> {
					frames.append(data(OpenAiErrors.body("The answer service failed (" + error.code() + ").",
							"api_error", null, error.code())));
					frames.append(new String(DONE, StandardCharsets.US_ASCII));
				}
				default -> {
					// Status and the chat stream's own end do not occur here.
				}
			}
			return frames.toString().getBytes(StandardCharsets.UTF_8);
		}

		/** The first delta also names the role, as OpenAI's streams do. */
		private Delta delta(String text) {
			String role = this.started ? null : "assistant";
			this.started = true;
			return new Delta(role, text);
		}

		private Chunk chunk(Delta delta, @Nullable String finishReason, @Nullable Usage usage,
				@Nullable List<Citation> citations) {
			return new Chunk(this.id, "chat.completion.chunk", this.createdAt, OpenAiController.this.modelId,
					List.of(new ChunkChoice(0, delta, finishReason)), usage, citations);
		}

		private String data(Object value) {
			return "data: " + OpenAiController.this.json.writeValueAsString(value) + "\n\n";
		}

	}

	record ModelList(String object, List<Model> data) {
	}

	record Model(String id, String object, long created, String ownedBy) {
	}

	record Completion(String id, String object, long created, String model, List<Choice> choices, Usage usage,
			List<Citation> citations) {
	}

	record Choice(int index, Message message, String finishReason) {
	}

	record Message(String role, String content) {
	}

	record Usage(long promptTokens, long completionTokens, long totalTokens) {
	}

	/**
	 * One source of the answer, as the markdown list numbers it.
	 *
	 * @param index its number
	 * @param title the article's title
	 * @param url its link
	 * @param kbNumber its article number
	 * @param score the retriever's score
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Citation(int index, String title, @Nullable String url, @Nullable String kbNumber, @Nullable Double score) {
	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Chunk(String id, String object, long created, String model, List<ChunkChoice> choices, @Nullable Usage usage,
			@Nullable List<Citation> citations) {
	}

	record ChunkChoice(int index, Delta delta, @Nullable String finishReason) {
	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Delta(@Nullable String role, @Nullable String content) {
	}

}
