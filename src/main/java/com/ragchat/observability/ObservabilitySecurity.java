package com.ragchat.observability;

import com.ragchat.platform.HttpSecurityCustomizer;

import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.stereotype.Component;

/** Health and readiness are public: probes carry no credentials. */
@Component
class ObservabilitySecurity implements HttpSecurityCustomizer {

	@Override
	public void customize(HttpSecurity http) throws Exception {
		http.authorizeHttpRequests(
				(requests) -> requests.requestMatchers("/api/health", "/api/health/ready").permitAll());
	}

}
