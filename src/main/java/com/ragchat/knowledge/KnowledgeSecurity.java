package com.ragchat.knowledge;

import com.ragchat.platform.HttpSecurityCustomizer;

import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.stereotype.Component;

/**
 * The knowledge base's admin API is for admins only; everyone else gets 403. Registered
 * whichever retriever is selected, so the rule holds even where the API is absent.
 */
@Component
class KnowledgeSecurity implements HttpSecurityCustomizer {

	@Override
	public void customize(HttpSecurity http) throws Exception {
		http.authorizeHttpRequests((requests) -> requests.requestMatchers(KnowledgeRoutes.ALL).hasRole("ADMIN"));
	}

}
