package com.ragchat.chat;

import java.util.ArrayList;
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
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/** Sessions: shapes, ordering, the listing cursor, 404 versus 403, cascading delete. */
@SpringBootTest
@AutoConfigureMockMvc
class ChatSessionControllerTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	JsonMapper json;

	AuthenticatedUser user;

	AuthenticatedUser other;

	@BeforeEach
	void createUsers() {
		this.user = ChatTestSupport.createUser(this.jdbc);
		this.other = ChatTestSupport.createUser(this.jdbc);
	}

	@Test
	void createReturnsTheSession() throws Exception {
		MockHttpServletResponse response = send(post("/api/chat/sessions"), this.user,
				"{\"title\":\"Onboarding questions\",\"tenant_id\":\"acme\"}");
		assertThat(response.getStatus()).isEqualTo(200);
		JsonNode session = body(response);
		assertThat(session.propertyNames()).containsExactly("id", "title", "created_at", "updated_at");
		assertThat(session.get("title").asString()).isEqualTo("Onboarding questions");
		assertThat(session.get("created_at").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
		assertThat(this.jdbc.queryForObject("select tenant_id from chat_sessions where id = ?", String.class,
				session.get("id").asLong()))
			.isEqualTo("acme");
	}

	@Test
	void createValidatesTheTitle() throws Exception {
		for (String body : List.of("{}", "{\"title\":\"\"}", "{\"title\":\"  \"}",
				"{\"title\":\"" + "t".repeat(201) + "\"}",
				"{\"title\":\"ok\",\"tenant_id\":\"" + "t".repeat(101) + "\"}")) {
			MockHttpServletResponse response = send(post("/api/chat/sessions"), this.user, body);
			assertThat(response.getStatus()).as(body).isEqualTo(422);
			assertThat(body(response).get("errors").get(0).get("field").asString()).isIn("title", "tenant_id");
		}
		assertThat(send(post("/api/chat/sessions"), this.user, "{\"title\":\"" + "t".repeat(200) + "\"}").getStatus())
			.isEqualTo(200);
		assertThat(this.jdbc.queryForObject("select count(*) from chat_sessions where user_id = ?", Long.class,
				this.user.id()))
			.isEqualTo(1);
	}

	@Test
	void listIsTheCallersSessionsMostRecentlyActiveFirst() throws Exception {
		long first = create(this.user, "first");
		long second = create(this.user, "second");
		long third = create(this.user, "third");
		create(this.other, "not mine");
		// Activity in the oldest session moves it to the top.
		assertThat(send(post("/api/chat/sessions/" + first + "/messages"), this.user, "{\"content\":\"bump\"}")
			.getStatus()).isEqualTo(200);

		JsonNode list = body(send(get("/api/chat/sessions"), this.user, null));
		assertThat(list.isArray()).isTrue();
		assertThat(ids(list)).containsExactly(first, third, second);
		assertThat(ids(body(send(get("/api/chat/sessions?limit=2"), this.user, null)))).containsExactly(first, third);
	}

	@Test
	void beforeCursorPagesThroughTheListing() throws Exception {
		List<Long> created = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			created.add(create(this.user, "s" + i));
			Thread.sleep(3);
		}
		JsonNode page1 = body(send(get("/api/chat/sessions?limit=2"), this.user, null));
		String cursor = page1.get(1).get("updated_at").asString();
		JsonNode page2 = body(
				send(get("/api/chat/sessions").param("limit", "2").param("before", cursor), this.user, null));
		String cursor2 = page2.get(1).get("updated_at").asString();
		JsonNode page3 = body(
				send(get("/api/chat/sessions").param("limit", "2").param("before", cursor2), this.user, null));
		List<Long> all = new ArrayList<>(ids(page1));
		all.addAll(ids(page2));
		all.addAll(ids(page3));
		assertThat(all).containsExactly(created.get(4), created.get(3), created.get(2), created.get(1), created.get(0));
	}

	@Test
	void listRejectsBadParameters() throws Exception {
		for (String query : List.of("limit=0", "limit=501", "limit=ten", "before=yesterday")) {
			MockHttpServletResponse response = send(get("/api/chat/sessions?" + query), this.user, null);
			assertThat(response.getStatus()).as(query).isEqualTo(422);
		}
		assertThat(send(get("/api/chat/sessions?limit=500"), this.user, null).getStatus()).isEqualTo(200);
	}

	@Test
	void getReturnsTheSessionWithItsMessagesInOrder() throws Exception {
		long id = create(this.user, "conversation");
		send(post("/api/chat/sessions/" + id + "/messages"), this.user, "{\"content\":\"one\"}");
		send(post("/api/chat/sessions/" + id + "/messages"), this.user, "{\"content\":\"two\"}");

		JsonNode session = body(send(get("/api/chat/sessions/" + id), this.user, null));
		assertThat(session.propertyNames()).containsExactly("id", "title", "created_at", "updated_at", "messages");
		JsonNode messages = session.get("messages");
		assertThat(messages).hasSize(4);
		assertThat(messages.get(0).get("content").asString()).isEqualTo("one");
		assertThat(messages.get(0).get("metadata").isNull()).isTrue();
		assertThat(messages.get(1).get("role").asString()).isEqualTo("assistant");
		assertThat(messages.get(1).get("metadata").get("sources").get(0).get("kb_number").asString())
			.isEqualTo("KB-123");
		assertThat(messages.get(3).get("content").asString()).isEqualTo("Mock response to: two");
		for (int i = 1; i < 4; i++) {
			assertThat(messages.get(i).get("id").asLong()).isGreaterThan(messages.get(i - 1).get("id").asLong());
		}

		JsonNode lastTwo = body(send(get("/api/chat/sessions/" + id + "?limit=2"), this.user, null)).get("messages");
		assertThat(lastTwo).hasSize(2);
		assertThat(lastTwo.get(0).get("content").asString()).isEqualTo("two");
	}

	@Test
	void renameChangesTheTitle() throws Exception {
		long id = create(this.user, "old");
		JsonNode renamed = body(send(patch("/api/chat/sessions/" + id), this.user, "{\"title\":\"new\"}"));
		assertThat(renamed.get("title").asString()).isEqualTo("new");
		assertThat(body(send(get("/api/chat/sessions/" + id), this.user, null)).get("title").asString())
			.isEqualTo("new");
		assertThat(send(patch("/api/chat/sessions/" + id), this.user, "{\"title\":\"\"}").getStatus()).isEqualTo(422);
	}

	@Test
	void deleteRemovesTheSessionWithItsMessagesAndFeedback() throws Exception {
		long id = create(this.user, "doomed");
		JsonNode turn = body(send(post("/api/chat/sessions/" + id + "/messages"), this.user, "{\"content\":\"x\"}"));
		long assistantId = turn.get("assistant_message").get("id").asLong();
		assertThat(send(post("/api/chat/feedback"), this.user,
				"{\"message_id\":" + assistantId + ",\"feedback_type\":\"thumbs_up\"}")
			.getStatus()).isEqualTo(200);

		MockHttpServletResponse response = send(delete("/api/chat/sessions/" + id), this.user, null);
		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(body(response).get("message").asString()).isEqualTo("Chat session deleted successfully");
		assertThat(this.jdbc.queryForObject("select count(*) from chat_messages where session_id = ?", Long.class, id))
			.isZero();
		assertThat(this.jdbc.queryForObject("select count(*) from message_feedback where message_id = ?", Long.class,
				assistantId))
			.isZero();
		assertThat(send(get("/api/chat/sessions/" + id), this.user, null).getStatus()).isEqualTo(404);
	}

	@Test
	void anotherUsersSessionIs403AndAMissingOneIs404OnEveryRoute() throws Exception {
		long theirs = create(this.other, "theirs");
		long missing = 999_999_999L;
		for (String method : List.of("GET", "PATCH", "DELETE", "POST")) {
			String path = method.equals("POST") ? "/api/chat/sessions/%d/messages" : "/api/chat/sessions/%d";
			String body = switch (method) {
				case "PATCH" -> "{\"title\":\"mine now\"}";
				case "POST" -> "{\"content\":\"hello\"}";
				default -> null;
			};
			MockHttpServletResponse forbidden = send(request(method, path.formatted(theirs)), this.user, body);
			assertThat(forbidden.getStatus()).as(method).isEqualTo(403);
			assertThat(body(forbidden).get("detail").asString()).isEqualTo(method.equals("DELETE")
					? "Not authorized to delete this chat session" : "Not authorized to access this chat session");
			MockHttpServletResponse notFound = send(request(method, path.formatted(missing)), this.user, body);
			assertThat(notFound.getStatus()).as(method).isEqualTo(404);
			assertThat(body(notFound).get("detail").asString()).isEqualTo("Chat session not found");
		}
		assertThat(this.jdbc.queryForObject("select title from chat_sessions where id = ?", String.class, theirs))
			.isEqualTo("theirs");
		assertThat(ids(body(send(get("/api/chat/sessions"), this.user, null)))).doesNotContain(theirs);
	}

	@Test
	void nonNumericIdsAre422() throws Exception {
		assertThat(send(get("/api/chat/sessions/abc"), this.user, null).getStatus()).isEqualTo(422);
		assertThat(send(delete("/api/chat/sessions/1.5"), this.user, null).getStatus()).isEqualTo(422);
	}

	private static MockHttpServletRequestBuilder request(String method, String path) {
		return switch (method) {
			case "GET" -> get(path);
			case "PATCH" -> patch(path);
			case "DELETE" -> delete(path);
			default -> post(path);
		};
	}

	private long create(AuthenticatedUser owner, String title) throws Exception {
		return body(send(post("/api/chat/sessions"), owner, "{\"title\":\"" + title + "\"}")).get("id").asLong();
	}

	private static List<Long> ids(JsonNode list) {
		List<Long> ids = new ArrayList<>();
		list.forEach((node) -> ids.add(node.get("id").asLong()));
		return ids;
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
