package com.ragchat.platform;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.ragchat.Application;
import com.ragchat.support.ApiClient;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/** Shutdown lets in-flight requests finish and refuses new ones. */
class GracefulShutdownTests {

	static final CountDownLatch started = new CountDownLatch(1);

	@Test
	void inFlightRequestFinishesWhileTheServerShutsDown() throws Exception {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class, SlowController.class)
			// An argument, not a default property: application.yml's ${PORT:8000}
			// outranks those.
			.run("--server.port=0");
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		ApiClient api = new ApiClient(port);

		CompletableFuture<ApiClient.Response> inFlight = CompletableFuture
			.supplyAsync(() -> api.get("/test-probe/slow"));
		assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
		CompletableFuture<Void> closing = CompletableFuture.runAsync(context::close);

		ApiClient.Response response = inFlight.get(30, TimeUnit.SECONDS);
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("finished");
		closing.get(30, TimeUnit.SECONDS);
		assertThatException().isThrownBy(() -> api.get("/api/health"));
	}

	@RestController
	static class SlowController {

		@GetMapping("/test-probe/slow")
		String slow() throws InterruptedException {
			started.countDown();
			Thread.sleep(1500);
			return "finished";
		}

	}

}
