package com.ragchat.webapp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.webjars.WebJarVersionLocator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A real headless Chromium driving the web app: the system's {@code chromium} and
 * {@code chromedriver} (Debian packages, installed by {@code .ci/run}), never a browser
 * downloaded at run time. Without them the browser tests fail with a message saying how
 * to install them, unless {@code -Dbrowser.tests.skip=true} says to skip them.
 * <p>
 * Besides driving the page it writes screenshots to {@code target/screenshots/}, switches
 * the colour scheme and the screen size the page sees, and runs axe-core (from its
 * WebJar) on the page.
 */
final class Browser implements AutoCloseable {

	static final String SKIP_PROPERTY = "browser.tests.skip";

	static final Path SCREENSHOTS = Path.of("target", "screenshots");

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final ChromeDriver driver;

	private final String baseUrl;

	private Browser(ChromeDriver driver, String baseUrl) {
		this.driver = driver;
		this.baseUrl = baseUrl;
	}

	/** Starts a fresh browser (no cookies) on the app at {@code port}. */
	static Browser open(int port) {
		Path chromium = executable("browser.chromium", "CHROMIUM_BIN", "/usr/bin/chromium");
		Path chromedriver = executable("browser.chromedriver", "CHROMEDRIVER_BIN", "/usr/bin/chromedriver");
		ChromeOptions options = new ChromeOptions();
		options.setBinary(chromium.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
				"--window-size=1280,800", "--lang=en-US", "--no-first-run", "--disable-extensions");
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile())
			.usingAnyFreePort()
			.build();
		ChromeDriver driver = new ChromeDriver(service, options);
		driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
		return new Browser(driver, "http://127.0.0.1:" + port);
	}

	private static Path executable(String property, String variable, String fallback) {
		String configured = System.getProperty(property, System.getenv(variable));
		Path path = Path.of((configured != null && !configured.isBlank()) ? configured : fallback);
		if (Files.isExecutable(path)) {
			return path;
		}
		String problem = "The browser tests need " + path + " (set -D" + property + " or " + variable
				+ " to use another). Install Chromium and its driver, e.g. "
				+ "'apt-get install -y chromium chromium-driver' (.ci/run does this), or skip these tests "
				+ "explicitly with -D" + SKIP_PROPERTY + "=true.";
		if (Boolean.getBoolean(SKIP_PROPERTY)) {
			Assumptions.abort(problem);
		}
		return fail(problem);
	}

	WebDriver driver() {
		return this.driver;
	}

	void get(String path) {
		this.driver.get(this.baseUrl + path);
		waitUntil((d) -> "true".equals(d.findElement(By.tagName("body")).getDomAttribute("data-ready")));
	}

	/**
	 * Back to a signed-out browser on the sign-in page: no cookies, the desktop screen
	 * and the light colour scheme.
	 */
	void signedOut() {
		phone(false);
		colorScheme(false);
		this.driver.get(this.baseUrl + "/assets/icon.svg");
		this.driver.manage().deleteAllCookies();
		get("/login");
	}

	String path() {
		return java.net.URI.create(this.driver.getCurrentUrl()).getPath();
	}

	WebElement find(String css) {
		return this.driver.findElement(By.cssSelector(css));
	}

	List<WebElement> findAll(String css) {
		return this.driver.findElements(By.cssSelector(css));
	}

	WebElement byId(String id) {
		return this.driver.findElement(By.id(id));
	}

	/** Waits until {@code css} matches a displayed element and returns it. */
	WebElement visible(String css) {
		return waitUntil((d) -> {
			for (WebElement element : d.findElements(By.cssSelector(css))) {
				if (element.isDisplayed()) {
					return element;
				}
			}
			return null;
		});
	}

	void type(String css, String text) {
		WebElement input = visible(css);
		input.clear();
		input.sendKeys(text);
	}

	void click(String css) {
		visible(css).click();
	}

	<T> T waitUntil(Function<WebDriver, T> condition) {
		return new WebDriverWait(this.driver, WAIT).ignoring(StaleElementReferenceException.class)
			.until(condition::apply);
	}

	Object script(String script, Object... args) {
		return this.driver.executeScript(script, args);
	}

	/** The colour scheme the page sees ({@code prefers-color-scheme}). */
	void colorScheme(boolean dark) {
		this.driver.executeCdpCommand("Emulation.setEmulatedMedia",
				Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", dark ? "dark" : "light"))));
	}

	/** A phone-sized screen (390 × 844, touch-sized viewport) or back to the desktop. */
	void phone(boolean phone) {
		if (phone) {
			this.driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
					Map.of("width", 390, "height", 844, "deviceScaleFactor", 1, "mobile", true));
		}
		else {
			this.driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
		}
	}

	/** Saves a screenshot of the viewport as {@code target/screenshots/<name>.png}. */
	Path screenshot(String name) {
		try {
			Files.createDirectories(SCREENSHOTS);
			Path target = SCREENSHOTS.resolve(name + ".png");
			Path shot = this.driver.getScreenshotAs(OutputType.FILE).toPath();
			Files.move(shot, target, StandardCopyOption.REPLACE_EXISTING);
			return target;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Runs axe-core on the page as it is now and fails on any serious or critical
	 * violation, naming the rule and the elements.
	 */
	void assertAccessible(String what) {
		if (!Boolean.TRUE.equals(script("return typeof window.axe === 'object'"))) {
			script(axeSource());
		}
		Object result = this.driver.executeAsyncScript("""
				const done = arguments[arguments.length - 1];
				axe.run(document, { resultTypes: ['violations'] })
					.then((r) => done(JSON.stringify(r.violations)))
					.catch((e) => done(JSON.stringify({ error: String(e) })));
				""");
		JsonNode violations = JSON.readTree(String.valueOf(result));
		assertThat(violations.isArray()).as("axe ran on %s: %s", what, result).isTrue();
		List<String> serious = new ArrayList<>();
		for (JsonNode violation : violations) {
			String impact = violation.path("impact").asString("");
			if (impact.equals("serious") || impact.equals("critical")) {
				List<String> targets = new ArrayList<>();
				for (JsonNode node : violation.path("nodes")) {
					targets.add(node.path("target").toString() + " " + node.path("failureSummary").asString(""));
				}
				serious.add(impact + " " + violation.path("id").asString() + ": " + violation.path("help").asString()
						+ " at " + targets);
			}
		}
		assertThat(serious).as("serious or critical accessibility violations on %s", what).isEmpty();
	}

	private static String axeSource() {
		String version = new WebJarVersionLocator().version("axe-core");
		assertThat(version).as("axe-core WebJar on the test class path").isNotNull();
		String path = "META-INF/resources/webjars/axe-core/" + version + "/axe.min.js";
		try (InputStream in = Browser.class.getClassLoader().getResourceAsStream(path)) {
			assertThat(in).as("axe.min.js").isNotNull();
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() {
		this.driver.quit();
	}

}
