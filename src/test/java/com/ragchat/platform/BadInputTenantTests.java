package com.ragchat.platform;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import com.ragchat.platform.BadInputSupport.Case;
import com.ragchat.platform.BadInputSupport.Raw;
import com.ragchat.platform.BadInputSupport.Reply;
import com.ragchat.support.TestUsers;
import com.ragchat.support.TestUsers.TestUser;

import static com.ragchat.platform.BadInputSupport.ABSENT;
import static com.ragchat.platform.BadInputSupport.LONE_SURROGATE;
import static com.ragchat.platform.BadInputSupport.MARKUP;
import static com.ragchat.platform.BadInputSupport.NUL;
import static com.ragchat.platform.BadInputSupport.SQL;
import static com.ragchat.platform.BadInputSupport.bytes;
import static com.ragchat.platform.BadInputSupport.fields;
import static com.ragchat.platform.BadInputSupport.json;
import static com.ragchat.platform.BadInputSupport.with;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input against the tenant and profile admin routes over real HTTP: every JSON body
 * battery, names, slugs, e-mail domains and profile fields out of bounds or of the wrong
 * type, ids that are not ids, memberships naming nobody, and non-admins. Nothing is
 * written by a refused request.
 */
class BadInputTenantTests extends BadInputTestBase {

	TestUser admin;

	TestUser alice;

	/** A tenant that every case leaves alone. */
	long fixture;

	@BeforeAll
	void usersAndFixture() {
		this.admin = TestUsers.admin(this.api);
		this.alice = TestUsers.register(this.api);
		Reply created = post("/api/admin/tenants", json(fields("name", "Fixture", "slug", slug())),
				this.admin.bearerHeaders());
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		this.fixture = created.json().get("id").asLong();
	}

	@Override
	String bystanderRows() {
		return super.bystanderRows() + "/"
				+ this.jdbc.queryForObject("select md5(t::text) from tenants t where t.id = ?", String.class,
						this.fixture)
				+ "/" + this.jdbc.queryForObject("select profile::text from assistant_profile", String.class);
	}

	@TestFactory
	Stream<DynamicNode> badInput() {
		List<Case> cases = new ArrayList<>();
		cases.addAll(createTenant());
		cases.addAll(tenantById());
		cases.addAll(membership());
		cases.addAll(globalProfile());
		cases.addAll(nonAdmins());
		return this.runner.tests(cases);
	}

	private static String slug() {
		return "t-" + UUID.randomUUID().toString().substring(0, 8);
	}

	List<Case> createTenant() {
		JsonRoute route = new JsonRoute("tenants: create", "POST", "/api/admin/tenants", this.admin::bearerHeaders)
			.getAnswers(0);
		java.util.function.Supplier<Map<String, Object>> valid = () -> fields("name", "Physics", "slug", slug());
		List<Case> cases = new ArrayList<>(jsonBattery(route, valid, "name", this.admin.bearerHeaders()));
		List<Object> badNames = new ArrayList<>(List.of(ABSENT, "", "   ", "x".repeat(101), "line\nbreak", "tab\tname",
				NUL, LONE_SURROGATE, List.of("x"), Map.of("x", 1)));
		for (Object name : badNames) {
			cases.add(route.field(valid, "name", name, 422));
		}
		cases.add(Case.refused(route.group, "name = null", () -> route.send(fields("name", null, "slug", slug())), 422)
			.field("name"));
		List<Object> badSlugs = new ArrayList<>(List.of(ABSENT, "", "UPPER", "-lead", "a".repeat(65), "sp ace", "ünï",
				"a_b", "a/b", "../x", NUL, LONE_SURROGATE, List.of("a")));
		badSlugs.addAll(SQL);
		badSlugs.addAll(MARKUP);
		for (Object slug : badSlugs) {
			cases.add(route.field(valid, "slug", slug, 422));
		}
		for (Object domains : List.of("example.edu", Collections.nCopies(21, "example.edu"), Map.of("d", 1))) {
			cases.add(route.field(valid, "email_domains", domains, 422));
		}
		for (Object domain : List.of("not a domain", "", "a..b", NUL, "x", "-x.example", "x_y.example")) {
			cases.add(Case
				.refused(route.group, "email_domains = [" + BadInputSupport.describe(domain) + "]",
						() -> route.send(with(valid.get(), "email_domains", List.of(domain))), 422)
				.field("email_domains[0]"));
		}
		List<Object> badProfiles = List.of("text", List.of(), 1, Map.of("assistant_name", "n".repeat(101)),
				Map.of("assistant_name", "two\nlines"), Map.of("supported_topics", Collections.nCopies(31, "x")),
				Map.of("supported_topics", List.of("")), Map.of("supported_topics", "one"),
				Map.of("out_of_scope_message", ""), Map.of("out_of_scope_message", "o".repeat(1001)),
				Map.of("out_of_scope_message", NUL), Map.of("language", "l".repeat(51)),
				Map.of("few_shot_examples", List.of(Map.of("input", "", "output", "y"))),
				Map.of("few_shot_examples", List.of(Map.of("input", "x"))),
				Map.of("few_shot_examples", List.of(Map.of("input", "x", "output", "o".repeat(4001)))),
				Map.of("few_shot_examples", Collections.nCopies(11, Map.of("input", "x", "output", "y"))),
				Map.of("few_shot_examples", List.of("just text")),
				Map.of("example_questions", Collections.nCopies(11, "q")),
				Map.of("example_questions", List.of("q".repeat(301))), Map.of("example_questions", List.of(NUL)),
				Map.of("supported_topics", List.of(LONE_SURROGATE)), Map.of("assistant_name", new Raw("[1]")));
		for (Object profile : badProfiles) {
			cases.add(Case.refused(route.group, "profile = " + BadInputSupport.describe(profile),
					() -> route.send(with(valid.get(), "profile", profile)), 422));
		}
		cases.add(Case
			.accepted(route.group, "markup and SQL in the name are kept as text", () -> route.send(fields("name",
					MARKUP.get(0) + SQL.get(0), "slug", slug(), "email_domains", List.of("Physics.Example.EDU"))), 201)
			.then((reply) -> {
				assertThat(reply.json().get("name").asString()).isEqualTo(MARKUP.get(0) + SQL.get(0));
				assertThat(reply.json().get("email_domains").get(0).asString()).isEqualTo("physics.example.edu");
			}));
		cases.add(Case.scenario(route.group, "a taken slug is a 409 and changes nothing", () -> {
			String slug = slug();
			assertThat(route.send(fields("name", "One", "slug", slug)).status()).isEqualTo(201);
			Reply second = route.send(fields("name", "Two", "slug", slug));
			assertThat(second.status()).isEqualTo(409);
			assertThat(this.jdbc.queryForObject("select name from tenants where slug = ?", String.class, slug))
				.isEqualTo("One");
		}));
		return cases;
	}

	List<Case> tenantById() {
		List<Case> cases = new ArrayList<>();
		for (Object[] id : idValuesInPaths()) {
			String path = "/api/admin/tenants/" + id[0];
			cases.add(Case.refused("tenants: read", "id " + id[0], () -> get(path, this.admin.bearerHeaders()),
					(int) id[1]));
			cases.add(Case.refused("tenants: replace", "id " + id[0], () -> send("PUT", path,
					bytes(json(fields("name", "X", "slug", slug()))), "application/json", this.admin.bearerHeaders()),
					(int) id[1]));
			cases.add(Case.refused("tenants: delete", "id " + id[0], () -> delete(path, this.admin.bearerHeaders()),
					(int) id[1]));
		}
		JsonRoute replace = new JsonRoute("tenants: replace", "PUT", "/api/admin/tenants/" + this.fixture,
				this.admin::bearerHeaders)
			.getAnswers(0);
		java.util.function.Supplier<Map<String, Object>> valid = () -> fields("name", "Fixture", "slug", slug());
		cases.addAll(jsonBattery(replace, valid, "name", this.admin.bearerHeaders()));
		for (Object slug : List.of(ABSENT, "", "UPPER", "a".repeat(65))) {
			cases.add(replace.field(valid, "slug", slug, 422));
		}
		return cases;
	}

	List<Case> membership() {
		String path = "/api/admin/users/" + this.alice.username() + "/tenant";
		List<Case> cases = new ArrayList<>();
		for (Object[] id : idValuesInJson()) {
			cases.add(Case.refused(
					"tenants: membership", "tenant_id = " + BadInputSupport.describe(id[0]), () -> send("PUT", path,
							bytes(json(fields("tenant_id", id[0]))), "application/json", this.admin.bearerHeaders()),
					(int) id[1]));
		}
		cases.add(Case.refused("tenants: membership", "unknown user",
				() -> send("PUT", "/api/admin/users/nobody-" + UUID.randomUUID() + "/tenant",
						bytes(json(fields("tenant_id", this.fixture))), "application/json", this.admin.bearerHeaders()),
				404));
		cases.add(Case.refused("tenants: membership", "not JSON", () -> send("PUT", path, bytes("tenant_id=1"),
				"application/x-www-form-urlencoded", this.admin.bearerHeaders()), 415));
		return cases;
	}

	List<Case> globalProfile() {
		List<Case> cases = new ArrayList<>();
		for (Object profile : List.of(Map.of("assistant_name", "n".repeat(101)), Map.of("out_of_scope_message", ""),
				Map.of("few_shot_examples", List.of(Map.of("input", "x"))), Map.of("supported_topics", "one"),
				Map.of("example_questions", List.of("")))) {
			cases.add(Case.refused("profile: replace", BadInputSupport.describe(profile),
					() -> send("PUT", "/api/admin/profile", bytes(json(castMap(profile))), "application/json",
							this.admin.bearerHeaders()),
					422));
		}
		cases.add(Case.refused("profile: replace", "a JSON array",
				() -> send("PUT", "/api/admin/profile", bytes("[]"), "application/json", this.admin.bearerHeaders()),
				422));
		return cases;
	}

	List<Case> nonAdmins() {
		List<Case> cases = new ArrayList<>();
		String[] alice = this.alice.bearerHeaders();
		cases.add(Case.refused("tenants: non-admin", "list", () -> get("/api/admin/tenants", alice), 403));
		cases.add(Case.refused("tenants: non-admin", "create",
				() -> post("/api/admin/tenants", json(fields("name", "Mine", "slug", slug())), alice), 403));
		cases.add(Case.refused("tenants: non-admin", "delete",
				() -> delete("/api/admin/tenants/" + this.fixture, alice), 403));
		cases.add(Case.refused("tenants: non-admin", "join a tenant",
				() -> send("PUT", "/api/admin/users/" + this.alice.username() + "/tenant",
						bytes(json(fields("tenant_id", this.fixture))), "application/json", alice),
				403));
		cases.add(Case.refused("tenants: non-admin", "replace the global profile", () -> send("PUT",
				"/api/admin/profile", bytes(json(fields("assistant_name", "Mine"))), "application/json", alice), 403));
		cases.add(Case.refused("tenants: signed out", "list", () -> get("/api/admin/tenants"), 401));
		return cases;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> castMap(Object value) {
		return (Map<String, Object>) value;
	}

}
