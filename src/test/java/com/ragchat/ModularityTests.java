package com.ragchat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import jakarta.persistence.Entity;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.repository.Repository;
import org.springframework.modulith.core.ApplicationModules;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * House rules, enforced: features talk to each other only through their public API (the
 * types in a feature's top-level package), without cycles; entities and repositories stay
 * inside their feature; dependencies are injected through constructors.
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

}
