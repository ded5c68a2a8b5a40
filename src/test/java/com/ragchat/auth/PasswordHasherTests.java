package com.ragchat.auth;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordHasherTests {

	private final PasswordHasher hasher = new PasswordHasher(10);

	@Test
	void hashesAreSaltedBcryptOfTheConfiguredCost() {
		String first = this.hasher.hash("correct horse");
		String second = this.hasher.hash("correct horse");
		assertThat(first).startsWith("$2b$10$").isNotEqualTo(second);
		assertThat(this.hasher.matches("correct horse", first)).isTrue();
		assertThat(this.hasher.matches("correct horsf", first)).isFalse();
	}

	@Test
	void aMissingHashNeverMatches() {
		assertThat(this.hasher.matches("anything", null)).isFalse();
		assertThat(this.hasher.matches("", "")).isFalse();
	}

	@Test
	void aCheaperHashAsksForRehashing() {
		assertThat(new PasswordHasher(12).needsRehash(this.hasher.hash("x"))).isTrue();
		assertThat(this.hasher.needsRehash(this.hasher.hash("x"))).isFalse();
	}

}
