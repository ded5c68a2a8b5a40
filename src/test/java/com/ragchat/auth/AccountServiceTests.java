package com.ragchat.auth;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * A failed sign-in costs one password comparison whatever made it fail, so its timing
 * does not tell an unknown user from a wrong password.
 */
class AccountServiceTests {

	private final UserAccountRepository users = mock(UserAccountRepository.class);

	private final PasswordHasher passwords = mock(PasswordHasher.class);

	private final AccountService service = new AccountService(this.users, this.passwords,
			new AdminBootstrap(properties(),
					new com.ragchat.platform.PlatformProperties("test", java.nio.file.Path.of("data"),
							java.nio.file.Path.of("data"))),
			new AuthClock(Clock.systemUTC()), mock(SignInThrottle.class),
			new org.springframework.beans.factory.support.StaticListableBeanFactory()
				.getBeanProvider(SignUpTenants.class),
			mock(TokenRevocations.class));

	@Test
	void anUnknownUserCostsOneComparison() {
		when(this.users.findByUsernameIgnoreCase("ghost")).thenReturn(Optional.empty());
		assertThat(this.service.authenticate("ghost", "pw")).isEmpty();
		verify(this.passwords, times(1)).matches(eq("pw"), isNull());
	}

	@Test
	void anOAuthOnlyAccountCostsOneComparison() {
		UserAccount account = new UserAccount("octo_github", "octo@example.com", null, "user", "github", "42",
				Instant.now());
		when(this.users.findByEmailIgnoreCase("octo@example.com")).thenReturn(Optional.of(account));
		assertThat(this.service.authenticate("octo@example.com", "pw")).isEmpty();
		verify(this.passwords, times(1)).matches(eq("pw"), isNull());
	}

	@Test
	void aWrongPasswordCostsOneComparison() {
		UserAccount account = new UserAccount("alice", "alice@example.com", "$2b$10$hash", "user", "local", null,
				Instant.now());
		when(this.users.findByUsernameIgnoreCase("alice")).thenReturn(Optional.of(account));
		when(this.passwords.matches(anyString(), any())).thenReturn(false);
		assertThat(this.service.authenticate("alice", "pw")).isEmpty();
		verify(this.passwords, times(1)).matches("pw", "$2b$10$hash");
	}

	private static AuthProperties properties() {
		return new AuthProperties("k".repeat(32), 240, false, "lax", "http://localhost:5173", List.of(),
				List.of("root"), 10, java.time.Duration.ofSeconds(120), java.time.Duration.ofMinutes(10),
				new AuthProperties.OAuth(List.of(), "http://127.0.0.1:8000", java.time.Duration.ofMinutes(10),
						java.time.Duration.ofSeconds(10), emptyProvider(), emptyProvider()),
				null);
	}

	private static AuthProperties.Provider emptyProvider() {
		return new AuthProperties.Provider(null, null, null, null, null, null, null, null);
	}

}
