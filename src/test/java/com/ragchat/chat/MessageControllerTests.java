package com.ragchat.chat;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import com.ragchat.auth.AuthenticatedUser;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static com.ragchat.chat.ChatTestSupport.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/** Feedback (one per user and message) and the sources of an answer. */
@SpringBootTest
@AutoConfigureMockMvc
class MessageControllerTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	JsonMapper json;

	AuthenticatedUser user;

	AuthenticatedUser other;

	long userMessageId;

	long assistantMessageId;

	@BeforeEach
	void converse() throws Exception {
		this.user = ChatTestSupport.createUser(this.jdbc);
		this.other = ChatTestSupport.createUser(this.jdbc);
		JsonNode turn = body(send(post("/api/chat/chat"), this.user, "{\"content\":\"hello\"}"));
		this.userMessageId = turn.get("user_message").get("id").asLong();
		this.assistantMessageId = turn.get("assistant_message").get("id").asLong();
	}

	@Test
	void feedbackIsStoredAndASecondSubmissionReplacesTheFirst() throws Exception {
		MockHttpServletResponse first = send(post("/api/chat/feedback"), this.user, "{\"message_id\":"
				+ this.assistantMessageId + ",\"feedback_type\":\"thumbs_down\",\"comment\":\"vague\"}");
		assertThat(first.getStatus()).isEqualTo(200);
		JsonNode stored = body(first);
		assertThat(stored.propertyNames()).containsExactly("id", "message_id", "user_id", "feedback_type", "rating",
				"comment", "run_id", "created_at");
		assertThat(stored.get("message_id").asLong()).isEqualTo(this.assistantMessageId);
		assertThat(stored.get("user_id").asLong()).isEqualTo(this.user.id());
		assertThat(stored.get("feedback_type").asString()).isEqualTo("thumbs_down");
		assertThat(stored.get("rating").isNull()).isTrue();
		assertThat(stored.get("comment").asString()).isEqualTo("vague");
		assertThat(stored.get("run_id").isNull()).isTrue();

		JsonNode replaced = body(send(post("/api/chat/feedback"), this.user,
				"{\"message_id\":" + this.assistantMessageId + ",\"feedback_type\":\"rating\",\"rating\":4}"));
		assertThat(replaced.get("id").asLong()).isEqualTo(stored.get("id").asLong());
		assertThat(replaced.get("feedback_type").asString()).isEqualTo("rating");
		assertThat(replaced.get("rating").asInt()).isEqualTo(4);
		assertThat(replaced.get("comment").isNull()).isTrue();
		assertThat(this.jdbc.queryForObject("select count(*) from message_feedback where message_id = ?", Long.class,
				this.assistantMessageId))
			.isEqualTo(1);

		// Another user's feedback on a message they cannot see is refused, not merged.
		assertThat(send(post("/api/chat/feedback"), this.other,
				"{\"message_id\":" + this.assistantMessageId + ",\"feedback_type\":\"thumbs_up\"}")
			.getStatus()).isEqualTo(403);
	}

	@Test
	void invalidFeedbackIs422AndStoresNothing() throws Exception {
		long id = this.assistantMessageId;
		List<String> bodies = List.of("{\"feedback_type\":\"thumbs_up\"}", "{\"message_id\":" + id + "}",
				"{\"message_id\":" + id + ",\"feedback_type\":\"meh\"}",
				"{\"message_id\":" + id + ",\"feedback_type\":\"rating\"}",
				"{\"message_id\":" + id + ",\"feedback_type\":\"rating\",\"rating\":0}",
				"{\"message_id\":" + id + ",\"feedback_type\":\"rating\",\"rating\":6}",
				"{\"message_id\":" + id + ",\"feedback_type\":\"thumbs_up\",\"comment\":\"" + "c".repeat(2001) + "\"}",
				"{\"message_id\":\"abc\",\"feedback_type\":\"thumbs_up\"}", "{\"message_id\":");
		for (String body : bodies) {
			MockHttpServletResponse response = send(post("/api/chat/feedback"), this.user, body);
			assertThat(response.getStatus()).as(body).isEqualTo(422);
			assertThat(body(response).get("detail").asString()).isNotBlank();
		}
		JsonNode missingRating = body(send(post("/api/chat/feedback"), this.user,
				"{\"message_id\":" + id + ",\"feedback_type\":\"rating\"}"));
		assertThat(missingRating.get("errors").get(0).get("field").asString()).isEqualTo("rating");
		assertThat(
				this.jdbc.queryForObject("select count(*) from message_feedback where message_id = ?", Long.class, id))
			.isZero();
	}

	@Test
	void feedbackOnMissingOrForeignMessagesIsRefused() throws Exception {
		MockHttpServletResponse missing = send(post("/api/chat/feedback"), this.user,
				"{\"message_id\":999999999,\"feedback_type\":\"thumbs_up\"}");
		assertThat(missing.getStatus()).isEqualTo(404);
		assertThat(body(missing).get("detail").asString()).isEqualTo("Message not found");
		MockHttpServletResponse foreign = send(post("/api/chat/feedback"), this.other,
				"{\"message_id\":" + this.userMessageId + ",\"feedback_type\":\"thumbs_up\"}");
		assertThat(foreign.getStatus()).isEqualTo(403);
	}

	@Test
	void sourcesOfAnAnswerAreItsMetadataSourcesAndPassages() throws Exception {
		JsonNode sources = body(
				send(get("/api/chat/messages/" + this.assistantMessageId + "/sources"), this.user, null));
		assertThat(sources.propertyNames()).containsExactly("message_id", "sources", "document_contents");
		assertThat(sources.get("message_id").asLong()).isEqualTo(this.assistantMessageId);
		assertThat(sources.get("sources")).hasSize(1);
		JsonNode source = sources.get("sources").get(0);
		assertThat(source.get("source").asString()).isEqualTo("mock-document");
		assertThat(source.get("kb_url").asString()).isEqualTo("https://example.com/kb/123");
		assertThat(source.get("kb_number").asString()).isEqualTo("KB-123");
		assertThat(source.get("kb_category").asString()).isEqualTo("Educational Technology");
		assertThat(source.get("short_description").asString()).isEqualTo("Mock KB article for development");
		assertThat(source.get("project").asString()).isEqualTo("Chatbot");
		assertThat(source.get("ingestion_date").asString()).isEqualTo("2023-07-01");
		assertThat(source.get("score").isNull()).isTrue();
		JsonNode passage = sources.get("document_contents").get(0);
		assertThat(passage.get("content").asString()).isEqualTo("This is mock content for testing purposes.");
		assertThat(passage.get("metadata")).isEqualTo(source);

		JsonNode none = body(send(get("/api/chat/messages/" + this.userMessageId + "/sources"), this.user, null));
		assertThat(none.get("sources").isArray()).isTrue();
		assertThat(none.get("sources")).isEmpty();
		assertThat(none.get("document_contents")).isEmpty();
	}

	@Test
	void sourcesOfMissingOrForeignMessagesAreRefused() throws Exception {
		MockHttpServletResponse missing = send(get("/api/chat/messages/999999999/sources"), this.user, null);
		assertThat(missing.getStatus()).isEqualTo(404);
		assertThat(body(missing).get("detail").asString()).isEqualTo("Message not found");
		assertThat(
				send(get("/api/chat/messages/" + this.assistantMessageId + "/sources"), this.other, null).getStatus())
			.isEqualTo(403);
		assertThat(send(get("/api/chat/messages/abc/sources"), this.user, null).getStatus()).isEqualTo(422);
	}

	private JsonNode body(MockHttpServletResponse response) throws Exception {
		return this.json.readTree(response.getContentAsString());
	}

	private MockHttpServletResponse send(MockHttpServletRequestBuilder request, AuthenticatedUser as, String body)
			throws Exception {
		request.with(as(as));
		if (body != null) {
			request.contentType(MediaType.APPLICATION_JSON).content(body);
		}
		return this.mvc.perform(request).andReturn().getResponse();
	}

}
