package com.ragchat.rag;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import com.ragchat.platform.InvalidConfigurationException;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** The pipeline's stages with scripted models and retrievers. */
class RagPipelineTests {

	static final Source GUIDE = new Source("vpn-guide.md", "https://kb.example/vpn", "KB-7", "Network",
			"Connecting to the VPN", "IT", "2024-01-02", 0.91);

	static final Source POLICY = new Source("policy.md", null, null, null, null, null, null, 0.4);

	final ScriptedModel model = new ScriptedModel();

	final ScriptedRetriever knowledgeBase = new ScriptedRetriever(SourceKind.KB,
			List.of(new Passage("Open the client and pick the EU gateway.", GUIDE),
					new Passage("Gateways rotate every night.", GUIDE),
					new Passage("Remote access needs a manager's approval.", POLICY),
					new Passage("A fourth passage that is over the limit.", POLICY)));

	final ScriptedRetriever web = new ScriptedRetriever(SourceKind.WEB,
			List.of(new Passage("A web page about gateways.",
					new Source("example.org", "https://example.org", null, "Web", null, null, null, null))));

	final RecordingListener listener = new RecordingListener();

	final RecordingCalls calls = new RecordingCalls();

	@Nullable AssistantProfiles profiles;

	@Test
	void aCallersTemperatureAndAnswerLengthReachTheModelWithinTheConfiguredBound() {
		pipeline(false).answer(new RagQuestion("How do I connect to the VPN?", List.of(), SourceKind.KB, 1.1, 200),
				this.listener, Cancellation.none());
		pipeline(false).answer(new RagQuestion("How do I connect to the VPN?", List.of(), SourceKind.KB, null, 9000),
				this.listener, Cancellation.none());
		assertThat(this.model.requests.get(0).temperature()).isEqualTo(1.1);
		assertThat(this.model.requests.get(0).maxTokens()).isEqualTo(200);
		// Unset: the configured temperature; above MAX_TOKENS: MAX_TOKENS.
		assertThat(this.model.requests.get(1).temperature()).isEqualTo(0.3);
		assertThat(this.model.requests.get(1).maxTokens()).isEqualTo(500);
	}

	@Test
	void theAskersTenantProfileShapesBothPromptsAndItsTenantScopesRetrieval() {
		AssistantProfile faculty = new AssistantProfile("Physics Desk", List.of("lab access", "VPN"),
				"Ask the physics office on +44 20 7946 0000.",
				List.of(new AssistantProfile.Example("Can I borrow an oscilloscope?", "Yes, from room 2.14 [1].")),
				"German", List.of());
		List<Long> asked = new ArrayList<>();
		this.profiles = (tenant) -> {
			asked.add(tenant);
			return faculty;
		};
		List<ChatTurn> history = List.of(new ChatTurn(ChatTurn.Role.USER, "How do I connect to the VPN?"),
				new ChatTurn(ChatTurn.Role.ASSISTANT, "Open the client [1]."));
		pipeline(false).answer(new RagQuestion("and on a Mac?", history, SourceKind.KB, null, null, 42L), this.listener,
				Cancellation.none());

		assertThat(asked).containsExactly(42L);
		assertThat(this.calls.tenants).containsExactly(42L);
		GenerationRequest condense = this.model.requests.get(0);
		assertThat(condense.purpose()).isEqualTo(GenerationRequest.Purpose.CONDENSE);
		assertThat(condense.systemPrompt()).contains("Physics Desk")
			.contains("who answers questions about lab access, VPN");
		GenerationRequest answer = this.model.requests.get(1);
		assertThat(answer.profile()).isEqualTo(faculty);
		assertThat(answer.systemPrompt()).startsWith("You are Physics Desk,")
			.contains("else: Ask the physics office on +44 20 7946 0000.")
			.contains("You answer questions about: lab access; VPN.")
			.contains("Write every answer in German.")
			.contains("User: Can I borrow an oscilloscope?\nAssistant: Yes, from room 2.14 [1].")
			.doesNotContain("{{");
	}

	@Test
	void withoutAProfileTheSettingsRefusalIsUsedAndOnlySharedDocumentsAreSearched() {
		pipeline(false).answer(new RagQuestion("How do I connect to the VPN?", List.of(), SourceKind.KB), this.listener,
				Cancellation.none());
		assertThat(this.calls.tenants).containsExactly(-1L);
		GenerationRequest request = this.model.requests.get(0);
		assertThat(request.profile().outOfScopeMessage()).isEqualTo(RagProperties.DEFAULT_OUT_OF_SCOPE_MESSAGE);
		assertThat(request.systemPrompt()).startsWith("You are Help Desk Assistant,")
			.doesNotContain("You answer questions about")
			.doesNotContain("Write every answer in");
	}

	@Test
	void firstQuestionSkipsCondensingAndAnswersFromNumberedPassages() {
		RagAnswer answer = pipeline(false).answer(
				new RagQuestion("How do I connect to the VPN?", List.of(), SourceKind.KB), this.listener,
				Cancellation.none());

		assertThat(this.model.requests).hasSize(1);
		GenerationRequest request = this.model.requests.get(0);
		assertThat(request.purpose()).isEqualTo(GenerationRequest.Purpose.ANSWER);
		assertThat(this.knowledgeBase.queries).containsExactly("How do I connect to the VPN?");
		assertThat(request.userPrompt()).isEqualTo("How do I connect to the VPN?");
		assertThat(request.question()).isEqualTo("How do I connect to the VPN?");
		assertThat(request.passages()).hasSize(3);
		assertThat(request.temperature()).isEqualTo(0.3);
		assertThat(request.maxTokens()).isEqualTo(500);
		assertThat(request.systemPrompt())
			.contains("[1] vpn-guide.md (KB-7): Connecting to the VPN\nOpen the client and pick the EU gateway.")
			.contains("[2] vpn-guide.md (KB-7): Connecting to the VPN\nGateways rotate every night.")
			.contains("[3] policy.md\nRemote access needs a manager's approval.")
			.doesNotContain("fourth passage")
			.contains("reply with exactly this sentence and nothing\n  else: "
					+ RagProperties.DEFAULT_OUT_OF_SCOPE_MESSAGE)
			.doesNotContain("{{");

		assertThat(this.listener.events).containsExactly("status:Searching the knowledge base…", "token:The ",
				"token:answer [1].");
		assertThat(answer.text()).isEqualTo("The answer [1].");
		assertThat(answer.passages()).hasSize(3);
		assertThat(answer.sources()).containsExactly(GUIDE, POLICY);
		assertThat(answer.sourceKind()).isEqualTo(SourceKind.KB);
		assertThat(answer.disclaimer()).isNull();
		assertThat(answer.provider()).isEqualTo("scripted");
		assertThat(answer.model()).isEqualTo("scripted-1");
		assertThat(answer.usage()).isEqualTo(new Generation.Usage(10, 3));
		assertThat(answer.interrupted()).isFalse();
	}

	@Test
	void followUpIsCondensedWithTheHistoryAndTheStandaloneQuestionIsRetrieved() {
		this.model.condensed = "  How do I connect to the VPN from abroad?\n";
		List<ChatTurn> history = List.of(new ChatTurn(ChatTurn.Role.USER, "How do I connect to the VPN?"),
				new ChatTurn(ChatTurn.Role.ASSISTANT, "Open the client [1]."));
		pipeline(false).answer(new RagQuestion("And from abroad?", history, SourceKind.KB), this.listener,
				Cancellation.none());

		assertThat(this.model.requests).hasSize(2);
		GenerationRequest condense = this.model.requests.get(0);
		assertThat(condense.purpose()).isEqualTo(GenerationRequest.Purpose.CONDENSE);
		// The turns travel with the request (a keyless answerer reads them) but are not
		// sent
		// as chat messages: the condense prompt already quotes them.
		assertThat(condense.history()).isEqualTo(history);
		assertThat(condense.messageHistory()).isEmpty();
		assertThat(condense.passages()).isEmpty();
		assertThat(condense.userPrompt())
			.contains("User: How do I connect to the VPN?\nAssistant: Open the client [1].")
			.contains("And from abroad?");
		assertThat(condense.systemPrompt()).contains("standalone question");
		assertThat(this.knowledgeBase.queries).containsExactly("How do I connect to the VPN from abroad?");
		GenerationRequest answer = this.model.requests.get(1);
		assertThat(answer.question()).isEqualTo("How do I connect to the VPN from abroad?");
		assertThat(answer.userPrompt()).isEqualTo("And from abroad?");
		assertThat(answer.history()).isEqualTo(history);
	}

	@Test
	void anEmptyCondensationFallsBackToTheQuestion() {
		this.model.condensed = "   ";
		pipeline(false).answer(
				new RagQuestion("And then?", List.of(new ChatTurn(ChatTurn.Role.USER, "Hi")), SourceKind.KB),
				this.listener, Cancellation.none());
		assertThat(this.knowledgeBase.queries).containsExactly("And then?");
	}

	@Test
	void withoutPassagesThePromptSaysSo() {
		this.knowledgeBase.passages = List.of();
		RagAnswer answer = pipeline(false).answer(new RagQuestion("Unknown?", List.of(), SourceKind.KB), this.listener,
				Cancellation.none());
		assertThat(this.model.requests.get(0).systemPrompt()).contains("No passages were found");
		assertThat(answer.sources()).isEmpty();
		assertThat(answer.passages()).isEmpty();
	}

	@Test
	void webModeSearchesTheWebAndAddsTheDisclaimer() {
		RagAnswer answer = pipeline(true).answer(new RagQuestion("gateways?", List.of(), SourceKind.WEB), this.listener,
				Cancellation.none());
		assertThat(this.web.queries).containsExactly("gateways?");
		assertThat(this.knowledgeBase.queries).isEmpty();
		assertThat(this.listener.events.get(0)).isEqualTo("status:Searching the web…");
		assertThat(this.model.requests.get(0).systemPrompt()).contains("Search results:\n[1] example.org");
		assertThat(answer.sourceKind()).isEqualTo(SourceKind.WEB);
		assertThat(answer.disclaimer()).isEqualTo(RagPipeline.WEB_DISCLAIMER);
	}

	@Test
	void webModeIsRefusedWhenDisabled() {
		RagPipeline pipeline = pipeline(false);
		assertThat(pipeline.webResearchEnabled()).isFalse();
		assertThatIllegalStateException().isThrownBy(() -> pipeline
			.answer(new RagQuestion("gateways?", List.of(), SourceKind.WEB), this.listener, Cancellation.none()));
	}

	@Test
	void cancellationDuringGenerationReturnsThePartialAnswerAsInterrupted() {
		Cancellation cancellation = new Cancellation();
		this.model.afterFirstDelta = cancellation::cancel;
		RagAnswer answer = pipeline(false).answer(new RagQuestion("q", List.of(), SourceKind.KB), this.listener,
				cancellation);
		assertThat(answer.interrupted()).isTrue();
		assertThat(answer.text()).isEqualTo("The ");
		assertThat(this.listener.events).containsExactly("status:Searching the knowledge base…", "token:The ");
	}

	@Test
	void aFailureCausedByCancellingIsAnInterruptionNotAnError() {
		Cancellation cancellation = new Cancellation();
		this.model.afterFirstDelta = () -> {
			cancellation.cancel();
			throw new ProviderException("scripted", "chat", ProviderException.Kind.OTHER, "stream closed");
		};
		RagAnswer answer = pipeline(false).answer(new RagQuestion("q", List.of(), SourceKind.KB), this.listener,
				cancellation);
		assertThat(answer.interrupted()).isTrue();
		assertThat(answer.text()).isEqualTo("The ");
	}

	@Test
	void cancellationBeforeGenerationSkipsTheModel() {
		Cancellation cancellation = new Cancellation();
		cancellation.cancel();
		RagAnswer answer = pipeline(false).answer(new RagQuestion("q", List.of(), SourceKind.KB), this.listener,
				cancellation);
		assertThat(answer.interrupted()).isTrue();
		assertThat(answer.text()).isEmpty();
		assertThat(this.model.requests).isEmpty();
	}

	@Test
	void providerFailuresPropagate() {
		this.knowledgeBase.failure = new ProviderException("kb", "retrieve", ProviderException.Kind.UNAVAILABLE,
				"down");
		assertThatExceptionOfType(ProviderException.class)
			.isThrownBy(() -> pipeline(false).answer(new RagQuestion("q", List.of(), SourceKind.KB), this.listener,
					Cancellation.none()))
			.satisfies((ex) -> assertThat(ex.kind()).isEqualTo(ProviderException.Kind.UNAVAILABLE));
		assertThat(this.model.requests).isEmpty();
	}

	@Test
	void aModelThatDoesNotStreamStillProducesOneToken() {
		this.model.streams = false;
		RagAnswer answer = pipeline(false).answer(new RagQuestion("q", List.of(), SourceKind.KB), this.listener,
				Cancellation.none());
		assertThat(this.listener.events).containsExactly("status:Searching the knowledge base…",
				"token:The answer [1].");
		assertThat(answer.text()).isEqualTo("The answer [1].");
	}

	@Test
	void startUpFailsClearlyWithoutTheSelectedProviders() {
		MockEnvironment environment = new MockEnvironment().withProperty("app.rag.llm-provider", "openai")
			.withProperty("app.rag.retriever-provider", "azure");
		DefaultListableBeanFactory none = new DefaultListableBeanFactory();
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> new RagPipeline(this.calls, none.getBeanProvider(AnswerModel.class),
					none.getBeanProvider(Retriever.class), properties(false), environment,
					none.getBeanProvider(AssistantProfiles.class)))
			.satisfies((ex) -> assertThat(ex.setting()).isEqualTo("LLM_PROVIDER"))
			.withMessageContaining("'openai'");

		DefaultListableBeanFactory modelOnly = new DefaultListableBeanFactory();
		modelOnly.registerSingleton("model", this.model);
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> new RagPipeline(this.calls, modelOnly.getBeanProvider(AnswerModel.class),
					modelOnly.getBeanProvider(Retriever.class), properties(false), environment,
					modelOnly.getBeanProvider(AssistantProfiles.class)))
			.satisfies((ex) -> assertThat(ex.setting()).isEqualTo("RETRIEVER_PROVIDER"))
			.withMessageContaining("'azure'");

		DefaultListableBeanFactory noWeb = new DefaultListableBeanFactory();
		noWeb.registerSingleton("model", this.model);
		noWeb.registerSingleton("kb", this.knowledgeBase);
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> new RagPipeline(this.calls, noWeb.getBeanProvider(AnswerModel.class),
					noWeb.getBeanProvider(Retriever.class), properties(true), environment,
					noWeb.getBeanProvider(AssistantProfiles.class)))
			.satisfies((ex) -> assertThat(ex.setting()).isEqualTo("WEB_RESEARCH_ENABLED"));
	}

	@Test
	void everyProviderCallGoesThroughTheGuard() {
		this.model.condensed = "standalone";
		pipeline(false).answer(
				new RagQuestion("and then?", List.of(new ChatTurn(ChatTurn.Role.USER, "hi")), SourceKind.KB),
				this.listener, Cancellation.none());

		assertThat(this.calls.calls).containsExactly("complete:scripted", "retrieve:scripted", "generate:scripted");
		assertThat(this.model.requests).hasSize(2);
	}

	@Test
	void availabilityIsAskedOfTheGuardAfterTheResearchMode() {
		RagPipeline pipeline = pipeline(false);
		assertThatExceptionOfType(WebResearchDisabledException.class)
			.isThrownBy(() -> pipeline.ensureAvailable(SourceKind.WEB));
		assertThat(this.calls.calls).isEmpty();

		pipeline.ensureAvailable(SourceKind.KB);
		assertThat(this.calls.calls).containsExactly("ensureAvailable:scripted");
	}

	@Test
	void promptPlaceholdersMustAllHaveValues() {
		assertThat(PromptTemplates.render("a {{x}} b {{y}}", java.util.Map.of("x", "1", "y", "$2 {{x}}")))
			.isEqualTo("a 1 b $2 {{x}}");
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> PromptTemplates.render("a {{missing}}", java.util.Map.of()));
	}

	private RagPipeline pipeline(boolean webEnabled) {
		DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
		beans.registerSingleton("model", this.model);
		beans.registerSingleton("kb", this.knowledgeBase);
		beans.registerSingleton("web", this.web);
		if (this.profiles != null) {
			beans.registerSingleton("profiles", this.profiles);
		}
		return new RagPipeline(this.calls, beans.getBeanProvider(AnswerModel.class),
				beans.getBeanProvider(Retriever.class), properties(webEnabled), new MockEnvironment(),
				beans.getBeanProvider(AssistantProfiles.class));
	}

	private static RagProperties properties(boolean webEnabled) {
		return new RagProperties("scripted", "scripted", false, 0.3, 500, 3, 40, 0, webEnabled,
				RagProperties.DEFAULT_OUT_OF_SCOPE_MESSAGE);
	}

	/** Calls the ports directly, as the guard does, and records each call. */
	static class RecordingCalls implements ProviderCalls {

		final List<String> calls = new CopyOnWriteArrayList<>();

		@Override
		public Generation generate(AnswerModel model, GenerationRequest request, Consumer<String> deltas,
				Cancellation cancellation) {
			this.calls.add("generate:" + model.provider());
			return model.generate(request, deltas, cancellation);
		}

		@Override
		public Generation complete(AnswerModel model, GenerationRequest request, Cancellation cancellation) {
			this.calls.add("complete:" + model.provider());
			return model.complete(request, cancellation);
		}

		final List<Long> tenants = new CopyOnWriteArrayList<>();

		@Override
		public List<Passage> retrieve(Retriever retriever, String query, int limit, @Nullable Long tenantId,
				Cancellation cancellation) {
			this.calls.add("retrieve:" + retriever.provider());
			this.tenants.add((tenantId != null) ? tenantId : -1L);
			return retriever.retrieve(query, limit, tenantId, cancellation);
		}

		@Override
		public void ensureAvailable(AnswerModel model) {
			this.calls.add("ensureAvailable:" + model.provider());
		}

	}

	static class ScriptedModel implements AnswerModel {

		final List<GenerationRequest> requests = new CopyOnWriteArrayList<>();

		String condensed = "condensed question";

		boolean streams = true;

		Runnable afterFirstDelta = () -> {
		};

		@Override
		public String provider() {
			return "scripted";
		}

		@Override
		public String model() {
			return "scripted-1";
		}

		@Override
		public Generation generate(GenerationRequest request, Consumer<String> deltas, Cancellation cancellation) {
			this.requests.add(request);
			if (request.purpose() == GenerationRequest.Purpose.CONDENSE) {
				return new Generation(this.condensed, null, false);
			}
			if (!this.streams) {
				return new Generation("The answer [1].", null, false);
			}
			deltas.accept("The ");
			this.afterFirstDelta.run();
			// A careless adapter that keeps emitting after cancellation.
			deltas.accept("answer [1].");
			return new Generation(cancellation.isCancelled() ? "The " : "The answer [1].", new Generation.Usage(10, 3),
					cancellation.isCancelled());
		}

	}

	static class ScriptedRetriever implements Retriever {

		final SourceKind kind;

		final List<String> queries = new ArrayList<>();

		List<Passage> passages;

		ProviderException failure;

		ScriptedRetriever(SourceKind kind, List<Passage> passages) {
			this.kind = kind;
			this.passages = passages;
		}

		@Override
		public String provider() {
			return "scripted";
		}

		@Override
		public SourceKind kind() {
			return this.kind;
		}

		@Override
		public List<Passage> retrieve(String query, int limit, Cancellation cancellation) {
			this.queries.add(query);
			if (this.failure != null) {
				throw this.failure;
			}
			return this.passages;
		}

	}

	static class RecordingListener implements RagListener {

		final List<String> events = new ArrayList<>();

		@Override
		public void onStatus(String message) {
			this.events.add("status:" + message);
		}

		@Override
		public void onToken(String token) {
			this.events.add("token:" + token);
		}

	}

}
