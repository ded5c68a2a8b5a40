package com.ragchat.observability;

import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /}: a trivial answer for probes that only know the origin. */
@RestController
class RootController {

	@GetMapping("/")
	Map<String, String> root() {
		return Map.of("message", "OK");
	}

}
