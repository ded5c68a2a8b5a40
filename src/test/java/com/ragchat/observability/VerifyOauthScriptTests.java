package com.ragchat.observability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code scripts/verify_oauth.sh}: reads the settings as the service does (environment
 * over {@code .env}), names what is missing, prints the callback URLs, never a secret.
 */
class VerifyOauthScriptTests {

	private static final Path SCRIPT = Path.of("scripts/verify_oauth.sh").toAbsolutePath();

	@TempDir
	Path directory;

	@Test
	void configuredProviderPassesAndPrintsItsCallbackUrl() throws Exception {
		Path env = dotenv("""
				# OAuth for local development
				OAUTH_ENABLED_PROVIDERS=github
				export OAUTH_GITHUB_CLIENT_ID=Iv1.0123456789abcdef
				OAUTH_GITHUB_CLIENT_SECRET="s3cret-value-that-must-not-show"
				OAUTH_REDIRECT_BASE_URL=http://127.0.0.1:9999  # overridden by the environment
				""");
		Result result = run(Map.of("DOTENV_PATH", env.toString(), "OAUTH_REDIRECT_BASE_URL", "http://127.0.0.1:8000"));
		assertThat(result.status()).as(result.output()).isZero();
		assertThat(result.output())
			.contains("Register this callback URL: http://127.0.0.1:8000/api/auth/oauth/github/callback")
			.contains("OAUTH_GITHUB_CLIENT_ID: Iv1.0123456789abcdef")
			.contains("OAUTH_GITHUB_CLIENT_SECRET: set")
			.contains("OK: 1 provider(s) ready")
			.doesNotContain("s3cret-value-that-must-not-show")
			.doesNotContain("9999")
			.doesNotContain("google");
	}

	@Test
	void enabledProviderWithoutCredentialsIsAProblem() throws Exception {
		Path env = dotenv("""
				OAUTH_ENABLED_PROVIDERS=google,github
				OAUTH_GITHUB_CLIENT_ID=Iv1.0123456789abcdef
				OAUTH_GITHUB_CLIENT_SECRET='literal $secret'
				OAUTH_GOOGLE_CLIENT_ID=1234-abc.apps.googleusercontent.com
				""");
		Result result = run(Map.of("DOTENV_PATH", env.toString()));
		assertThat(result.status()).isEqualTo(1);
		assertThat(result.output()).contains("ERROR: Google is enabled but OAUTH_GOOGLE_CLIENT_SECRET not set")
			.contains("http://127.0.0.1:8000/api/auth/oauth/google/callback")
			.contains("http://127.0.0.1:8000/api/auth/oauth/github/callback")
			.doesNotContain("literal $secret");
	}

	@Test
	void plainHttpCallbackInProductionAndUnknownProvidersAreProblems() throws Exception {
		Result result = run(Map.of("DOTENV_PATH", "", "APP_ENV", "production", "OAUTH_ENABLED_PROVIDERS",
				"github,gitlab", "OAUTH_GITHUB_CLIENT_ID", "id", "OAUTH_GITHUB_CLIENT_SECRET", "secret-x",
				"OAUTH_REDIRECT_BASE_URL", "http://api.example.com"));
		assertThat(result.status()).isEqualTo(1);
		assertThat(result.output()).contains("plain http in production")
			.contains("unknown provider in OAUTH_ENABLED_PROVIDERS")
			.contains("http://api.example.com/api/auth/oauth/github/callback");
	}

	@Test
	void differentHostNamesForTheApiAndTheWebClientAreWarnedAbout() throws Exception {
		Map<String, String> github = Map.of("DOTENV_PATH", "", "OAUTH_ENABLED_PROVIDERS", "github",
				"OAUTH_GITHUB_CLIENT_ID", "id", "OAUTH_GITHUB_CLIENT_SECRET", "secret-x");
		Map<String, String> mixed = new java.util.HashMap<>(github);
		mixed.putAll(
				Map.of("OAUTH_REDIRECT_BASE_URL", "http://127.0.0.1:8000", "FRONTEND_URL", "http://localhost:5173"));
		assertThat(run(mixed).output())
			.contains("WARNING: the API (127.0.0.1) and the web client (localhost) use different host names");
		Map<String, String> same = new java.util.HashMap<>(github);
		same.putAll(
				Map.of("OAUTH_REDIRECT_BASE_URL", "http://127.0.0.1:8000", "FRONTEND_URL", "http://127.0.0.1:5173"));
		Result consistent = run(same);
		assertThat(consistent.status()).isZero();
		assertThat(consistent.output()).doesNotContain("different host names");
		Map<String, String> deployed = new java.util.HashMap<>(github);
		deployed.putAll(Map.of("OAUTH_REDIRECT_BASE_URL", "https://api.example.edu", "FRONTEND_URL",
				"https://chat.example.edu", "AUTH_COOKIE_SECURE", "true"));
		assertThat(run(deployed).output()).as("public sites on their own names are fine")
			.doesNotContain("different host names");
	}

	private Path dotenv(String content) throws IOException {
		Path file = this.directory.resolve("test.env");
		Files.writeString(file, content);
		return file;
	}

	private Result run(Map<String, String> environment) throws Exception {
		ProcessBuilder builder = new ProcessBuilder("bash", SCRIPT.toString()).directory(this.directory.toFile())
			.redirectErrorStream(true);
		// Only what the test sets: the developer's own OAuth settings must not leak in.
		builder.environment().keySet().removeIf((name) -> !name.equals("PATH"));
		builder.environment().putAll(environment);
		Process process = builder.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
		return new Result(process.exitValue(), output);
	}

	private record Result(int status, String output) {
	}

}
