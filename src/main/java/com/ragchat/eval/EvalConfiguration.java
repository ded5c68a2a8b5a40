package com.ragchat.eval;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import com.ragchat.observability.ReadinessCheck;
import com.ragchat.rag.RagPipeline;
import com.ragchat.rag.RagProperties;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;

/**
 * The evaluator and the command-line evaluation ({@link EvalCommand}).
 */
@Configuration(proxyBeanMethods = false)
class EvalConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(EvalConfiguration.class);

	/** How long the command waits for the service to become ready. */
	private static final Duration READY_TIMEOUT = Duration.ofMinutes(10);

	@Bean
	Evaluator evaluator(RagPipeline pipeline, RagProperties properties) {
		return new Evaluator(pipeline, properties);
	}

	@Bean
	GoldenSets goldenSets(JsonMapper json, Validator validator) {
		return new GoldenSets(json, validator);
	}

	/**
	 * Runs once the application is ready, that is after every start-up runner (the
	 * first-start import among them): a runner of its own could run before them and wait
	 * for them forever.
	 */
	@Bean
	ApplicationListener<ApplicationReadyEvent> evalCommandRunner(Evaluator evaluator, GoldenSets sets,
			List<ReadinessCheck> checks, ApplicationArguments args, ConfigurableApplicationContext context) {
		return (event) -> {
			if (!args.containsOption(EvalCommand.OPTION)) {
				return;
			}
			int code = runCommand(evaluator, sets, checks, args);
			System.exit(SpringApplication.exit(context, () -> code));
		};
	}

	private static int runCommand(Evaluator evaluator, GoldenSets sets, List<ReadinessCheck> checks,
			ApplicationArguments args) {
		String file = first(args, EvalCommand.OPTION, EvalCommand.SAMPLE);
		String split = first(args, EvalCommand.SPLIT_OPTION, null);
		Path report = Path.of(first(args, EvalCommand.REPORT_OPTION, "eval-report.md"));
		try {
			GoldenSet set = EvalCommand.SAMPLE.equals(file) ? sets.sample() : sets.read(Path.of(file));
			awaitReady(checks);
			logger.info("Evaluating {} questions from {}", set.questions().size(), file);
			EvalReport result = evaluator.run(set, split);
			Path parent = report.toAbsolutePath().getParent();
			if (parent != null) {
				Files.createDirectories(parent);
			}
			Files.writeString(report, result.toMarkdown(), StandardCharsets.UTF_8);
			Path json = report.resolveSibling(report.getFileName().toString().replaceFirst("(\\.md)?$", ".json"));
			Files.writeString(json, sets.json().writerWithDefaultPrettyPrinter().writeValueAsString(result),
					StandardCharsets.UTF_8);
			EvalReport.Figures all = result.splits().get("all");
			logger.info(
					"Evaluation: hit@1 {}, hit@3 {}, refusal recall {}, answerable refused {}, key facts {}; "
							+ "report in {} and {}",
					round(all.hitAt1()), round(all.hitAt3()), round(all.refusalRecall()),
					round(all.answerableRefused()), round(all.keyFactCoverage()), report.toAbsolutePath(),
					json.toAbsolutePath());
			System.out.println(result.toMarkdown());
			return 0;
		}
		catch (IllegalArgumentException | IOException ex) {
			logger.error("Evaluation failed: {}", ex.getMessage());
			return 1;
		}
	}

	private static String first(ApplicationArguments args, String option, String fallback) {
		List<String> values = args.getOptionValues(option);
		if (values == null || values.isEmpty() || values.get(0).isBlank()) {
			return fallback;
		}
		return values.get(0).strip();
	}

	private static String round(double value) {
		return String.format(java.util.Locale.ROOT, "%.3f", value);
	}

	private static void awaitReady(List<ReadinessCheck> checks) {
		Instant deadline = Instant.now().plus(READY_TIMEOUT);
		for (ReadinessCheck check : checks) {
			while (true) {
				try {
					check.check();
					break;
				}
				catch (Exception ex) {
					if (Instant.now().isAfter(deadline)) {
						throw new IllegalArgumentException("the service did not become ready: " + check.component());
					}
					try {
						Thread.sleep(200);
					}
					catch (InterruptedException interrupted) {
						Thread.currentThread().interrupt();
						throw new IllegalArgumentException("interrupted while waiting for readiness");
					}
				}
			}
		}
	}

	/** Reads and validates golden sets. */
	static final class GoldenSets {

		private final JsonMapper json;

		private final Validator validator;

		GoldenSets(JsonMapper json, Validator validator) {
			this.json = json;
			this.validator = validator;
		}

		JsonMapper json() {
			return this.json;
		}

		GoldenSet sample() throws IOException {
			try (InputStream in = new ClassPathResource(EvalCommand.SAMPLE_RESOURCE).getInputStream()) {
				return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), EvalCommand.SAMPLE_RESOURCE);
			}
		}

		GoldenSet read(Path file) throws IOException {
			if (!Files.isRegularFile(file)) {
				throw new IllegalArgumentException("no golden set at " + file.toAbsolutePath());
			}
			return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
		}

		GoldenSet parse(String text, String name) {
			GoldenSet set;
			try {
				set = this.json.readValue(text, GoldenSet.class);
			}
			catch (JacksonException ex) {
				throw new IllegalArgumentException(name + " is not a golden set: " + ex.getOriginalMessage());
			}
			Set<ConstraintViolation<GoldenSet>> violations = this.validator.validate(set);
			if (!violations.isEmpty()) {
				ConstraintViolation<GoldenSet> first = violations.iterator().next();
				throw new IllegalArgumentException(name + ": " + first.getPropertyPath() + " " + first.getMessage());
			}
			return set;
		}

	}

}
