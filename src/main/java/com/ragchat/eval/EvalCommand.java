package com.ragchat.eval;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The command-line evaluation ({@code --eval=FILE}, {@code --eval=sample} for the bundled
 * set of the sample knowledge base): the application starts without its web server, with
 * the configured database and providers, waits until it is ready (the first-start import
 * included), runs the golden set, writes the report ({@code --eval-report=PATH}, default
 * {@code eval-report.md}, plus the same as JSON beside it) and exits.
 */
class EvalCommand implements EnvironmentPostProcessor, Ordered {

	static final String OPTION = "eval";

	static final String SPLIT_OPTION = "eval-split";

	static final String REPORT_OPTION = "eval-report";

	/** {@code --eval=sample}: the golden set of the sample knowledge base. */
	static final String SAMPLE = "sample";

	static final String SAMPLE_RESOURCE = "eval/sample-golden-set.json";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (environment.containsProperty(OPTION)) {
			environment.getPropertySources()
				.addFirst(new MapPropertySource("evalCommand", Map.of("spring.main.web-application-type", "none")));
		}
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
