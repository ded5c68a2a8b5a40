package com.ragchat.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import com.ragchat.platform.TestDatabase;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bundled golden set of the sample knowledge base, run through the whole pipeline in
 * the default keyless configuration ({@code local} retriever, {@code extractive}
 * answers), exactly as {@code --eval=sample} does. The thresholds are those of the
 * held-out split, set a little below the figures measured on it (see the notes of issue
 * 12); the tuning split is reported beside it but not asserted, since it is what the
 * settings were chosen on.
 */
@SpringBootTest(properties = { "LLM_PROVIDER=extractive", "RETRIEVER_PROVIDER=local",
		"KNOWLEDGE_IMPORT_DIR=samples/knowledge", "ragchat.test.own-datasource=true" })
class SampleGoldenSetTests {

	private static final TestDatabase.Info DATABASE = TestDatabase.createEmptyDatabase();

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		registry.add("spring.datasource.url", DATABASE::url);
		registry.add("spring.datasource.username", DATABASE::username);
		registry.add("spring.datasource.password", DATABASE::password);
	}

	@Autowired
	Evaluator evaluator;

	@Autowired
	EvalConfiguration.GoldenSets sets;

	@Test
	void heldOutSplitMeetsTheQualityTargets() throws IOException {
		EvalReport report = this.evaluator.run(this.sets.sample(), null);
		String markdown = report.toMarkdown();
		Files.createDirectories(Path.of("target"));
		Files.writeString(Path.of("target/sample-eval-report.md"), markdown, StandardCharsets.UTF_8);
		System.out.println(markdown);
		EvalReport.Figures heldOut = report.splits().get("heldout");
		assertThat(heldOut.answerable()).isGreaterThanOrEqualTo(60);
		assertThat(heldOut.outOfScope()).isGreaterThanOrEqualTo(15);
	}

}
