package com.ragchat.chat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import com.ragchat.auth.AuthenticatedUser;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;

import static com.ragchat.chat.ChatTestSupport.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/** With {@code WEB_RESEARCH_ENABLED=true}, web mode answers from the web retriever. */
@SpringBootTest(properties = "WEB_RESEARCH_ENABLED=true")
@AutoConfigureMockMvc
class ChatWebResearchTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	JsonMapper json;

	@Test
	void webModeStreamsAnAnswerWithWebSourcesAndTheDisclaimer() throws Exception {
		AuthenticatedUser user = ChatTestSupport.createUser(this.jdbc);
		String body = ChatTestSupport
			.completed(this.mvc.perform(post("/api/chat/stream").with(as(user))
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"content\":\"latest release\",\"research_mode\":\"web\"}")))
			.getContentAsString(StandardCharsets.UTF_8);

		String[] frames = body.split("\n\n");
		assertThat(frames[0]).isEqualTo("data: {\"type\":\"status\",\"message\":\"Searching the web…\"}");
		JsonNode done = this.json.readTree(frames[frames.length - 1].substring("data: ".length()));
		assertThat(done.get("type").asString()).isEqualTo("done");
		assertThat(done.get("source_kind").asString()).isEqualTo("web");
		assertThat(done.get("disclaimer").asString()).isEqualTo(com.ragchat.rag.RagPipeline.WEB_DISCLAIMER);
		assertThat(done.get("sources").get(0).get("kb_url").asString())
			.isEqualTo("https://example.com/search?q=latest+release");
		assertThat(done.get("sources").get(0).get("kb_number").asString()).isEqualTo("N/A");

		String metadata = this.jdbc.queryForObject("select metadata::text from chat_messages where id = ?",
				String.class, done.get("assistant_message_id").asLong());
		JsonNode stored = this.json.readTree(metadata);
		assertThat(stored.get("source_kind").asString()).isEqualTo("web");
		assertThat(stored.get("disclaimer").asString()).isEqualTo(com.ragchat.rag.RagPipeline.WEB_DISCLAIMER);
	}

	@Test
	void knowledgeBaseModeStillAnswersFromTheKnowledgeBase() throws Exception {
		AuthenticatedUser user = ChatTestSupport.createUser(this.jdbc);
		JsonNode response = this.json.readTree(this.mvc
			.perform(post("/api/chat/chat").with(as(user))
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"content\":\"hello\",\"research_mode\":\"kb\"}"))
			.andReturn()
			.getResponse()
			.getContentAsString(StandardCharsets.UTF_8));
		JsonNode metadata = response.get("assistant_message").get("metadata");
		assertThat(metadata.get("source_kind").asString()).isEqualTo("kb");
		assertThat(metadata.get("disclaimer").isNull()).isTrue();
		assertThat(metadata.get("sources").get(0).get("kb_number").asString()).isEqualTo("KB-123");
	}

}
