package com.ragchat.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.ragchat.auth.AuthenticatedUser;

import com.ragchat.platform.TestDatabase;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.authentication;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

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
@AutoConfigureMockMvc
class SampleGoldenSetTests {

	private static final String SMALL_SET = """
			{"questions": [
			  {"id": "a", "category": "plain", "question": "How do I reset my password?",
			   "expected": ["KB0001"], "key_facts": ["Forgot password"]},
			  {"id": "b", "category": "near-miss", "question": "Where can I park my car on campus?",
			   "out_of_scope": true}]}
			""";

	/**
	 * One question below the measured 44/51: passages that tie may come in another order
	 * when the parallel first-start import numbers the documents differently (issue 12's
	 * target is 0.85).
	 */
	static final double MIN_HIT_AT_1 = 43.0 / 51;

	// The other bounds are issue 12's targets.
	static final double MIN_HIT_AT_3 = 0.93;

	static final double MIN_REFUSED = 0.80;

	static final double MAX_ANSWERABLE_REFUSED = 0.05;

	static final double MIN_KEY_FACTS = 0.70;

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

	@Autowired
	MockMvc mvc;

	@Test
	void adminsEvaluateAGoldenSetOverHttp() throws Exception {
		this.mvc.perform(
				post("/api/knowledge/eval").with(user(true)).contentType(MediaType.APPLICATION_JSON).content(SMALL_SET))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.configuration").value(org.hamcrest.Matchers.containsString("extractive")))
			.andExpect(jsonPath("$.splits.all.questions").value(2))
			.andExpect(jsonPath("$.splits.all.hit_at1").value(1.0))
			.andExpect(jsonPath("$.splits.all.refusal_recall").value(1.0))
			.andExpect(jsonPath("$.splits.all.answerable_refused").value(0.0))
			.andExpect(jsonPath("$.splits.all.key_fact_coverage").value(1.0))
			.andExpect(jsonPath("$.outcomes[0].sources[0]").value("KB0001"))
			.andExpect(jsonPath("$.outcomes[1].refused").value(true));
	}

	@Test
	void onlyAdminsMayEvaluateAndBadSetsAreRefusedWithAProblem() throws Exception {
		this.mvc
			.perform(post("/api/knowledge/eval").with(user(false))
				.contentType(MediaType.APPLICATION_JSON)
				.content(SMALL_SET))
			.andExpect(status().isForbidden());
		this.mvc
			.perform(post("/api/knowledge/eval").with(user(true))
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"questions\": [{\"question\": \"How do I print?\"}]}"))
			.andExpect(status().isBadRequest())
			.andExpect(content().contentTypeCompatibleWith("application/problem+json"));
		this.mvc
			.perform(post("/api/knowledge/eval").with(user(true))
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"questions\": []}"))
			.andExpect(status().is4xxClientError())
			.andExpect(content().contentTypeCompatibleWith("application/problem+json"));
	}

	private static RequestPostProcessor user(boolean admin) {
		AuthenticatedUser principal = new AuthenticatedUser(admin ? 1 : 2, admin ? "admin" : "alice", admin);
		List<SimpleGrantedAuthority> authorities = admin
				? List.of(new SimpleGrantedAuthority("ROLE_USER"), new SimpleGrantedAuthority("ROLE_ADMIN"))
				: List.of(new SimpleGrantedAuthority("ROLE_USER"));
		return authentication(new UsernamePasswordAuthenticationToken(principal, null, authorities));
	}

	@Test
	void tuningSplitIsLargeAndReportedOnItsOwn() throws IOException {
		EvalReport report = this.evaluator.run(this.sets.sample(), "tuning");
		Files.createDirectories(Path.of("target"));
		Files.writeString(Path.of("target/sample-eval-tuning-report.md"), report.toMarkdown(), StandardCharsets.UTF_8);
		assertThat(report.splits()).doesNotContainKey("heldout");
		EvalReport.Figures tuning = report.splits().get("tuning");
		assertThat(tuning.answerable() + tuning.outOfScope()).isGreaterThanOrEqualTo(150);
		assertThat(tuning.outOfScope()).isGreaterThanOrEqualTo(30);
	}

	@Test
	void heldOutSplitMeetsTheQualityTargets() throws IOException {
		EvalReport report = this.evaluator.run(this.sets.sample(), null);
		String markdown = report.toMarkdown();
		Files.createDirectories(Path.of("target"));
		Files.writeString(Path.of("target/sample-eval-report.md"), markdown, StandardCharsets.UTF_8);
		System.out.println(markdown);
		EvalReport.Figures heldOut = report.splits().get("heldout");
		assertThat(heldOut.answerable()).isGreaterThanOrEqualTo(50);
		assertThat(heldOut.outOfScope()).isGreaterThanOrEqualTo(20);
		// Measured on the held-out split (51 answerable, 22 out of scope) after the
		// settings were chosen on the tuning split, the same in three runs: hit@1 0.863
		// (44/51), hit@3 0.961 (49/51), out-of-scope refused 0.909 (20/22), answerable
		// refused 0.020 (1/51), key facts 0.725.
		assertThat(heldOut.hitAt1()).as("held-out hit@1").isGreaterThanOrEqualTo(MIN_HIT_AT_1);
		assertThat(heldOut.hitAt3()).as("held-out hit@3").isGreaterThanOrEqualTo(MIN_HIT_AT_3);
		assertThat(heldOut.refusalRecall()).as("held-out out-of-scope refused").isGreaterThanOrEqualTo(MIN_REFUSED);
		assertThat(heldOut.answerableRefused()).as("held-out answerable refused")
			.isLessThanOrEqualTo(MAX_ANSWERABLE_REFUSED);
		assertThat(heldOut.keyFactCoverage()).as("held-out key facts").isGreaterThanOrEqualTo(MIN_KEY_FACTS);
	}

}
