package com.ragchat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import jakarta.persistence.Entity;
import org.junit.jupiter.api.Test;

import com.ragchat.rag.AnswerModel;
import com.ragchat.rag.Cancellation;
import com.ragchat.rag.Generation;
import com.ragchat.rag.GenerationRequest;
import com.ragchat.rag.Passage;
import com.ragchat.rag.ProviderCalls;
import com.ragchat.rag.Retriever;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.repository.Repository;
import org.springframework.modulith.core.ApplicationModules;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * House rules, enforced: features talk to each other only through their public API (the
 * types in a feature's top-level package), without cycles; entities and repositories stay
 * inside their feature; dependencies are injected through constructors; models and
 * retrievers are called only through the provider guard; route paths are spelled once.
 */
class ModularityTests {

	private static final JavaClasses PRODUCTION = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("com.ragchat");

	@Test
	void featuresUseOnlyEachOthersPublicApi() {
		ApplicationModules.of(Application.class).verify();
	}

	@Test
	void theRuleCatchesAFeatureReachingIntoAnotherFeaturesInternals() {
		// A deliberately broken miniature application in the test sources: its "orders"
		// feature uses a type from an internal sub-package of its "billing" feature.
		assertThatThrownBy(
				() -> ApplicationModules.of("com.ragchat.archfixture", new ImportOption.OnlyIncludeTests()).verify())
			.hasMessageContaining("orders")
			.hasMessageContaining("billing");
	}

	@Test
	void entitiesAndRepositoriesAreNotPublic() {
		classes().that()
			.areAnnotatedWith(Entity.class)
			.or()
			.areAssignableTo(Repository.class)
			.should()
			.notHaveModifier(JavaModifier.PUBLIC)
			.because("entities and repositories are a feature's internals")
			.allowEmptyShould(true)
			.check(PRODUCTION);
	}

	@Test
	void noFieldInjection() {
		noFields().should()
			.beAnnotatedWith(Autowired.class)
			.because("dependencies go through constructors")
			.check(PRODUCTION);
	}

	@Test
	void onlyTheGuardCallsModelsAndRetrievers() {
		onlyTheGuardCallsThePorts().check(PRODUCTION);
	}

	@Test
	void theGuardRuleCatchesACallAroundTheGuard() {
		// A new port method (here: any call the guard does not make for you) used
		// directly would run without timeout, retries, circuit breaker and metrics.
		JavaClasses shortcut = new ClassFileImporter().importClasses(ShortcutPipeline.class);
		assertThatThrownBy(() -> onlyTheGuardCallsThePorts().check(shortcut)).isInstanceOf(AssertionError.class)
			.hasMessageContaining("ShortcutPipeline")
			.hasMessageContaining("AnswerModel.generate")
			.hasMessageContaining("Retriever.retrieve");
	}

	@Test
	void routePathsAreSpelledOnceInMainCode() {
		Map<String, String> sources = RouteLiterals.sources(Path.of("src/main/java"));
		assertThat(sources).as("main sources found").hasSizeGreaterThan(50);
		assertThat(RouteLiterals.duplicates(sources))
			.as("route paths written more than once: declare each in its feature's *Routes class")
			.isEmpty();
		assertThat(RouteLiterals.literalMappings(sources))
			.as("mapping annotations with a path literal: map to a *Routes constant instead")
			.isEmpty();
	}

	@Test
	void theRouteCheckCatchesASecondSpellingOfARoute() {
		Map<String, String> sources = Map.of("a/Routes.java",
				"class Routes { /* \"/api/in/a/comment\" */ static final String ONE = \"/api/things/{id}\"; }",
				"b/Filter.java", "class Filter { Object m = matcher(\"/api/things/{thingId}\"); }", "c/Controller.java",
				"@RequestMapping(Routes.BASE) class Controller { @PostMapping(\"/register\") void r() {} "
						+ "@GetMapping(\"/\") void root() {} }");

		assertThat(RouteLiterals.duplicates(sources)).containsOnlyKeys("/api/things/{}");
		assertThat(RouteLiterals.literalMappings(sources))
			.containsExactly("c/Controller.java: @PostMapping(\"/register\")");
	}

	/**
	 * Outside the guard (the one {@link ProviderCalls}) and the ports' own
	 * implementations, code may ask a model or retriever who it is, nothing else.
	 */
	static ArchRule onlyTheGuardCallsThePorts() {
		Set<String> metadata = Set.of("provider", "model", "kind");
		DescribedPredicate<JavaMethodCall> portCall = DescribedPredicate.describe(
				"a method of AnswerModel or Retriever other than " + metadata,
				(call) -> isPort(call.getTargetOwner()) && !metadata.contains(call.getName()));
		DescribedPredicate<JavaClass> guardOrPort = DescribedPredicate.describe("the guard or a port implementation",
				ModularityTests::isGuardOrPort);
		return noClasses().that(DescribedPredicate.not(guardOrPort))
			.should()
			.callMethodWhere(portCall)
			.because("every provider call goes through the guard's timeout, retries, circuit breaker and metrics");
	}

	/** Nested and anonymous classes count as their enclosing class. */
	private static boolean isGuardOrPort(JavaClass type) {
		if (type.isAssignableTo(ProviderCalls.class) || type.isAssignableTo(AnswerModel.class)
				|| type.isAssignableTo(Retriever.class)) {
			return true;
		}
		return type.getEnclosingClass().map(ModularityTests::isGuardOrPort).orElse(false);
	}

	private static boolean isPort(JavaClass type) {
		return type.isEquivalentTo(AnswerModel.class) || type.isEquivalentTo(Retriever.class);
	}

	/** What the guard rule must refuse: a pipeline calling the ports itself. */
	static final class ShortcutPipeline {

		Generation answer(AnswerModel model, Retriever retriever, GenerationRequest request) {
			List<Passage> passages = retriever.retrieve(request.question(), 3, Cancellation.none());
			Consumer<String> ignored = (delta) -> {
			};
			return (passages.isEmpty()) ? model.complete(request, Cancellation.none())
					: model.generate(request, ignored, Cancellation.none());
		}

	}

}
