package com.ragchat.chat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generation threads are virtual, carry the request's logging context, and are counted.
 */
class GenerationThreadsTests {

	@Test
	void threadsCarryTheCallersLoggingContextAndAreCountedWhileAlive() throws Exception {
		GenerationThreads threads = new GenerationThreads();
		AtomicReference<String> seen = new AtomicReference<>();
		AtomicReference<Boolean> virtual = new AtomicReference<>();
		CountDownLatch release = new CountDownLatch(1);
		MDC.put("request_id", "req-123");
		Thread thread;
		try {
			thread = threads.start(() -> {
				seen.set(MDC.get("request_id"));
				virtual.set(Thread.currentThread().isVirtual());
				try {
					release.await(5, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			});
		}
		finally {
			MDC.remove("request_id");
		}
		assertThat(threads.live()).isEqualTo(1);
		release.countDown();
		thread.join(5000);
		assertThat(seen.get()).isEqualTo("req-123");
		assertThat(virtual.get()).isTrue();
		assertThat(thread.getName()).startsWith("chat-generation-");
		assertThat(threads.live()).isZero();
	}

	@Test
	void aFailingTaskIsStillCountedOut() throws Exception {
		GenerationThreads threads = new GenerationThreads();
		Thread thread = threads.start(() -> {
			throw new IllegalStateException("expected in this test");
		});
		thread.join(5000);
		assertThat(threads.live()).isZero();
	}

}
