package com.ragchat.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;

import com.sun.management.HotSpotDiagnosticMXBean;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Counts this JVM's live threads, virtual ones included (a JSON thread dump lists them),
 * by name or by what they are doing, so a fault test can show that nothing is left
 * running after a failure.
 */
final class ThreadCensus {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private ThreadCensus() {
	}

	/** Live threads whose name starts with {@code prefix}. */
	static int named(String prefix) {
		return count((thread) -> thread.path("name").asString("").startsWith(prefix));
	}

	/**
	 * Live threads with a stack frame in a class whose name starts with {@code prefix}.
	 */
	static int running(String classPrefix) {
		return count((thread) -> {
			for (JsonNode frame : thread.path("stack")) {
				if (frame.asString().startsWith(classPrefix)) {
					return true;
				}
			}
			return false;
		});
	}

	private static int count(Predicate<JsonNode> matching) {
		try {
			Path file = Files.createTempFile("threads", ".json");
			Files.delete(file);
			try {
				ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
					.dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
				int count = 0;
				for (JsonNode container : JSON.readTree(file.toFile()).get("threadDump").get("threadContainers")) {
					for (JsonNode thread : container.get("threads")) {
						if (matching.test(thread)) {
							count++;
						}
					}
				}
				return count;
			}
			finally {
				Files.deleteIfExists(file);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
