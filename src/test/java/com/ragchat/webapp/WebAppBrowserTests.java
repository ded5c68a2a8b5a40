package com.ragchat.webapp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import tools.jackson.databind.JsonNode;

import com.ragchat.platform.TestDatabase;
import com.ragchat.support.ApiClient;
import com.ragchat.support.TestUsers;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web app in a real headless Chromium against the whole application in its zero-setup
 * configuration (extractive answers from the local knowledge base with the sample
 * articles): a user's whole journey, an admin's upload that a user's answer then cites,
 * the admin page kept from a non-admin, and every page checked by axe-core and
 * photographed in light and dark, on a desktop and a phone-sized screen.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "LLM_PROVIDER=extractive", "RETRIEVER_PROVIDER=local", "KNOWLEDGE_IMPORT_DIR=samples/knowledge",
				"ADMIN_USERNAMES=web-admin", "ragchat.test.own-datasource=true" })
class WebAppBrowserTests {

	private static final TestDatabase.Info DATABASE = TestDatabase.createEmptyDatabase();

	private static final String ADMIN = "web-admin";

	private static final String ADMIN_PASSWORD = "web-admin-password-1";

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		registry.add("spring.datasource.url", DATABASE::url);
		registry.add("spring.datasource.username", DATABASE::username);
		registry.add("spring.datasource.password", DATABASE::password);
	}

	@LocalServerPort
	int port;

	@Autowired
	JdbcTemplate jdbc;

	ApiClient api;

	/**
	 * One browser for the class (starting Chromium is the slow part), without cookies.
	 */
	static Browser shared;

	Browser browser;

	@BeforeEach
	void start() {
		this.api = new ApiClient(this.port);
		if (shared == null) {
			shared = Browser.open(this.port);
		}
		this.browser = shared;
		this.browser.signedOut();
	}

	@AfterAll
	static void stop() {
		if (shared != null) {
			shared.close();
			shared = null;
		}
	}

	@Test
	void aUsersWholeJourney() {
		Browser b = this.browser;
		String username = "web_" + UUID.randomUUID().toString().substring(0, 8);
		String password = "pw-" + UUID.randomUUID();

		// Register (which signs in)
		b.get("/");
		assertThat(b.path()).isEqualTo("/login");
		b.click("#show-register");
		b.type("#register-username", username);
		b.type("#register-email", username + "@example.com");
		b.type("#register-password", password);
		b.click("#register-form button[type=submit]");
		b.visible("#chat-page");
		assertThat(b.byId("current-user").getText()).isEqualTo(username);
		assertThat(b.byId("nav-admin").isDisplayed()).isFalse();

		// Ask: the answer streams in and cites the password article
		WebElement answer = ask(b, "How do I reset my password?");
		assertThat(Integer.parseInt(answer.getDomAttribute("data-tokens"))).as("token events received")
			.isGreaterThan(5);
		assertThat(answer.findElement(By.cssSelector(".body")).getText()).containsIgnoringCase("forgot password");
		List<WebElement> citations = answer.findElements(By.cssSelector("a.cite"));
		assertThat(citations).isNotEmpty();
		assertThat(citations.get(0).getText()).isEqualTo("[1]");

		// Open the source
		citations.get(0).click();
		WebElement source = b.visible("#source-list li.highlight");
		assertThat(source.getText()).contains("Reset a forgotten password").contains("KB0001").contains("relevance");
		assertThat(source.findElement(By.cssSelector("a.source-link")).getDomAttribute("href"))
			.isEqualTo("https://help.aldermoor.example/kb/KB0001");
		assertThat(source.findElement(By.cssSelector(".source-passage")).getText())
			.containsIgnoringCase("forgot password");
		assertThat(b.driver().switchTo().activeElement()).as("focus moves to the cited source").isEqualTo(source);
		b.click("#close-sources");
		assertThat(b.byId("sources").isDisplayed()).isFalse();

		// Thumbs up, on the real assistant message (as the API lists it)
		long messageId = Long.parseLong(answer.getDomAttribute("data-message-id"));
		answer.findElement(By.cssSelector("button.thumb-up")).click();
		b.waitUntil((d) -> "true"
			.equals(answer.findElement(By.cssSelector("button.thumb-up")).getDomAttribute("aria-pressed")));
		TestUsers.TestUser user = TestUsers.signIn(this.api, username, password, username + "@example.com");
		JsonNode sessions = this.api.get("/api/chat/sessions", user.bearerHeaders()).json();
		assertThat(sessions.size()).isEqualTo(1);
		long sessionId = sessions.get(0).get("id").asLong();
		JsonNode messages = this.api.get("/api/chat/sessions/" + sessionId, user.bearerHeaders())
			.json()
			.get("messages");
		assertThat(messages.get(1).get("id").asLong()).isEqualTo(messageId);
		assertThat(messages.get(1).get("role").asString()).isEqualTo("assistant");
		assertThat(this.jdbc.queryForList("select feedback_type from message_feedback where message_id = ?",
				String.class, messageId))
			.containsExactly("thumbs_up");

		// New chat, rename, delete (with confirmation)
		b.click("#new-chat");
		WebElement created = b.waitUntil((d) -> b.findAll("#session-list li.current")
			.stream()
			.filter((li) -> li.findElement(By.cssSelector(".session-open")).getText().equals("New chat"))
			.findFirst()
			.orElse(null));
		assertThat(b.findAll("#session-list li")).hasSize(2);
		created.findElement(By.cssSelector("button[data-action=rename]")).click();
		b.type("#rename-input", "Printer questions" + Keys.ENTER);
		b.waitUntil((d) -> b.find("#session-list li.current .session-open").getText().equals("Printer questions"));
		assertThat(b.byId("conversation-title").getText()).isEqualTo("Printer questions");
		long renamedId = Long.parseLong(b.find("#session-list li.current").getDomAttribute("data-session-id"));
		assertThat(this.api.get("/api/chat/sessions/" + renamedId, user.bearerHeaders()).json().get("title").asString())
			.isEqualTo("Printer questions");
		b.find("#session-list li.current button[data-action=delete]").click();
		assertThat(b.visible("#confirm-text").getText()).contains("Printer questions");
		b.click("#confirm-cancel");
		assertThat(b.findAll("#session-list li")).as("cancel keeps it").hasSize(2);
		b.find("#session-list li.current button[data-action=delete]").click();
		b.click("#confirm-ok");
		b.waitUntil((d) -> b.findAll("#session-list li").size() == 1);
		assertThat(this.api.get("/api/chat/sessions/" + renamedId, user.bearerHeaders()).status()).isEqualTo(404);

		// Sign out, sign in: the history is there
		b.click("#signout");
		b.visible("#signin-form");
		assertThat(b.path()).isEqualTo("/login");
		assertThat(b.byId("auth-notice").getText()).contains("signed out");
		b.type("#signin-username", username);
		b.type("#signin-password", "wrong-password");
		b.click("#signin-form button[type=submit]");
		assertThat(b.visible("#auth-error").getText()).as("the API's problem detail")
			.isEqualTo("Incorrect username or password");
		b.type("#signin-password", password);
		b.click("#signin-form button[type=submit]");
		b.visible("#chat-page");
		WebElement session = b.visible("#session-list li .session-open");
		assertThat(session.getText()).startsWith("Chat: How do I reset");
		session.click();
		b.waitUntil((d) -> b.findAll("#messages article").size() == 2);
		assertThat(b.find("#messages article.user").getText()).contains("How do I reset my password?");
		WebElement restored = b.find("#messages article.assistant");
		assertThat(restored.findElements(By.cssSelector("a.cite"))).isNotEmpty();
		restored.findElement(By.cssSelector("a.cite")).click();
		assertThat(b.visible("#source-list li.highlight").getText()).contains("KB0001");
	}

	@Test
	void anAdminsUploadIsFoundByTryAQuestionAndCitedInAUsersAnswer(@TempDir Path dir) throws IOException {
		Browser b = this.browser;
		String marker = UUID.randomUUID().toString().substring(0, 8);
		Path kayaks = dir.resolve("kayak-rental-" + marker + ".md");
		Files.writeString(kayaks, """
				---
				title: Kayak rental at the boathouse %s
				kb_number: KB9401
				kb_category: Campus Life
				kb_url: https://help.aldermoor.example/kb/KB9401
				---

				# Kayak rental at the boathouse

				The Aldermoor boathouse on the river rents kayaks and paddleboards to students and staff
				from April to October. Bring your campus card; a kayak costs four pounds an hour and life
				jackets are included. The boathouse opens at nine and the last kayak goes out at five.
				""".formatted(marker), StandardCharsets.UTF_8);
		Path second = dir.resolve("choir-" + marker + ".txt");
		Files.writeString(second,
				"The Aldermoor chamber choir rehearses on Thursday evenings in the music hall. "
						+ "New singers audition in the first week of term. Reference " + marker + ".",
				StandardCharsets.UTF_8);
		signInAsAdmin(b);

		b.click("#nav-admin");
		b.visible("#admin-page");
		assertThat(b.path()).isEqualTo("/admin");
		b.waitUntil((d) -> !b.findAll("#document-rows tr").isEmpty());
		assertThat(b.find("#document-rows tr td.chunks").getText()).matches("\\d+");

		// Upload two files at once, with progress
		b.find("#upload-files").sendKeys(kayaks.toAbsolutePath() + "\n" + second.toAbsolutePath());
		b.click("#upload-form button[type=submit]");
		b.waitUntil((d) -> b.findAll("#upload-progress li").size() == 2 && b.findAll("#upload-progress .upload-status")
			.stream()
			.allMatch((s) -> s.getText().startsWith("Added")));
		for (WebElement bar : b.findAll("#upload-progress progress")) {
			assertThat(bar.getDomProperty("value")).isEqualTo("1");
		}
		WebElement row = b.waitUntil((d) -> b.findAll("#document-rows tr")
			.stream()
			.filter((r) -> r.getText().contains("Kayak rental at the boathouse " + marker))
			.findFirst()
			.orElse(null));
		assertThat(row.getText()).contains("KB9401");
		assertThat(Integer.parseInt(row.findElement(By.cssSelector("td.chunks")).getText())).isPositive();

		// Try a question: the new article ranks first, with its score
		b.type("#search-q", "Can I rent a kayak on the river?");
		b.click("#search-form button[type=submit]");
		WebElement first = b.visible("#search-results li.search-hit");
		assertThat(first.getText()).contains("KB9401").contains("Kayak rental").containsPattern("score 0\\.\\d{3}");

		// Delete the second one (confirmed)
		WebElement choir = b.waitUntil((d) -> b.findAll("#document-rows tr")
			.stream()
			.filter((r) -> r.getText().contains("choir-" + marker))
			.findFirst()
			.orElse(null));
		choir.findElement(By.cssSelector("button.delete-document")).click();
		b.click("#confirm-ok");
		b.waitUntil((d) -> b.findAll("#document-rows tr").stream().noneMatch((r) -> r.getText().contains("choir-")));

		// A user's answer cites the upload
		b.click("#signout");
		b.visible("#signin-form");
		TestUsers.TestUser user = TestUsers.register(this.api);
		signIn(b, user.username(), user.password());
		WebElement answer = ask(b, "How much does it cost to rent a kayak at the boathouse?");
		answer.findElement(By.cssSelector("a.cite")).click();
		assertThat(b.visible("#source-list li.highlight").getText()).contains("KB9401");
	}

	@Test
	void keyboardAloneWorksTheSidebarPagesAndANonAdminNeverSeesTheAdminPage() {
		Browser b = this.browser;
		TestUsers.TestUser user = TestUsers.register(this.api);
		for (int i = 1; i <= 21; i++) {
			assertThat(this.api.postJson("/api/chat/sessions", Map.of("title", "Older chat " + i), user.bearerHeaders())
				.status()).isEqualTo(200);
		}
		// An OAuth handoff that fails says why (the API's problem detail) on the sign-in
		// page
		b.get("/oauth/handoff?code=" + "x".repeat(32));
		assertThat(b.visible("#auth-error").getText()).isEqualTo("Invalid or expired handoff code");
		assertThat(b.path()).isEqualTo("/login");
		b.get("/");

		// With the keyboard alone, the focus always visible
		b.visible("#signin-form");
		b.driver().switchTo().activeElement().sendKeys(Keys.TAB);
		assertThat(focused(b).getText()).isEqualTo("Skip to main content");
		assertThat(focusOutline(b)).isNotEqualTo("none");
		focused(b).sendKeys(Keys.TAB);
		assertThat(focused(b).getDomAttribute("id")).isEqualTo("signin-username");
		assertThat(focusOutline(b)).isNotEqualTo("none");
		focused(b).sendKeys(user.username(), Keys.TAB);
		focused(b).sendKeys(user.password(), Keys.ENTER);
		b.visible("#chat-page");
		b.waitUntil((d) -> b.byId("current-user").getText().equals(user.username()));

		// The sidebar pages: the newest 20 chats, then the older ones on request
		b.waitUntil((d) -> b.findAll("#session-list li").size() == 20);
		assertThat(b.find("#session-list li .session-open").getText()).isEqualTo("Older chat 21");
		b.click("#more-sessions");
		b.waitUntil((d) -> b.findAll("#session-list li").size() == 21);
		assertThat(b.findAll("#session-list li .session-open").get(20).getText()).isEqualTo("Older chat 1");
		assertThat(b.byId("more-sessions").isDisplayed()).isFalse();

		WebElement answer = ask(b, "My account is locked, what do I do?");
		WebElement citation = answer.findElement(By.cssSelector("a.cite"));
		b.script("arguments[0].focus()", citation);
		focused(b).sendKeys(Keys.ENTER);
		WebElement source = b.visible("#source-list li.highlight");
		assertThat(focused(b)).isEqualTo(source);
		focused(b).sendKeys(Keys.ESCAPE);
		b.waitUntil((d) -> !b.byId("sources").isDisplayed());
		assertThat(focused(b)).as("focus goes back to the citation").isEqualTo(citation);

		assertThat(b.byId("nav-admin").isDisplayed()).isFalse();
		b.get("/admin");
		b.visible("#chat-page");
		assertThat(b.path()).isEqualTo("/");
		assertThat(b.byId("admin-page").isDisplayed()).isFalse();
		assertThat(b.findAll("#document-rows tr")).isEmpty();
		assertThat(b.visible("#app-error").getText()).contains("for administrators");
		assertThat(this.api.get("/api/knowledge/documents", user.bearerHeaders()).status()).isEqualTo(403);
	}

	@Test
	void theEmptyChatShowsTheUsersAssistantAndItsExampleQuestionsWhichAsk() {
		Browser b = this.browser;
		this.api.postJson("/api/auth/register",
				Map.of("username", ADMIN, "email", ADMIN + "@example.com", "password", ADMIN_PASSWORD));
		TestUsers.TestUser admin = TestUsers.signIn(this.api, ADMIN, ADMIN_PASSWORD, ADMIN + "@example.com");
		String slug = "physics-" + UUID.randomUUID().toString().substring(0, 8);
		ApiClient.Response tenant = this.api
			.postJson("/api/admin/tenants", Map.of("name", "Physics", "slug", slug, "profile",
					Map.of("assistant_name", "Physics Desk", "supported_topics", List.of("accounts", "lab bookings"),
							"example_questions", List.of("How do I reset my password?", "Where can I print?"))),
					admin.bearerHeaders());
		assertThat(tenant.status()).as(tenant.toString()).isEqualTo(201);
		TestUsers.TestUser member = TestUsers.register(this.api);
		assertThat(this.api
			.send("PUT", "/api/admin/users/" + member.username() + "/tenant",
					"{\"tenant_id\":" + tenant.json().get("id").asLong() + "}",
					TestUsers.TestUser.with(admin.bearerHeaders(), "Content-Type", "application/json"))
			.status()).isEqualTo(200);

		b.get("/login");
		signIn(b, member.username(), member.password());
		b.waitUntil((d) -> b.byId("assistant-name").getText().equals("Physics Desk"));
		assertThat(b.byId("assistant-intro").getText()).contains("accounts, lab bookings");
		List<WebElement> examples = b.findAll("#example-questions button");
		assertThat(examples).extracting(WebElement::getText)
			.containsExactly("How do I reset my password?", "Where can I print?");
		b.assertAccessible("empty chat with example questions");

		examples.get(0).click();
		WebElement answer = b.waitUntil((d) -> {
			List<WebElement> answers = b.findAll("#messages article.assistant");
			return answers.isEmpty() ? null : answers.get(0);
		});
		b.waitUntil((d) -> answer.getDomAttribute("aria-busy") == null
				&& answer.getDomAttribute("data-message-id") != null);
		assertThat(b.find("#messages article.user").getText()).contains("How do I reset my password?");
		assertThat(answer.findElement(By.cssSelector(".body")).getText()).containsIgnoringCase("forgot password")
			.startsWith("Physics Desk found this in");
		assertThat(b.byId("chat-empty").isDisplayed()).isFalse();

		// Another user, without a tenant, meets the global assistant.
		b.signedOut();
		TestUsers.TestUser other = TestUsers.register(this.api);
		b.get("/login");
		signIn(b, other.username(), other.password());
		b.waitUntil((d) -> b.byId("assistant-name").getText().equals("Help Desk Assistant"));
		assertThat(b.findAll("#example-questions button")).isEmpty();
	}

	@Test
	void aUserMakesAnApiKeyOnTheAccountPageUsesItAndRevokesIt() {
		Browser b = this.browser;
		TestUsers.TestUser user = TestUsers.register(this.api);
		b.get("/login");
		signIn(b, user.username(), user.password());
		b.click("#nav-account");
		b.visible("#account-page");
		assertThat(b.path()).isEqualTo("/account");
		assertThat(b.byId("openai-base-url").getText()).endsWith("/v1");
		b.visible("#keys-empty");

		b.type("#key-name", "Open WebUI");
		b.click("#key-form button[type=submit]");
		WebElement shown = b.visible("#new-key-value");
		String key = shown.getDomProperty("value");
		assertThat(key).startsWith("rck_");
		b.waitUntil((d) -> b.findAll("#key-rows tr").size() == 1);
		WebElement row = b.find("#key-rows tr");
		assertThat(row.getText()).contains("Open WebUI").doesNotContain(key);
		b.assertAccessible("account");
		b.screenshot("account-light-desktop");
		assertThat(this.api.get("/v1/models", "Authorization", "Bearer " + key).status()).isEqualTo(200);

		row.findElement(By.cssSelector("button.delete-key")).click();
		b.click("#confirm-ok");
		b.waitUntil((d) -> b.findAll("#key-rows tr").isEmpty());
		assertThat(this.api.get("/v1/models", "Authorization", "Bearer " + key).status()).isEqualTo(401);
	}

	/**
	 * Every page (sign in, register, chat with a cited answer and its sources, the rename
	 * dialog, knowledge admin with search results) passes axe-core with no serious or
	 * critical violation, in light and dark on a desktop and a phone screen, and is
	 * photographed each way into {@code target/screenshots/}.
	 */
	@Test
	void everyPageIsAccessibleAndPhotographedInLightAndDarkOnDesktopAndPhone() {
		Browser b = this.browser;
		b.get("/login");
		b.visible("#signin-form");
		everyWay(b, "signin");
		b.click("#show-register");
		b.visible("#register-form");
		everyWay(b, "register");

		b.click("#show-signin");
		signInAsAdmin(b);
		b.visible("#chat-page");
		everyWay(b, "chat-empty");
		WebElement answer = ask(b, "How do I connect to eduroam?");
		answer.findElement(By.cssSelector("a.cite")).click();
		b.visible("#source-list li.highlight");
		everyWay(b, "chat");
		b.click("#close-sources");

		b.find("#session-list li button[data-action=rename]").click();
		b.visible("#rename-input");
		b.assertAccessible("the rename dialog");
		b.find("#rename-input").sendKeys(Keys.ESCAPE);

		b.click("#nav-admin");
		b.visible("#admin-page");
		b.waitUntil((d) -> !b.findAll("#document-rows tr").isEmpty());
		b.type("#search-q", "eduroam certificate");
		b.click("#search-form button[type=submit]");
		b.visible("#search-results li");
		everyWay(b, "admin");
	}

	private static void everyWay(Browser b, String page) {
		for (boolean phone : new boolean[] { false, true }) {
			b.phone(phone);
			for (boolean dark : new boolean[] { false, true }) {
				b.colorScheme(dark);
				String name = page + "-" + (dark ? "dark" : "light") + "-" + (phone ? "phone" : "desktop");
				// Both colour schemes on the desktop; the phone layout once (in dark).
				if (!phone || dark) {
					b.assertAccessible(name);
				}
				b.screenshot(name);
			}
		}
		b.phone(false);
		b.colorScheme(false);
	}

	private static WebElement focused(Browser b) {
		return b.driver().switchTo().activeElement();
	}

	private static String focusOutline(Browser b) {
		return String.valueOf(b.script("return getComputedStyle(document.activeElement).outlineStyle"));
	}

	private void signInAsAdmin(Browser b) {
		ApiClient.Response registered = this.api.postJson("/api/auth/register",
				Map.of("username", ADMIN, "email", ADMIN + "@example.com", "password", ADMIN_PASSWORD));
		assertThat(registered.status() / 100 == 2 || registered.body().contains("already registered"))
			.as(registered.toString())
			.isTrue();
		if (!"/login".equals(b.path())) {
			b.get("/login");
		}
		signIn(b, ADMIN, ADMIN_PASSWORD);
		b.visible("#nav-admin");
	}

	static void signIn(Browser b, String username, String password) {
		b.type("#signin-username", username);
		b.type("#signin-password", password);
		b.click("#signin-form button[type=submit]");
		b.visible("#chat-page");
		b.waitUntil((d) -> b.byId("current-user").getText().equals(username));
	}

	/** Sends a question with the keyboard and waits for the whole answer. */
	static WebElement ask(Browser b, String question) {
		int before = b.findAll("#messages article.assistant").size();
		WebElement input = b.visible("#question");
		input.sendKeys(question);
		input.sendKeys(Keys.ENTER);
		WebElement answer = b.waitUntil((d) -> {
			List<WebElement> answers = b.findAll("#messages article.assistant");
			return answers.size() > before ? answers.get(answers.size() - 1) : null;
		});
		b.waitUntil((d) -> {
			String id = answer.getDomAttribute("data-message-id");
			return answer.getDomAttribute("aria-busy") == null && id != null && !id.isEmpty();
		});
		return answer;
	}

}
