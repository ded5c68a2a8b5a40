package com.ragchat.webapp;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import tools.jackson.databind.JsonNode;

import com.ragchat.support.ApiClient;
import com.ragchat.support.TestUsers;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stop button in a real browser: a slow stream (the mock model waits between its
 * fragments) is stopped after its first fragments; the page keeps the partial answer and
 * says it was stopped, and the API has stored that same partial answer, marked
 * interrupted, which the page shows again after a reload.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "LLM_PROVIDER=mock", "RETRIEVER_PROVIDER=mock", "STREAM_ARTIFICIAL_DELAY_MS=400" })
class StopStreamBrowserTests {

	/** Long enough for the mock's two-word fragments to take several seconds. */
	private static final String QUESTION = "Please explain step by step how I can set up the campus printer on my "
			+ "laptop and what I should do when the queue shows my document as held for release at the desk";

	@LocalServerPort
	int port;

	@Test
	void stoppingMidStreamKeepsThePartialAnswer() {
		ApiClient api = new ApiClient(this.port);
		TestUsers.TestUser user = TestUsers.register(api);
		try (Browser b = Browser.open(this.port)) {
			b.get("/");
			WebAppBrowserTests.signIn(b, user.username(), user.password());
			WebElement input = b.visible("#question");
			input.sendKeys(QUESTION);
			input.sendKeys(Keys.ENTER);
			WebElement answer = b.visible("#messages article.assistant[aria-busy=true]");
			b.waitUntil((d) -> {
				String tokens = answer.getDomAttribute("data-tokens");
				return tokens != null && Integer.parseInt(tokens) >= 2;
			});
			assertThat(b.byId("send").isDisplayed()).isFalse();
			b.click("#stop");
			b.waitUntil((d) -> answer.getDomAttribute("aria-busy") == null);
			assertThat(b.visible("#send").isEnabled()).isTrue();
			assertThat(answer.findElement(By.cssSelector(".note")).getText()).contains("Stopped");
			String shown = answer.findElement(By.cssSelector(".body")).getText();
			assertThat(shown).startsWith("Mock response to:");
			String full = "Mock response to: " + QUESTION;
			assertThat(shown.length()).as("only part of the answer").isLessThan(full.length() / 2);

			// The API kept the partial answer, marked interrupted
			JsonNode stored = storedAnswer(api, user);
			assertThat(stored.get("metadata").get("interrupted").asBoolean()).isTrue();
			assertThat(full).startsWith(stored.get("content").asString());
			assertThat(stored.get("content").asString()).startsWith(shown.strip());

			// and the page shows it again from the history
			b.get("/");
			b.visible("#session-list li .session-open").click();
			WebElement restored = b.visible("#messages article.assistant");
			assertThat(restored.findElement(By.cssSelector(".body")).getText())
				.isEqualTo(stored.get("content").asString().strip());
			assertThat(restored.findElement(By.cssSelector(".note")).getText()).contains("Stopped");
		}
	}

	/** The session's assistant message, once the server has stored it after the stop. */
	private static JsonNode storedAnswer(ApiClient api, TestUsers.TestUser user) {
		Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
		while (true) {
			JsonNode sessions = api.get("/api/chat/sessions", user.bearerHeaders()).json();
			if (sessions.size() == 1) {
				JsonNode messages = api
					.get("/api/chat/sessions/" + sessions.get(0).get("id").asLong(), user.bearerHeaders())
					.json()
					.get("messages");
				for (JsonNode message : messages) {
					if (message.get("role").asString().equals("assistant")) {
						return message;
					}
				}
			}
			assertThat(Instant.now()).as("the partial answer is stored").isBefore(deadline);
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
	}

}
