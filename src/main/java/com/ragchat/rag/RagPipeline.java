package com.ragchat.rag;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.ragchat.platform.InvalidConfigurationException;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Service;

/**
 * Answers one question: <b>condense</b> a follow-up into a standalone question (skipped
 * without history), <b>retrieve</b> the best passages from the knowledge base or the web,
 * and <b>generate</b> an answer grounded in them, streaming its fragments to a
 * {@link RagListener}.
 * <p>
 * Each of the three provider calls goes through {@link ProviderCalls} ({@code calls}):
 * circuit breaker, timeout (idle timeout while streaming), bounded retries of transient
 * failures, provider metrics. There is no other path to a model or retriever.
 * <p>
 * Blocking and free of persistence: the caller runs it on a virtual thread and holds no
 * database connection meanwhile. A fired {@link Cancellation} stops the work at the next
 * stage boundary or, during generation, in the model adapter; the answer produced so far
 * is returned as {@linkplain RagAnswer#interrupted() interrupted}.
 */
@Service
public class RagPipeline {

	/** Status event while the knowledge base is searched (API.md §3.4). */
	public static final String KB_STATUS = "Searching the knowledge base…";

	/** Status event while the web is searched. */
	public static final String WEB_STATUS = "Searching the web…";

	/** Shown with every web-research answer. */
	public static final String WEB_DISCLAIMER = "This answer is based on web search results, which may be incomplete, "
			+ "outdated or wrong. Check the linked sources before relying on it.";

	private static final Logger logger = LoggerFactory.getLogger(RagPipeline.class);

	/** A condensed question far longer than any real one means the model rambled. */
	private static final int MAX_CONDENSED_LENGTH = 2000;

	private static final int CONDENSE_MAX_TOKENS = 256;

	private final ProviderCalls calls;

	private final AnswerModel model;

	private final Retriever knowledgeBase;

	private final @Nullable Retriever web;

	private final RagProperties properties;

	private final PromptTemplates prompts = PromptTemplates.load();

	private final AssistantProfiles profiles;

	private final Tracer tracer;

	private final boolean traceContent;

	RagPipeline(ProviderCalls calls, ObjectProvider<AnswerModel> models, ObjectProvider<Retriever> retrievers,
			RagProperties properties, Environment environment, ObjectProvider<AssistantProfiles> profiles) {
		this(calls, models, retrievers, properties, environment, profiles, Tracer.NOOP);
	}

	@Autowired
	RagPipeline(ProviderCalls calls, ObjectProvider<AnswerModel> models, ObjectProvider<Retriever> retrievers,
			RagProperties properties, Environment environment, ObjectProvider<AssistantProfiles> profiles,
			ObjectProvider<Tracer> tracers) {
		this(calls, models, retrievers, properties, environment, profiles, tracers.getIfAvailable(() -> Tracer.NOOP));
	}

	private RagPipeline(ProviderCalls calls, ObjectProvider<AnswerModel> models, ObjectProvider<Retriever> retrievers,
			RagProperties properties, Environment environment, ObjectProvider<AssistantProfiles> profiles,
			Tracer tracer) {
		this.tracer = tracer;
		this.traceContent = environment.getProperty("app.tracing.content", Boolean.class, false);
		this.calls = calls;
		this.properties = properties;
		// Without the tenant feature (slices of the application in tests): the settings'
		// refusal and nothing else.
		this.profiles = profiles
			.getIfAvailable(() -> (tenant) -> AssistantProfile.withRefusal(properties.outOfScopeMessage()));
		AnswerModel selected = models.getIfUnique();
		if (selected == null) {
			throw new InvalidConfigurationException("LLM_PROVIDER",
					describeMissing("answer model", ProviderSelection.llm(environment), models.stream().count()));
		}
		this.model = selected;
		List<Retriever> knowledgeBases = ofKind(retrievers, SourceKind.KB);
		if (knowledgeBases.size() != 1) {
			throw new InvalidConfigurationException("RETRIEVER_PROVIDER",
					describeMissing("retriever", ProviderSelection.retriever(environment), knowledgeBases.size()));
		}
		this.knowledgeBase = knowledgeBases.get(0);
		if (properties.webResearchEnabled()) {
			List<Retriever> webSearches = ofKind(retrievers, SourceKind.WEB);
			if (webSearches.size() != 1) {
				throw new InvalidConfigurationException("WEB_RESEARCH_ENABLED",
						"web research is on but " + webSearches.size() + " web-search retrievers are available "
								+ "(exactly one is needed; RETRIEVER_PROVIDER=mock provides one)");
			}
			this.web = webSearches.get(0);
		}
		else {
			this.web = null;
		}
	}

	/** The knowledge-base retriever's provider name, e.g. {@code local}. */
	public String knowledgeBaseProvider() {
		return this.knowledgeBase.provider();
	}

	/** Whether {@code research_mode: "web"} is served. */
	public boolean webResearchEnabled() {
		return this.web != null;
	}

	/**
	 * Refuses, before anything is stored or streamed, a question that cannot be answered
	 * now: web research when it is off, and any question while the model's circuit is
	 * open (the refusal the call itself would give, without calling the provider).
	 * @throws WebResearchDisabledException for {@link SourceKind#WEB} when web research
	 * is off
	 * @throws ProviderException of kind {@code UNAVAILABLE}, with {@code retryAfter},
	 * while the model's circuit is open
	 */
	public void ensureAvailable(SourceKind kind) {
		if (kind == SourceKind.WEB && this.web == null) {
			throw new WebResearchDisabledException();
		}
		this.calls.ensureAvailable(this.model);
	}

	/**
	 * Answers {@code question}.
	 * @throws ProviderException when the model or retriever fails (not after
	 * cancellation: then the partial answer is returned)
	 * @throws WebResearchDisabledException when web research is asked for but not enabled
	 */
	public RagAnswer answer(RagQuestion question, RagListener listener, Cancellation cancellation) {
		long started = System.nanoTime();
		boolean webMode = question.sourceKind() == SourceKind.WEB;
		Retriever retriever = webMode ? requireWeb() : this.knowledgeBase;
		listener.onStatus(webMode ? WEB_STATUS : KB_STATUS);
		AssistantProfile profile = this.profiles.forTenant(question.tenantId());
		Span current = this.tracer.currentSpan();
		if (current != null && this.traceContent) {
			// Development only (TRACE_CONTENT, refused in production).
			current.tag("rag.question", question.question());
		}

		String standalone = inSpan("rag.condense", (span) -> {
			span.tag("rag.history_messages", question.history().size());
			String condensed = condense(question, profile, cancellation);
			span.tag("rag.condensed", !condensed.equals(question.question()));
			return condensed;
		});
		if (cancellation.isCancelled()) {
			return result(question, "", List.of(), null, true, started);
		}
		long condensed = System.nanoTime();

		List<Passage> passages = inSpan("rag.retrieve", (span) -> {
			int k = this.properties.retrieverNumberOfResults();
			span.tag("rag.retriever", retriever.provider());
			span.tag("rag.source_kind", question.sourceKind().name().toLowerCase(java.util.Locale.ROOT));
			span.tag("rag.k", k);
			List<Passage> found = this.calls.retrieve(retriever, standalone, k, question.tenantId(), cancellation);
			if (found.size() > k) {
				found = found.subList(0, k);
			}
			span.tag("rag.hits", found.size());
			Double top = found.isEmpty() ? null : found.get(0).metadata().score();
			if (top != null) {
				span.tag("rag.top_score", top);
			}
			return found;
		});
		if (cancellation.isCancelled()) {
			return result(question, "", passages, null, true, started);
		}
		long retrieved = System.nanoTime();

		GenerationRequest request = new GenerationRequest(GenerationRequest.Purpose.ANSWER,
				systemPrompt(webMode, passages, profile), question.history(), question.question(), standalone, passages,
				(question.temperature() != null) ? question.temperature() : this.properties.temperature(),
				(question.maxTokens() != null) ? Math.min(question.maxTokens(), this.properties.maxTokens())
						: this.properties.maxTokens(),
				profile);
		StringBuilder text = new StringBuilder();
		Span generating = this.tracer.nextSpan().name("rag.generate").start();
		generating.tag("gen_ai.operation.name", "chat");
		generating.tag("gen_ai.provider.name", this.model.provider());
		generating.tag("gen_ai.request.model", this.model.model());
		generating.tag("gen_ai.request.temperature", request.temperature());
		generating.tag("gen_ai.request.max_tokens", request.maxTokens());
		long generationStarted = System.nanoTime();
		Consumer<String> deltas = (delta) -> {
			// Fragments after cancellation are not the client's any more: the stored
			// partial answer is what was produced until the client left.
			if (delta.isEmpty() || cancellation.isCancelled()) {
				return;
			}
			if (text.isEmpty()) {
				generating.tag("rag.first_token_ms", millis(generationStarted, System.nanoTime()));
				generating.event("first_token");
			}
			text.append(delta);
			listener.onToken(delta);
		};
		Generation generation;
		try (Tracer.SpanInScope scope = this.tracer.withSpan(generating)) {
			generation = this.calls.generate(this.model, request, deltas, cancellation);
		}
		catch (ProviderException ex) {
			if (cancellation.isCancelled()) {
				// Aborting the upstream call may surface as a failure; it is not one.
				endGeneration(generating, null, "cancelled", "");
				return result(question, text.toString(), passages, null, true, started);
			}
			generating.error(ex);
			generating.tag("error.type", ex.kind().reason());
			endGeneration(generating, null, "error", "");
			throw ex;
		}
		catch (RuntimeException ex) {
			generating.error(ex);
			endGeneration(generating, null, "error", "");
			throw ex;
		}
		boolean interrupted = generation.cancelled() || cancellation.isCancelled();
		if (text.isEmpty() && !generation.text().isEmpty() && !interrupted) {
			// A model that answered without streaming: hand the whole answer out at once.
			generating.tag("rag.first_token_ms", millis(generationStarted, System.nanoTime()));
			text.append(generation.text());
			listener.onToken(generation.text());
		}
		endGeneration(generating, generation.usage(), interrupted ? "cancelled" : "success", text.toString());
		if (logger.isDebugEnabled()) {
			logger.debug("Answered with {} passages in {} ms (condense {} ms, retrieve {} ms){}", passages.size(),
					millis(started, System.nanoTime()), millis(started, condensed), millis(condensed, retrieved),
					interrupted ? ", interrupted" : "");
		}
		return result(question, text.toString(), passages, generation.usage(), interrupted, started);
	}

	/**
	 * Runs {@code body} in a child span of the current one named {@code name}, ended (and
	 * marked failed) however the body ends.
	 */
	private <T> T inSpan(String name, java.util.function.Function<Span, T> body) {
		Span span = this.tracer.nextSpan().name(name).start();
		try (Tracer.SpanInScope scope = this.tracer.withSpan(span)) {
			return body.apply(span);
		}
		catch (RuntimeException ex) {
			span.error(ex);
			if (ex instanceof ProviderException provider) {
				span.tag("error.type", provider.kind().reason());
			}
			throw ex;
		}
		finally {
			span.end();
		}
	}

	private void endGeneration(Span span, Generation.@Nullable Usage usage, String outcome, String answer) {
		if (usage != null) {
			span.tag("gen_ai.usage.input_tokens", usage.inputTokens());
			span.tag("gen_ai.usage.output_tokens", usage.outputTokens());
		}
		span.tag("gen_ai.response.model", this.model.model());
		span.tag("rag.outcome", outcome);
		if (this.traceContent && !answer.isEmpty()) {
			span.tag("rag.answer", answer);
		}
		span.end();
	}

	private String condense(RagQuestion question, AssistantProfile profile, Cancellation cancellation) {
		if (question.history().isEmpty()) {
			return question.question();
		}
		String history = formatHistory(question.history());
		String user = PromptTemplates.render(this.prompts.condenseUser,
				Map.of("history", history, "question", question.question()));
		GenerationRequest request = new GenerationRequest(GenerationRequest.Purpose.CONDENSE,
				PromptTemplates.render(this.prompts.condenseSystem,
						Map.of("assistant_name", profile.assistantName(), "topics", topicsClause(profile))),
				question.history(), user, question.question(), List.of(), 0.0,
				Math.min(CONDENSE_MAX_TOKENS, this.properties.maxTokens()), profile);
		Generation generation = this.calls.complete(this.model, request, cancellation);
		String standalone = generation.text().strip();
		if (generation.cancelled() || standalone.isEmpty() || standalone.length() > MAX_CONDENSED_LENGTH) {
			return question.question();
		}
		return standalone;
	}

	private String systemPrompt(boolean webMode, List<Passage> passages, AssistantProfile profile) {
		String numbered;
		if (passages.isEmpty()) {
			numbered = PromptTemplates.render(this.prompts.noPassages,
					Map.of("out_of_scope_message", profile.outOfScopeMessage()));
		}
		else {
			StringBuilder out = new StringBuilder();
			for (int i = 0; i < passages.size(); i++) {
				Passage passage = passages.get(i);
				Map<String, String> values = new LinkedHashMap<>();
				values.put("number", Integer.toString(i + 1));
				values.put("title", title(passage.metadata()));
				values.put("content", passage.content().strip());
				if (i > 0) {
					out.append("\n\n");
				}
				out.append(PromptTemplates.render(this.prompts.passage, values));
			}
			numbered = out.toString();
		}
		return PromptTemplates.render(webMode ? this.prompts.webAnswerSystem : this.prompts.answerSystem,
				Map.of("passages", numbered, "out_of_scope_message", profile.outOfScopeMessage(), "assistant_name",
						profile.assistantName(), "profile_notes", profileNotes(profile)));
	}

	/** ", who answers questions about A, B and C" or nothing. */
	private static String topicsClause(AssistantProfile profile) {
		return profile.supportedTopics().isEmpty() ? ""
				: " who answers questions about " + String.join(", ", profile.supportedTopics());
	}

	/**
	 * What the profile adds to an answer prompt, before the passages: the topics, the
	 * answer language and the example exchanges; empty when it sets none of them.
	 */
	private static String profileNotes(AssistantProfile profile) {
		StringBuilder notes = new StringBuilder();
		if (!profile.supportedTopics().isEmpty()) {
			notes.append("You answer questions about: ")
				.append(String.join("; ", profile.supportedTopics()))
				.append(". For anything else, reply with the sentence above for questions the passages do not "
						+ "answer.\n\n");
		}
		if (!profile.language().isBlank()) {
			notes.append("Write every answer in ").append(profile.language().strip()).append(".\n\n");
		}
		if (!profile.fewShotExamples().isEmpty()) {
			notes.append("Examples of questions and good answers (their style, not their facts):\n");
			for (AssistantProfile.Example example : profile.fewShotExamples()) {
				notes.append("User: ")
					.append(example.input().strip())
					.append("\nAssistant: ")
					.append(example.output().strip())
					.append("\n");
			}
			notes.append('\n');
		}
		return notes.toString();
	}

	private static String title(Source source) {
		StringBuilder title = new StringBuilder(source.source());
		if (!"N/A".equals(source.kbNumber())) {
			title.append(" (").append(source.kbNumber()).append(')');
		}
		if (!source.shortDescription().isEmpty()) {
			title.append(": ").append(source.shortDescription());
		}
		return title.toString();
	}

	private static String formatHistory(List<ChatTurn> history) {
		StringBuilder out = new StringBuilder();
		for (ChatTurn turn : history) {
			if (!out.isEmpty()) {
				out.append('\n');
			}
			out.append(turn.role() == ChatTurn.Role.USER ? "User: " : "Assistant: ").append(turn.content().strip());
		}
		return out.toString();
	}

	private RagAnswer result(RagQuestion question, String text, List<Passage> passages,
			Generation.@Nullable Usage usage, boolean interrupted, long started) {
		boolean webMode = question.sourceKind() == SourceKind.WEB;
		return new RagAnswer(text, distinctSources(passages), passages, question.sourceKind(),
				webMode ? WEB_DISCLAIMER : null, this.model.provider(), this.model.model(), usage,
				millis(started, System.nanoTime()), interrupted);
	}

	private Retriever requireWeb() {
		if (this.web == null) {
			throw new WebResearchDisabledException();
		}
		return this.web;
	}

	/** One entry per document, in the order of its best passage. */
	private static List<Source> distinctSources(List<Passage> passages) {
		Set<String> seen = new LinkedHashSet<>();
		List<Source> sources = new ArrayList<>();
		for (Passage passage : passages) {
			Source source = passage.metadata();
			if (seen.add(source.source() + '\u0000' + source.kbUrl() + '\u0000' + source.kbNumber())) {
				sources.add(source);
			}
		}
		return sources;
	}

	private static List<Retriever> ofKind(ObjectProvider<Retriever> retrievers, SourceKind kind) {
		return retrievers.orderedStream().filter((r) -> r.kind() == kind).toList();
	}

	private static String describeMissing(String what, String selected, long found) {
		return (found == 0) ? "no " + what + " named '" + selected + "' is available"
				: found + " " + what + "s are active for '" + selected + "'; exactly one must be";
	}

	private static long millis(long fromNanos, long toNanos) {
		return TimeUnit.NANOSECONDS.toMillis(toNanos - fromNanos);
	}

}
