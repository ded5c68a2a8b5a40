package com.ragchat.auth;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AuthPropertiesTests {

	@Test
	void corsAllowsTheFrontendOriginAndTheExtraOnes() {
		AuthProperties properties = properties("https://chat.example.com/app/",
				List.of(" https://admin.example.com/ ", "", "https://chat.example.com"), List.of());
		assertThat(properties.allowedOrigins(true)).containsExactly("https://chat.example.com",
				"https://admin.example.com");
		assertThat(properties.allowedOrigins(false)).as("no loopback origin, nothing added")
			.containsExactly("https://chat.example.com", "https://admin.example.com");
	}

	@Test
	void outsideProductionALoopbackOriginAlsoAllowsItsOtherLoopbackNames() {
		AuthProperties properties = properties("http://127.0.0.1:5173/",
				List.of("http://localhost:3000", "https://chat.example.com", "http://[::1]"), List.of());
		assertThat(properties.allowedOrigins(false)).containsExactly("http://127.0.0.1:5173", "http://localhost:5173",
				"http://[::1]:5173", "http://localhost:3000", "http://127.0.0.1:3000", "http://[::1]:3000",
				"https://chat.example.com", "http://[::1]", "http://localhost", "http://127.0.0.1");
		assertThat(properties.allowedOrigins(true)).as("production: exactly what is configured")
			.containsExactly("http://127.0.0.1:5173", "http://localhost:3000", "https://chat.example.com",
					"http://[::1]");
	}

	@Test
	void loopbackAliasesKeepSchemeAndPortAndIgnoreOtherHosts() {
		assertThat(AuthProperties.loopbackAliases("https://LOCALHOST:8443")).containsExactly("https://127.0.0.1:8443",
				"https://[::1]:8443");
		assertThat(AuthProperties.loopbackAliases("http://127.0.0.2:5173")).isEmpty();
		assertThat(AuthProperties.loopbackAliases("http://localhost.example.com:5173")).isEmpty();
		assertThat(AuthProperties.loopbackAliases("not a url")).isEmpty();
	}

	@Test
	void adminUsernamesAreCaseInsensitive() {
		AuthProperties properties = properties("http://localhost:5173", List.of(), List.of(" Alice ", "bob"));
		assertThat(properties.isAdmin("alice")).isTrue();
		assertThat(properties.isAdmin("BOB")).isTrue();
		assertThat(properties.isAdmin("carol")).isFalse();
	}

	@Test
	void sameSiteIsSpelledAsBrowsersExpect() {
		assertThat(properties("http://x", List.of(), List.of()).sameSiteAttribute()).isEqualTo("Lax");
	}

	static AuthProperties properties(String frontendUrl, List<String> origins, List<String> admins) {
		AuthProperties.Provider none = new AuthProperties.Provider(null, null, null, null, null, null, null, null);
		return new AuthProperties(null, 240, false, "LAX", frontendUrl, origins, admins, 10, Duration.ofSeconds(120),
				Duration.ofMinutes(10), new AuthProperties.OAuth(List.of("google", "github"), "http://127.0.0.1:8000",
						Duration.ofMinutes(10), Duration.ofSeconds(10), none, none),
				null);
	}

}
