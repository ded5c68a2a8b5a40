package com.ragchat.auth;

import java.time.Instant;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The signed-in user's personal API keys (README "Use it from OpenAI clients"): make one
 * (the key is in this response only), list them (never the keys), delete one (it stops
 * working at once). Managed with a sign-in, not with a key: a leaked key cannot mint more
 * keys.
 */
@RestController
class ApiKeyController {

	private static final Logger logger = LoggerFactory.getLogger(ApiKeyController.class);

	private final ApiKeys keys;

	ApiKeyController(ApiKeys keys) {
		this.keys = keys;
	}

	@PostMapping(AuthRoutes.API_KEYS)
	ResponseEntity<CreatedKey> create(@AuthenticationPrincipal AuthenticatedUser user, Authentication authentication,
			@Valid @RequestBody CreateKeyRequest request) {
		requireSignIn(authentication);
		ApiKeys.Created created = this.keys.create(user.id(), request.name().strip(), request.expiresInDays());
		logger.info("User {} made API key {} ({})", user.username(), created.info().id(), created.info().prefix());
		ApiKeys.KeyInfo info = created.info();
		return ResponseEntity.status(HttpStatus.CREATED)
			.body(new CreatedKey(info.id(), info.name(), created.key(), info.prefix(), info.createdAt(),
					info.expiresAt()));
	}

	@GetMapping(AuthRoutes.API_KEYS)
	List<ApiKeys.KeyInfo> list(@AuthenticationPrincipal AuthenticatedUser user, Authentication authentication) {
		requireSignIn(authentication);
		return this.keys.list(user.id());
	}

	@DeleteMapping(AuthRoutes.API_KEY)
	ResponseEntity<Void> delete(@AuthenticationPrincipal AuthenticatedUser user, Authentication authentication,
			@PathVariable("id") long id) {
		requireSignIn(authentication);
		if (!this.keys.delete(user.id(), id)) {
			throw new AccountRefusals.UnknownApiKey();
		}
		logger.info("User {} deleted API key {}", user.username(), id);
		return ResponseEntity.noContent().build();
	}

	private static void requireSignIn(Authentication authentication) {
		if (authentication instanceof ApiKeyAuthentication) {
			throw new AccountRefusals.KeyCannotManageKeys();
		}
	}

	/**
	 * A new key's name and lifetime.
	 *
	 * @param name what the owner calls it (e.g. the tool that uses it)
	 * @param expiresInDays days until it stops working; none: until deleted
	 */
	record CreateKeyRequest(
			@NotBlank @Size(max = 100) @Pattern(regexp = "[^\\p{Cntrl}]*",
					message = "must not contain control characters") String name,
			@Nullable @Min(1) @Max(3650) Integer expiresInDays) {
	}

	/**
	 * A new key, with the key itself: shown this once.
	 *
	 * @param id id
	 * @param name name
	 * @param key the key
	 * @param prefix its first characters, as listings show them
	 * @param createdAt when it was made
	 * @param expiresAt when it stops working, if ever
	 */
	record CreatedKey(long id, String name, String key, String prefix, Instant createdAt, @Nullable Instant expiresAt) {
	}

}
