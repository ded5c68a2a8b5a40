package com.ragchat.chat;

import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.MDC;

import org.springframework.stereotype.Component;

/**
 * Starts the virtual threads that run generation for streams, carrying the caller's
 * logging context (the {@code request_id}) onto them, and counts those still alive.
 */
@Component
class GenerationThreads {

	private final ThreadFactory factory = Thread.ofVirtual().name("chat-generation-", 0).factory();

	private final AtomicInteger live = new AtomicInteger();

	Thread start(Runnable task) {
		Map<String, String> context = MDC.getCopyOfContextMap();
		Thread thread = this.factory.newThread(() -> {
			if (context != null) {
				MDC.setContextMap(context);
			}
			try {
				task.run();
			}
			finally {
				MDC.clear();
				this.live.decrementAndGet();
			}
		});
		this.live.incrementAndGet();
		thread.start();
		return thread;
	}

	/** Generation threads started and not yet finished. */
	int live() {
		return this.live.get();
	}

}
