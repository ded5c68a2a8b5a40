package com.ragchat.auth;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.BasicCredentials;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import com.ragchat.support.ApiClient;
import com.ragchat.support.TestUsers;
import com.ragchat.support.TestUsers.TestUser;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OAuth dance end to end over real HTTP: the browser's redirects are followed by
 * hand, and WireMock stands in for GitHub and Google (consent page, token endpoint, user
 * info, GitHub's emails API, Google's ID tokens signed with a key published as JWKS).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(MutableClock.Configuration.class)
class OAuthTests {

	/**
	 * The API origin providers send the browser back to; the test maps it to the random
	 * port of the running application.
	 */
	static final String API_ORIGIN = "http://api.test";

	static final String FRONTEND = "http://frontend.test";

	static final String GOOGLE_ISSUER = "https://accounts.google.test";

	static final WireMockServer provider = new WireMockServer(WireMockConfiguration.options().dynamicPort());

	static final RSAKey googleKey;

	static {
		try {
			googleKey = new RSAKeyGenerator(2048).keyID("google-test-key").generate();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	@DynamicPropertySource
	static void providers(DynamicPropertyRegistry registry) {
		if (!provider.isRunning()) {
			provider.start();
		}
		String base = provider.baseUrl();
		registry.add("FRONTEND_URL", () -> FRONTEND);
		registry.add("OAUTH_REDIRECT_BASE_URL", () -> API_ORIGIN);
		registry.add("OAUTH_ENABLED_PROVIDERS", () -> "github,google");
		registry.add("OAUTH_GITHUB_CLIENT_ID", () -> "gh-client");
		registry.add("OAUTH_GITHUB_CLIENT_SECRET", () -> "gh-secret");
		registry.add("OAUTH_GITHUB_AUTHORIZATION_URI", () -> base + "/login/oauth/authorize");
		registry.add("OAUTH_GITHUB_TOKEN_URI", () -> base + "/login/oauth/access_token");
		registry.add("OAUTH_GITHUB_USER_INFO_URI", () -> base + "/user");
		registry.add("OAUTH_GITHUB_EMAILS_URI", () -> base + "/user/emails");
		registry.add("OAUTH_GOOGLE_CLIENT_ID", () -> "google-client");
		registry.add("OAUTH_GOOGLE_CLIENT_SECRET", () -> "google-secret");
		registry.add("OAUTH_GOOGLE_AUTHORIZATION_URI", () -> base + "/o/oauth2/v2/auth");
		registry.add("OAUTH_GOOGLE_TOKEN_URI", () -> base + "/token");
		registry.add("OAUTH_GOOGLE_USER_INFO_URI", () -> base + "/v1/userinfo");
		registry.add("OAUTH_GOOGLE_JWK_SET_URI", () -> base + "/oauth2/v3/certs");
		registry.add("OAUTH_GOOGLE_ISSUER_URI", () -> GOOGLE_ISSUER);
	}

	@AfterAll
	static void stopProvider() {
		provider.stop();
	}

	@LocalServerPort
	int port;

	@Autowired
	org.springframework.jdbc.core.JdbcTemplate jdbc;

	@Autowired
	MutableClock clock;

	/** The browser of the test (one cookie jar, per test method). */
	ApiClient browser;

	ApiClient api() {
		if (this.browser == null) {
			this.browser = ApiClient.browser(this.port);
		}
		return this.browser;
	}

	@BeforeEach
	void consentPages() {
		provider.resetAll();
		// The providers' consent pages approve at once and send the browser back to the
		// redirect_uri with a code and the state they were given.
		for (String path : List.of("/login/oauth/authorize", "/o/oauth2/v2/auth")) {
			provider.stubFor(get(urlPathEqualTo(path)).willReturn(aResponse().withStatus(302)
				.withHeader("Location",
						"{{request.query.redirect_uri}}?code=code-{{request.query.state}}"
								+ "&state={{request.query.state}}")
				.withTransformers("response-template")));
		}
		provider.stubFor(get(urlPathEqualTo("/oauth2/v3/certs"))
			.willReturn(okJson(new JWKSet(googleKey.toPublicJWK()).toString())));
	}

	@AfterEach
	void resetClock() {
		this.clock.reset();
	}

	// --- GitHub
	// -----------------------------------------------------------------------------

	@Test
	void gitHubSignInEndsWithAHandoffCodeThatSignsTheBrowserIn() throws Exception {
		String id = unique();
		stubGitHub(id, null,
				List.of(Map.of("email", "other-" + id + "@example.com", "primary", false, "verified", true),
						Map.of("email", "Octo-" + id + "@example.com", "primary", true, "verified", true)));

		ApiClient.Response start = api().get("/api/auth/oauth/github");
		assertThat(start.status()).isEqualTo(302);
		URI authorize = URI.create(start.header("Location"));
		assertThat(authorize.toString()).startsWith(provider.baseUrl() + "/login/oauth/authorize?");
		Map<String, String> query = query(authorize);
		assertThat(query).containsEntry("response_type", "code")
			.containsEntry("client_id", "gh-client")
			.containsEntry("scope", "user:email")
			.containsEntry("redirect_uri", API_ORIGIN + "/api/auth/oauth/github/callback")
			.containsEntry("code_challenge_method", "S256")
			.containsKeys("state", "code_challenge");

		URI afterConsent = consent(authorize);
		ApiClient.Response callback = api().get(onApi(afterConsent));
		assertThat(callback.status()).as(callback.toString()).isEqualTo(302);
		URI handoff = URI.create(callback.header("Location"));
		assertThat(handoff.toString()).startsWith(FRONTEND + "/oauth/handoff?code=");
		String code = query(handoff).get("code");
		assertThat(Base64.getUrlDecoder().decode(code)).hasSizeGreaterThanOrEqualTo(32);

		// The token request proved possession of the PKCE verifier, with the client's
		// credentials.
		LoggedRequest tokenRequest = provider.findAll(postRequestedFor(urlPathEqualTo("/login/oauth/access_token")))
			.get(0);
		Map<String, String> form = form(tokenRequest.getBodyAsString());
		assertThat(form).containsEntry("grant_type", "authorization_code")
			.containsEntry("code", "code-" + query.get("state"))
			.containsEntry("redirect_uri", API_ORIGIN + "/api/auth/oauth/github/callback");
		assertThat(s256(form.get("code_verifier"))).isEqualTo(query.get("code_challenge"));
		provider.verify(postRequestedFor(urlPathEqualTo("/login/oauth/access_token"))
			.withBasicAuth(new BasicCredentials("gh-client", "gh-secret")));
		provider.verify(getRequestedFor(urlPathEqualTo("/user/emails")).withHeader("Authorization",
				equalTo("Bearer gh-token-" + id)));

		ApiClient.Response redeemed = api().postJson("/api/auth/oauth/handoff", Map.of("code", code));
		assertThat(redeemed.status()).as(redeemed.toString()).isEqualTo(200);
		assertThat(redeemed.json().get("status").asString()).isEqualTo("ok");
		String csrf = redeemed.json().get("csrf_token").asString();
		assertThat(TestUsers.cookieValue(redeemed, "csrf_token")).isEqualTo(csrf);
		assertThat(redeemed.setCookies().get("access_token")).contains("HttpOnly", "Path=/", "SameSite=Lax");

		JsonNode me = api()
			.get("/api/auth/me", "Cookie", "access_token=" + TestUsers.cookieValue(redeemed, "access_token"))
			.json();
		assertThat(me.get("username").asString()).isEqualTo("Octo-" + id + "_github");
		assertThat(me.get("email").asString()).isEqualTo("Octo-" + id + "@example.com");
		assertThat(me.get("auth_provider").asString()).isEqualTo("github");

		// The code is single-use.
		ApiClient.Response again = api().postJson("/api/auth/oauth/handoff", Map.of("code", code));
		assertProblem(again, 400, "Invalid or expired handoff code");
	}

	@Test
	void aPublicGitHubEmailIsUsedAsItIsAndTheSameIdentityFindsTheSameAccount() throws Exception {
		String id = unique();
		stubGitHub(id, "public-" + id + "@example.com", List.of());
		JsonNode first = signInThrough("github");
		assertThat(first.get("email").asString()).isEqualTo("public-" + id + "@example.com");
		provider.verify(0, getRequestedFor(urlPathEqualTo("/user/emails")));

		// The same GitHub user (same id), now with another address: same account.
		stubGitHub(id, "changed-" + id + "@example.com", List.of());
		JsonNode second = signInThrough("github");
		assertThat(second.get("id").asLong()).isEqualTo(first.get("id").asLong());
	}

	@Test
	void aSignUpWhoseVerifiedEmailDomainATenantClaimsJoinsThatTenant() throws Exception {
		String id = unique();
		String domain = "physics-" + id + ".example.edu";
		TestUsers.TestUser admin = TestUsers.admin(api());
		ApiClient.Response tenant = api().postJson("/api/admin/tenants",
				Map.of("name", "Physics", "slug", "physics-" + id, "email_domains", List.of(domain.toUpperCase())),
				admin.bearerHeaders());
		assertThat(tenant.status()).as(tenant.toString()).isEqualTo(201);
		long tenantId = tenant.json().get("id").asLong();

		stubGitHub(id, "ada-" + id + "@" + domain, List.of());
		JsonNode member = signInThrough("github");
		stubGitHub(unique(), "bob-" + id + "@elsewhere-" + id + ".example", List.of());
		JsonNode outsider = signInThrough("github");

		assertThat(tenantOf(member.get("id").asLong())).isEqualTo(tenantId);
		assertThat(tenantOf(outsider.get("id").asLong())).isNull();
	}

	private Long tenantOf(long userId) {
		return this.jdbc.queryForObject("select tenant_id from users where id = ?", Long.class, userId);
	}

	@Test
	void generatedUsernamesAreMadeUnique() throws Exception {
		String local = "dup" + unique().substring(0, 8);
		stubGitHub(unique(), local + "@one.example", List.of());
		JsonNode first = signInThrough("github");
		stubGitHub(unique(), local + "@two.example", List.of());
		JsonNode second = signInThrough("github");
		assertThat(first.get("username").asString()).isEqualTo(local + "_github");
		assertThat(second.get("username").asString()).isEqualTo(local + "_github_2");
	}

	@Test
	void gitHubWithoutAVerifiedEmailFails() throws Exception {
		String id = unique();
		stubGitHub(id, null,
				List.of(Map.of("email", "unverified-" + id + "@example.com", "primary", true, "verified", false)));
		assertThat(callbackLocation("github")).isEqualTo(FRONTEND + "/login?oauth_error=failed");
	}

	@Test
	void aProviderThatRefusesTheCodeFails() throws Exception {
		provider.stubFor(post(urlPathEqualTo("/login/oauth/access_token")).willReturn(aResponse().withStatus(400)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"error\":\"bad_verification_code\",\"error_description\":\"secret provider text\"}")));
		assertThat(callbackLocation("github")).isEqualTo(FRONTEND + "/login?oauth_error=failed");
	}

	@Test
	void aUserWhoDeniesConsentIsSentBackWithFailed() throws Exception {
		ApiClient.Response start = api().get("/api/auth/oauth/github");
		String state = query(URI.create(start.header("Location"))).get("state");
		ApiClient.Response callback = api().get("/api/auth/oauth/github/callback?error=access_denied&state=" + state);
		assertThat(callback.header("Location")).isEqualTo(FRONTEND + "/login?oauth_error=failed");
	}

	// --- Google
	// -----------------------------------------------------------------------------

	@Test
	void googleSignInChecksTheIdTokenAndUsesPkceAndANonce() throws Exception {
		String sub = "g-" + unique();
		String email = "ada-" + sub + "@gmail.test";
		ApiClient.Response start = api().get("/api/auth/oauth/google");
		assertThat(start.status()).isEqualTo(302);
		URI authorize = URI.create(start.header("Location"));
		Map<String, String> query = query(authorize);
		assertThat(query).containsEntry("scope", "openid email profile")
			.containsEntry("client_id", "google-client")
			.containsEntry("code_challenge_method", "S256")
			.containsKeys("state", "nonce", "code_challenge");
		stubGoogle(sub, email, true, query.get("nonce"), GOOGLE_ISSUER);

		ApiClient.Response callback = api().get(onApi(consent(authorize)));
		String location = callback.header("Location");
		assertThat(location).as(callback.toString()).startsWith(FRONTEND + "/oauth/handoff?code=");
		Map<String, String> tokenForm = form(
				provider.findAll(postRequestedFor(urlPathEqualTo("/token"))).get(0).getBodyAsString());
		assertThat(s256(tokenForm.get("code_verifier"))).isEqualTo(query.get("code_challenge"));

		JsonNode me = redeem(query(URI.create(location)).get("code"));
		assertThat(me.get("email").asString()).isEqualTo(email);
		assertThat(me.get("auth_provider").asString()).isEqualTo("google");
		assertThat(me.get("username").asString()).isEqualTo("ada-" + sub + "_google");
	}

	@Test
	void googleWithAnUnverifiedEmailFails() throws Exception {
		String sub = "g-" + unique();
		assertThat(googleCallback(sub, "x-" + sub + "@gmail.test", false, null, GOOGLE_ISSUER))
			.isEqualTo(FRONTEND + "/login?oauth_error=failed");
	}

	@Test
	void anIdTokenWithTheWrongNonceOrIssuerFails() throws Exception {
		String sub = "g-" + unique();
		assertThat(googleCallback(sub, "n-" + sub + "@gmail.test", true, "not-the-nonce", GOOGLE_ISSUER))
			.isEqualTo(FRONTEND + "/login?oauth_error=failed");
		assertThat(googleCallback(sub, "n-" + sub + "@gmail.test", true, null, "https://evil.test"))
			.isEqualTo(FRONTEND + "/login?oauth_error=failed");
	}

	@Test
	void anIdTokenSignedWithAnotherKeyFails() throws Exception {
		String sub = "g-" + unique();
		ApiClient.Response start = api().get("/api/auth/oauth/google");
		URI authorize = URI.create(start.header("Location"));
		RSAKey other = new RSAKeyGenerator(2048).keyID(googleKey.getKeyID()).generate();
		provider.stubFor(post(urlPathEqualTo("/token")).willReturn(okJson(tokenResponse(
				idToken(other, sub, "k-" + sub + "@gmail.test", true, query(authorize).get("nonce"), GOOGLE_ISSUER)))));
		assertThat(api().get(onApi(consent(authorize))).header("Location"))
			.isEqualTo(FRONTEND + "/login?oauth_error=failed");
	}

	// --- state, 409, handoff
	// ----------------------------------------------------------------

	@Test
	void aBadMissingOrReusedStateIsAStateMismatch() throws Exception {
		String id = unique();
		stubGitHub(id, "state-" + id + "@example.com", List.of());
		String mismatch = FRONTEND + "/login?oauth_error=state_mismatch";
		api().get("/api/auth/oauth/github");
		assertThat(api().get("/api/auth/oauth/github/callback?code=x&state=forged").header("Location"))
			.isEqualTo(mismatch);
		assertThat(api().get("/api/auth/oauth/github/callback?code=x").header("Location")).isEqualTo(mismatch);

		// A state issued for GitHub is not accepted on Google's callback (and is used
		// up).
		String githubState = query(URI.create(api().get("/api/auth/oauth/github").header("Location"))).get("state");
		assertThat(api().get("/api/auth/oauth/google/callback?code=x&state=" + githubState).header("Location"))
			.isEqualTo(mismatch);

		// A state works once.
		URI afterConsent = consent(URI.create(api().get("/api/auth/oauth/github").header("Location")));
		assertThat(api().get(onApi(afterConsent)).header("Location")).startsWith(FRONTEND + "/oauth/handoff?code=");
		assertThat(api().get(onApi(afterConsent)).header("Location")).isEqualTo(mismatch);
		// None of the refused callbacks reached the token endpoint.
		provider.verify(1, postRequestedFor(urlPathEqualTo("/login/oauth/access_token")));
	}

	@Test
	void aLocalAccountsUnverifiedEmailDoesNotLockOutTheVerifiedOwner() throws Exception {
		// Someone registers a password account with the victim's address (nobody checks
		// it); the victim then signs in with GitHub, which verified that address.
		TestUser squatter = TestUsers.register(api());
		String victimEmail = squatter.email().toUpperCase(java.util.Locale.ROOT);
		stubGitHub(unique(), victimEmail, List.of());
		ApiClient victim = ApiClient.browser(this.port);
		URI afterConsent = consent(URI.create(victim.get("/api/auth/oauth/github").header("Location")));
		ApiClient.Response callback = victim.get(onApi(afterConsent));
		assertThat(callback.status()).as(callback.toString()).isEqualTo(302);
		assertThat(callback.header("Location")).startsWith(FRONTEND + "/oauth/handoff?code=");
		String code = query(URI.create(callback.header("Location"))).get("code");
		ApiClient.Response redeemed = victim.postJson("/api/auth/oauth/handoff", Map.of("code", code));
		assertThat(redeemed.status()).as(redeemed.toString()).isEqualTo(200);
		JsonNode owner = victim
			.get("/api/auth/me", "Cookie", "access_token=" + TestUsers.cookieValue(redeemed, "access_token"))
			.json();
		// The owner got an account of their own, with the address; not the squatter's.
		assertThat(owner.get("auth_provider").asString()).isEqualTo("github");
		assertThat(owner.get("email").asString()).isEqualTo(victimEmail);
		JsonNode squatterMe = api().get("/api/auth/me", squatter.bearerHeaders()).json();
		assertThat(owner.get("id").asLong()).isNotEqualTo(squatterMe.get("id").asLong());
		// The squatter's account lost its claim on the address but still works by name.
		assertThat(squatterMe.get("auth_provider").asString()).isEqualTo("local");
		assertThat(squatterMe.get("email").isNull()).as(squatterMe.toString()).isTrue();
		assertThat(api()
			.postJson("/api/auth/login-json", Map.of("username", squatter.username(), "password", squatter.password()))
			.status()).isEqualTo(200);
		assertThat(api()
			.postJson("/api/auth/login-json", Map.of("username", squatter.email(), "password", squatter.password()))
			.status()).isEqualTo(401);
		// And the address can no longer be registered locally: its owner has it.
		assertThat(api()
			.postJson("/api/auth/register", Map.of("username", "late" + unique().substring(0, 8), "email",
					squatter.email(), "password", "password-1"))
			.status()).isEqualTo(400);
	}

	@Test
	void anIdentityWhoseEmailAnotherProviderAccountVerifiedIsRefusedWith409() throws Exception {
		String email = "taken-" + unique() + "@example.com";
		String firstId = unique();
		stubGitHub(firstId, email, List.of());
		JsonNode first = signInThrough("github");
		// Another GitHub identity with the same (verified) address: never linked.
		stubGitHub(unique(), email.toUpperCase(java.util.Locale.ROOT), List.of());
		ApiClient other = ApiClient.browser(this.port);
		ApiClient.Response start = other.get("/api/auth/oauth/github");
		ApiClient.Response callback = other.get(onApi(consent(URI.create(start.header("Location")))));
		assertThat(callback.status()).isEqualTo(409);
		assertThat(callback.contentType()).startsWith("application/problem+json");
		assertThat(callback.json().get("detail").asString()).startsWith("An account with this email already exists");
		assertThat(callback.header("Location")).isNull();
		// The first account keeps its address.
		stubGitHub(firstId, email, List.of());
		JsonNode again = signInThrough("github");
		assertThat(again.get("id").asLong()).isEqualTo(first.get("id").asLong());
		assertThat(again.get("email").asString()).isEqualTo(email);
	}

	// --- login CSRF: the flow is bound to the browser that started it
	// --------------------------------------------

	@Test
	void theStartSetsAnHttpOnlyLaxBindingCookieForTheOAuthRoutes() {
		ApiClient.Response start = api().get("/api/auth/oauth/github");
		String cookie = start.setCookies().get(BrowserBinding.COOKIE);
		assertThat(cookie).as(start.headers("Set-Cookie").toString())
			.contains("HttpOnly", "SameSite=Lax", "Path=/api/auth/oauth", "Max-Age=");
		assertThat(TestUsers.cookieValue(start, BrowserBinding.COOKIE)).hasSizeGreaterThanOrEqualTo(43);
	}

	@Test
	void aCallbackReplayedInAnotherBrowserIsAStateMismatch() throws Exception {
		String id = unique();
		stubGitHub(id, "attacker-" + id + "@example.com", List.of());
		// The attacker starts a sign-in with their own account and stops at the callback
		// link, which they get the victim's browser to follow.
		ApiClient attacker = api();
		URI afterConsent = consent(URI.create(attacker.get("/api/auth/oauth/github").header("Location")));
		ApiClient victim = ApiClient.browser(this.port);
		ApiClient.Response replayed = victim.get(onApi(afterConsent));
		assertThat(replayed.status()).isEqualTo(302);
		assertThat(replayed.header("Location")).isEqualTo(FRONTEND + "/login?oauth_error=state_mismatch");
		assertThat(replayed.setCookies()).doesNotContainKey("access_token");
		provider.verify(0, postRequestedFor(urlPathEqualTo("/login/oauth/access_token")));
		// The victim's own, unrelated binding cookie does not help either.
		victim.get("/api/auth/oauth/github");
		URI second = consent(URI.create(attacker.get("/api/auth/oauth/github").header("Location")));
		assertThat(victim.get(onApi(second)).header("Location"))
			.isEqualTo(FRONTEND + "/login?oauth_error=state_mismatch");
	}

	@Test
	void aHandoffCodeRedeemedInAnotherBrowserIsRefusedAndBurnt() throws Exception {
		String id = unique();
		stubGitHub(id, "handoff-" + id + "@example.com", List.of());
		// The attacker completes the callback and sends the victim the handoff link.
		String code = handoffCode("github");
		ApiClient victim = ApiClient.browser(this.port);
		victim.get("/api/auth/oauth/github");
		ApiClient.Response replayed = victim.postJson("/api/auth/oauth/handoff", Map.of("code", code));
		assertProblem(replayed, 400, "Invalid or expired handoff code");
		assertThat(replayed.setCookies()).doesNotContainKey("access_token");
		// A client without any binding cookie fails the same way.
		String another = handoffCode("github");
		assertProblem(new ApiClient(this.port).postJson("/api/auth/oauth/handoff", Map.of("code", another)), 400,
				"Invalid or expired handoff code");
		// Both codes were used up by the refused attempts.
		assertProblem(api().postJson("/api/auth/oauth/handoff", Map.of("code", code)), 400,
				"Invalid or expired handoff code");
		assertProblem(api().postJson("/api/auth/oauth/handoff", Map.of("code", another)), 400,
				"Invalid or expired handoff code");
	}

	@Test
	void aHandoffCodeExpiresAfter120Seconds() throws Exception {
		String id = unique();
		stubGitHub(id, "late-" + id + "@example.com", List.of());
		String fresh = handoffCode("github");
		this.clock.advance(Duration.ofSeconds(119));
		assertThat(api().postJson("/api/auth/oauth/handoff", Map.of("code", fresh)).status()).isEqualTo(200);

		String late = handoffCode("github");
		this.clock.advance(Duration.ofSeconds(121));
		assertProblem(api().postJson("/api/auth/oauth/handoff", Map.of("code", late)), 400,
				"Invalid or expired handoff code");
	}

	@Test
	void handoffValidatesItsBody() {
		ApiClient.Response shortCode = api().postJson("/api/auth/oauth/handoff", Map.of("code", "short"));
		assertThat(shortCode.status()).isEqualTo(422);
		assertThat(shortCode.json().get("errors").findValuesAsString("field")).contains("code");
		assertThat(api().postJson("/api/auth/oauth/handoff", Map.of("code", "x".repeat(257))).status()).isEqualTo(422);
		assertThat(api().postJson("/api/auth/oauth/handoff", Map.of()).status()).isEqualTo(422);
		assertProblem(api().postJson("/api/auth/oauth/handoff", Map.of("code", "y".repeat(43))), 400,
				"Invalid or expired handoff code");
	}

	@Test
	void anUnknownProviderIs404() {
		ApiClient.Response response = api().get("/api/auth/oauth/facebook");
		assertThat(response.status()).isEqualTo(404);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(api().get("/api/auth/oauth/facebook/callback?code=x&state=y").status()).isEqualTo(404);
	}

	// --- helpers
	// ----------------------------------------------------------------------------

	private JsonNode signInThrough(String providerId) throws Exception {
		String location = callbackLocation(providerId);
		assertThat(location).startsWith(FRONTEND + "/oauth/handoff?code=");
		return redeem(query(URI.create(location)).get("code"));
	}

	private String handoffCode(String providerId) throws Exception {
		String location = callbackLocation(providerId);
		assertThat(location).startsWith(FRONTEND + "/oauth/handoff?code=");
		return query(URI.create(location)).get("code");
	}

	private JsonNode redeem(String code) {
		ApiClient.Response redeemed = api().postJson("/api/auth/oauth/handoff", Map.of("code", code));
		assertThat(redeemed.status()).as(redeemed.toString()).isEqualTo(200);
		return api().get("/api/auth/me", "Cookie", "access_token=" + TestUsers.cookieValue(redeemed, "access_token"))
			.json();
	}

	/** Start, consent, callback: where the callback sends the browser. */
	private String callbackLocation(String providerId) throws Exception {
		ApiClient.Response start = api().get("/api/auth/oauth/" + providerId);
		assertThat(start.status()).as(start.toString()).isEqualTo(302);
		ApiClient.Response callback = api().get(onApi(consent(URI.create(start.header("Location")))));
		assertThat(callback.status()).as(callback.toString()).isEqualTo(302);
		return callback.header("Location");
	}

	private String googleCallback(String sub, String email, boolean verified, String nonceOverride, String issuer)
			throws Exception {
		ApiClient.Response start = api().get("/api/auth/oauth/google");
		URI authorize = URI.create(start.header("Location"));
		String nonce = (nonceOverride != null) ? nonceOverride : query(authorize).get("nonce");
		stubGoogle(sub, email, verified, nonce, issuer);
		return api().get(onApi(consent(authorize))).header("Location");
	}

	/** The provider's consent page: where it sends the browser back to. */
	private static URI consent(URI authorize) throws Exception {
		java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient()
			.send(java.net.http.HttpRequest.newBuilder(authorize).GET().build(),
					java.net.http.HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(302);
		return URI.create(response.headers().firstValue("Location").orElseThrow());
	}

	/** The path and query of a callback URL addressed to the API origin. */
	private static String onApi(URI callback) {
		assertThat(callback.toString()).startsWith(API_ORIGIN + "/");
		return callback.getRawPath() + "?" + callback.getRawQuery();
	}

	private static void stubGitHub(String id, String publicEmail, List<Map<String, Object>> emails) {
		provider.stubFor(post(urlPathEqualTo("/login/oauth/access_token")).willReturn(okJson(
				"{\"access_token\":\"gh-token-" + id + "\",\"token_type\":\"bearer\",\"scope\":\"user:email\"}")));
		Map<String, Object> profile = new LinkedHashMap<>();
		profile.put("id", Math.abs(id.hashCode()) + 1000L);
		profile.put("login", "octo" + id);
		profile.put("name", "Octo Cat");
		profile.put("email", publicEmail);
		provider.stubFor(get(urlPathEqualTo("/user")).withHeader("Authorization", equalTo("Bearer gh-token-" + id))
			.willReturn(okJson(ApiClient.JSON.writeValueAsString(profile))));
		provider
			.stubFor(get(urlPathEqualTo("/user/emails")).willReturn(okJson(ApiClient.JSON.writeValueAsString(emails))));
	}

	private static void stubGoogle(String sub, String email, boolean verified, String nonce, String issuer)
			throws Exception {
		provider.stubFor(post(urlPathEqualTo("/token"))
			.willReturn(okJson(tokenResponse(idToken(googleKey, sub, email, verified, nonce, issuer)))));
		provider.stubFor(get(urlPathEqualTo("/v1/userinfo")).willReturn(okJson(ApiClient.JSON
			.writeValueAsString(Map.of("sub", sub, "email", email, "email_verified", verified, "name", "Ada")))));
	}

	private static String tokenResponse(String idToken) {
		return "{\"access_token\":\"google-access\",\"token_type\":\"Bearer\",\"expires_in\":3599,"
				+ "\"scope\":\"openid https://www.googleapis.com/auth/userinfo.email https://www.googleapis.com/auth/userinfo.profile\","
				+ "\"id_token\":\"" + idToken + "\"}";
	}

	private static String idToken(RSAKey key, String sub, String email, boolean verified, String nonce, String issuer)
			throws Exception {
		Date now = new Date();
		JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer)
			.audience("google-client")
			.subject(sub)
			.claim("azp", "google-client")
			.claim("email", email)
			.claim("email_verified", verified)
			.claim("nonce", nonce)
			.issueTime(now)
			.expirationTime(new Date(now.getTime() + 300_000))
			.build();
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
		jwt.sign(new RSASSASigner(key));
		return jwt.serialize();
	}

	private static Map<String, String> query(URI uri) {
		return form(uri.getRawQuery());
	}

	private static Map<String, String> form(String encoded) {
		Map<String, String> values = new LinkedHashMap<>();
		for (String pair : encoded.split("&")) {
			int eq = pair.indexOf('=');
			values.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
					URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
		}
		return values;
	}

	private static String s256(String verifier) throws Exception {
		byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
		return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
	}

	private static String unique() {
		return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
	}

	private static void assertProblem(ApiClient.Response response, int status, String detail) {
		assertThat(response.status()).as(response.toString()).isEqualTo(status);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(response.json().get("detail").asString()).isEqualTo(detail);
	}

}
