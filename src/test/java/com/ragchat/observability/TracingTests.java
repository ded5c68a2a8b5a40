package com.ragchat.observability;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import com.ragchat.platform.TestDatabase;
import com.ragchat.support.ApiClient;
import com.ragchat.support.TestUsers;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tracing through the whole application (OPERATIONS.md "Tracing"): spans go over real
 * OTLP/HTTP to an in-process receiver that decodes each export. One streamed turn yields
 * the request's span, the turn's, the pipeline's stages with their attributes, the
 * question's embedding, the searches and the model call, linked parent to child under the
 * caller's {@code traceparent}; a log line of the turn names its trace; a stream the
 * client leaves is marked; and no exported byte holds the question.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "LLM_PROVIDER=mock", "RETRIEVER_PROVIDER=local", "KNOWLEDGE_IMPORT_DIR=samples/knowledge",
				"ragchat.test.own-datasource=true", "STREAM_ARTIFICIAL_DELAY_MS=40" })
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TracingTests {

	private static final TestDatabase.Info DATABASE = TestDatabase.createEmptyDatabase();

	private static final Receiver receiver = Receiver.start();

	/** A word that only the questions hold: it must reach no exported byte. */
	private static final String SECRET_WORD = "zebracorn" + ThreadLocalRandom.current().nextInt(1000, 9999);

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("spring.datasource.url", DATABASE::url);
		registry.add("spring.datasource.username", DATABASE::username);
		registry.add("spring.datasource.password", DATABASE::password);
		registry.add("OTEL_EXPORTER_OTLP_ENDPOINT", () -> "http://127.0.0.1:" + receiver.port());
		registry.add("OTEL_BSP_SCHEDULE_DELAY", () -> "100");
	}

	@AfterAll
	static void stopReceiver() {
		receiver.server.stop(0);
	}

	@LocalServerPort
	int port;

	@Autowired
	ConfigurableEnvironment environment;

	ApiClient api;

	TestUsers.TestUser user;

	@BeforeEach
	void signIn() {
		this.api = new ApiClient(this.port);
		this.user = TestUsers.register(this.api);
	}

	@AfterEach
	void backToDefaultLogging() {
		LoggingRestart.apply(this.environment, Map.of());
	}

	/**
	 * Runs first: Prometheus keeps a histogram bucket's exemplar for at least 7 s, so a
	 * stream of another test just before could keep this turn's first token out of the
	 * exemplars it checks.
	 */
	@Test
	@Order(1)
	void oneStreamedTurnIsATreeOfSpansUnderTheCallersTraceparent(CapturedOutput output) {
		LoggingRestart.apply(this.environment, Map.of("LOG_JSON", "true", "logging.level.com.ragchat", "DEBUG"));
		String traceId = hex(16);
		String callerSpan = hex(8);
		ApiClient.Response response = this.api.postJson("/api/chat/stream",
				Map.of("content", "How do I reset my password " + SECRET_WORD + "?"), TestUsers.TestUser
					.with(this.user.bearerHeaders(), "traceparent", "00-" + traceId + "-" + callerSpan + "-01"));
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(response.body()).contains("\"type\":\"done\"");
		assertThat(response.header("traceparent")).startsWith("00-" + traceId + "-").endsWith("-01");

		Trace trace = receiver.await(traceId, (t) -> t.named("chat.turn").isPresent()
				&& t.named("rag.generate").isPresent() && t.byParent(callerSpan).isPresent());
		SpanData server = trace.byParent(callerSpan).orElseThrow();
		assertThat(server.kind()).isEqualTo("SPAN_KIND_SERVER");
		assertThat(server.attributes()).containsEntry("uri", "/api/chat/stream").containsEntry("method", "POST");
		assertThat(response.header("traceparent")).isEqualTo("00-" + traceId + "-" + server.spanId() + "-01");

		SpanData turn = trace.named("chat.turn").orElseThrow();
		assertThat(turn.parentId()).isEqualTo(server.spanId());
		assertThat(turn.attributes()).containsEntry("enduser.id", Long.toString(this.user.id()))
			.containsEntry("rag.research_mode", "kb")
			.containsEntry("rag.streamed", "true")
			.containsKey("chat.session_id");

		SpanData condense = trace.named("rag.condense").orElseThrow();
		SpanData retrieve = trace.named("rag.retrieve").orElseThrow();
		SpanData generate = trace.named("rag.generate").orElseThrow();
		assertThat(List.of(condense, retrieve, generate))
			.allSatisfy((stage) -> assertThat(stage.parentId()).as(stage.name()).isEqualTo(turn.spanId()));
		assertThat(retrieve.attributes()).containsEntry("rag.retriever", "local")
			.containsEntry("rag.k", "3")
			.containsEntry("rag.retries", "0")
			.containsKey("rag.hits")
			.containsKey("rag.top_score");
		assertThat(Integer.parseInt(retrieve.attributes().get("rag.hits"))).isBetween(1, 3);

		SpanData retrieveCall = trace.named("retrieve local").orElseThrow();
		assertThat(retrieveCall.parentId()).isEqualTo(retrieve.spanId());
		assertThat(retrieveCall.kind()).isEqualTo("SPAN_KIND_CLIENT");
		SpanData embedding = trace.named("embeddings local:all-minilm-l6-v2-q").orElseThrow();
		assertThat(embedding.parentId()).isEqualTo(retrieveCall.spanId());
		assertThat(embedding.attributes()).containsEntry("gen_ai.operation.name", "embeddings");
		SpanData fullText = trace.named("SELECT knowledge_chunks").orElseThrow();
		assertThat(fullText.parentId()).isEqualTo(retrieveCall.spanId());
		assertThat(fullText.attributes()).containsEntry("db.system.name", "postgresql");
		assertThat(trace.named("vector search").orElseThrow().parentId()).isEqualTo(retrieveCall.spanId());

		assertThat(generate.attributes()).containsEntry("gen_ai.operation.name", "chat")
			.containsEntry("gen_ai.provider.name", "mock")
			.containsEntry("gen_ai.request.model", "mock")
			.containsEntry("rag.outcome", "success")
			.containsEntry("rag.retries", "0")
			.containsKey("gen_ai.usage.input_tokens")
			.containsKey("gen_ai.usage.output_tokens")
			.containsKey("rag.first_token_ms");
		assertThat(generate.events()).contains("first_token");
		SpanData modelCall = trace.named("chat mock").orElseThrow();
		assertThat(modelCall.parentId()).isEqualTo(generate.spanId());
		assertThat(modelCall.kind()).isEqualTo("SPAN_KIND_CLIENT");
		assertThat(modelCall.attributes()).containsEntry("rag.attempt", "1");

		// The turn's log lines name its trace, on the request's thread and the
		// generation's.
		List<JsonNode> lines = output.getOut()
			.lines()
			.filter((line) -> line.startsWith("{"))
			.map(ApiClient.JSON::readTree)
			.filter((line) -> traceId.equals(line.path("trace_id").asString()))
			.toList();
		assertThat(lines).extracting((line) -> line.get("logger_name").asString())
			.contains("com.ragchat.rag.RagPipeline");
		assertThat(lines).allSatisfy((line) -> assertThat(line.path("span_id").asString()).hasSize(16));

		assertThat(receiver.rawBytesContain(SECRET_WORD)).as("the question in an exported span").isFalse();

		// The latency histograms point at traces (exemplars, in the OpenMetrics format).
		ApiClient.Response metrics = this.api.get("/api/metrics", "Accept",
				"application/openmetrics-text; version=1.0.0; charset=utf-8");
		assertThat(metrics.status()).isEqualTo(200);
		List<String> exemplars = metrics.body()
			.lines()
			.filter((line) -> line.contains("trace_id=\"" + traceId + "\""))
			.toList();
		assertThat(exemplars).as("exemplars of the turn's trace")
			.anyMatch((line) -> line.startsWith("chatbot_chat_first_token_latency_seconds_bucket{"))
			.anyMatch((line) -> line.startsWith("chatbot_provider_latency_seconds_bucket{operation=\"chat\""));
	}

	@Test
	void aStreamTheClientLeavesIsMarkedCancelled() throws IOException {
		String traceId = hex(16);
		String question = String.join(" ", java.util.Collections.nCopies(120, SECRET_WORD));
		try (Socket socket = openStreamUntilFirstToken(question, "00-" + traceId + "-" + hex(8) + "-01")) {
			assertThat(socket.isConnected()).isTrue();
		}
		Trace trace = receiver.await(traceId, (t) -> t.named("chat.turn").isPresent());
		SpanData turn = trace.named("chat.turn").orElseThrow();
		assertThat(turn.attributes()).containsEntry("rag.outcome", "cancelled");
		assertThat(turn.events()).contains("cancelled");
		Trace finished = receiver.await(traceId, (t) -> t.named("rag.generate").isPresent());
		assertThat(finished.named("rag.generate").orElseThrow().attributes()).containsEntry("rag.outcome", "cancelled");
		assertThat(receiver.rawBytesContain(SECRET_WORD)).isFalse();
	}

	@Test
	void problemsOfATracedRequestNameTheirTrace() {
		String traceId = hex(16);
		ApiClient.Response missing = this.api.get("/api/chat/sessions/987654321", TestUsers.TestUser
			.with(this.user.bearerHeaders(), "traceparent", "00-" + traceId + "-" + hex(8) + "-01"));
		assertThat(missing.status()).isEqualTo(404);
		assertThat(missing.json().get("trace_id").asString()).isEqualTo(traceId);
		assertThat(missing.json().get("span_id").asString()).hasSize(16);
		assertThat(missing.json().get("request_id").asString()).isNotBlank();
	}

	private Socket openStreamUntilFirstToken(String question, String traceparent) throws IOException {
		Socket socket = new Socket("127.0.0.1", this.port);
		socket.setSoTimeout(30_000);
		byte[] body = ("{\"content\":\"" + question + "\"}").getBytes(StandardCharsets.UTF_8);
		String head = "POST /api/chat/stream HTTP/1.1\r\nHost: 127.0.0.1:" + this.port + "\r\n"
				+ "Content-Type: application/json\r\nAuthorization: Bearer " + this.user.bearerToken() + "\r\n"
				+ "traceparent: " + traceparent + "\r\nContent-Length: " + body.length + "\r\n\r\n";
		OutputStream out = socket.getOutputStream();
		out.write(head.getBytes(StandardCharsets.US_ASCII));
		out.write(body);
		out.flush();
		InputStream in = socket.getInputStream();
		ByteArrayOutputStream received = new ByteArrayOutputStream();
		byte[] buffer = new byte[1024];
		while (!received.toString(StandardCharsets.UTF_8).contains("\"type\":\"token\"")) {
			int read = in.read(buffer);
			if (read < 0) {
				throw new IOException("stream ended before a token: " + received.toString(StandardCharsets.UTF_8));
			}
			received.write(buffer, 0, read);
		}
		return socket;
	}

	private static String hex(int bytes) {
		byte[] random = new byte[bytes];
		ThreadLocalRandom.current().nextBytes(random);
		random[0] |= 1;
		return HexFormat.of().formatHex(random);
	}

	/** A decoded span. */
	record SpanData(String traceId, String spanId, String parentId, String name, String kind,
			Map<String, String> attributes, List<String> events) {
	}

	/** The spans of one trace received so far. */
	record Trace(List<SpanData> spans) {

		Optional<SpanData> named(String name) {
			return this.spans.stream().filter((span) -> span.name().equals(name)).findFirst();
		}

		Optional<SpanData> byParent(String parentId) {
			return this.spans.stream().filter((span) -> span.parentId().equals(parentId)).findFirst();
		}

	}

	/** An OTLP/HTTP receiver on a free port: keeps every export's bytes and spans. */
	record Receiver(HttpServer server, List<byte[]> bodies, List<SpanData> spans) {

		static Receiver start() {
			try {
				HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
				Receiver receiver = new Receiver(server, new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>());
				server.createContext("/v1/traces", (exchange) -> {
					byte[] body = exchange.getRequestBody().readAllBytes();
					receiver.bodies().add(body);
					receiver.spans().addAll(decode(body));
					exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
					exchange.sendResponseHeaders(200, -1);
					exchange.close();
				});
				server.start();
				return receiver;
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		}

		int port() {
			return this.server.getAddress().getPort();
		}

		Trace await(String traceId, java.util.function.Predicate<Trace> complete) {
			return org.awaitility.Awaitility.await()
				.atMost(Duration.ofSeconds(20))
				.pollInterval(Duration.ofMillis(100))
				.until(() -> new Trace(this.spans.stream().filter((span) -> span.traceId().equals(traceId)).toList()),
						complete);
		}

		boolean rawBytesContain(String text) {
			byte[] needle = text.getBytes(StandardCharsets.UTF_8);
			return this.bodies.stream().anyMatch((body) -> indexOf(body, needle) >= 0);
		}

		private static int indexOf(byte[] haystack, byte[] needle) {
			outer: for (int i = 0; i + needle.length <= haystack.length; i++) {
				for (int j = 0; j < needle.length; j++) {
					if (haystack[i + j] != needle[j]) {
						continue outer;
					}
				}
				return i;
			}
			return -1;
		}

		private static List<SpanData> decode(byte[] body) throws IOException {
			ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body);
			HexFormat hex = HexFormat.of();
			return request.getResourceSpansList()
				.stream()
				.flatMap((resource) -> resource.getScopeSpansList().stream())
				.flatMap((scope) -> scope.getSpansList().stream())
				.map((span) -> {
					Map<String, String> attributes = new LinkedHashMap<>();
					for (KeyValue attribute : span.getAttributesList()) {
						attributes.put(attribute.getKey(), text(attribute.getValue()));
					}
					return new SpanData(hex.formatHex(span.getTraceId().toByteArray()),
							hex.formatHex(span.getSpanId().toByteArray()),
							hex.formatHex(span.getParentSpanId().toByteArray()), span.getName(), span.getKind().name(),
							attributes, span.getEventsList().stream().map((event) -> event.getName()).toList());
				})
				.toList();
		}

		private static String text(AnyValue value) {
			return switch (value.getValueCase()) {
				case STRING_VALUE -> value.getStringValue();
				case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
				case INT_VALUE -> Long.toString(value.getIntValue());
				case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
				default -> value.toString();
			};
		}

	}

}
