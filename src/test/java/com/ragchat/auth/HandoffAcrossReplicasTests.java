package com.ragchat.auth;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.ragchat.Application;
import com.ragchat.platform.TestDatabase;
import com.ragchat.support.ApiClient;
import com.ragchat.support.TestUsers;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An OAuth callback lands on one replica and the browser's handoff request may land on
 * another: a code issued by one instance is redeemed by the other, once.
 */
class HandoffAcrossReplicasTests {

	static ConfigurableApplicationContext first;

	static ConfigurableApplicationContext second;

	@BeforeAll
	static void startTwoInstances() {
		TestDatabase.Info database = TestDatabase.createEmptyDatabase();
		first = start(database);
		second = start(database);
	}

	@AfterAll
	static void stopInstances() {
		second.close();
		first.close();
	}

	@Test
	void aCodeIssuedByOneInstanceIsRedeemedOnceByTheOther() {
		TestUsers.TestUser user = TestUsers.register(client(first));
		String code = first.getBean(HandoffCodes.class).issue(user.id(), BrowserBinding.hash("browser-binding"));
		String binding = "Cookie";
		String browser = BrowserBinding.COOKIE + "=browser-binding";

		ApiClient.Response redeemed = client(second).postJson("/api/auth/oauth/handoff", Map.of("code", code), binding,
				browser);
		assertThat(redeemed.status()).as(redeemed.toString()).isEqualTo(200);
		assertThat(redeemed.json().get("status").asString()).isEqualTo("ok");
		String accessToken = redeemed.setCookies().get("access_token");
		assertThat(accessToken).isNotNull();
		String cookie = accessToken.substring(0, accessToken.indexOf(';'));
		ApiClient.Response me = client(first).get("/api/auth/me", "Cookie", cookie);
		assertThat(me.status()).isEqualTo(200);
		assertThat(me.json().get("id").asLong()).isEqualTo(user.id());

		ApiClient.Response again = client(first).postJson("/api/auth/oauth/handoff", Map.of("code", code), binding,
				browser);
		assertThat(again.status()).isEqualTo(400);
		assertThat(again.json().get("detail").asString()).isEqualTo("Invalid or expired handoff code");
	}

	private static ConfigurableApplicationContext start(TestDatabase.Info database) {
		return new SpringApplicationBuilder(Application.class).properties("ragchat.test.own-datasource=true")
			.run("--spring.datasource.url=" + database.url(), "--spring.datasource.username=" + database.username(),
					"--spring.datasource.password=" + database.password(), "--server.port=0");
	}

	private static ApiClient client(ConfigurableApplicationContext context) {
		return new ApiClient(((WebServerApplicationContext) context).getWebServer().getPort());
	}

}
