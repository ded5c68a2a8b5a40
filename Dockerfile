# Build the jar first, with the tests: ./mvnw verify
# The image runs that same tested jar; it is never rebuilt here.
#   docker build -t ragchat .

FROM eclipse-temurin:21-jre AS layers
WORKDIR /build
COPY target/ragchat-*.jar app.jar
# Split the jar into layers (dependencies change rarely, application classes often).
RUN java -Djarmode=tools -jar app.jar extract --layers --launcher --destination extracted

FROM eclipse-temurin:21-jre
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --shell /usr/sbin/nologin app
WORKDIR /app
COPY --from=layers /build/extracted/dependencies/ ./
COPY --from=layers /build/extracted/spring-boot-loader/ ./
COPY --from=layers /build/extracted/snapshot-dependencies/ ./
COPY --from=layers /build/extracted/application/ ./
RUN mkdir -p /app/data && chown app:app /app/data
USER app
# Every interface: the container's port is published to the host (outside a container the
# default is loopback only in development).
ENV PORT=8000 \
    BIND_ADDRESS=0.0.0.0 \
    DATA_DIR=/app/data \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=40s --retries=3 \
    CMD curl -fsS "http://127.0.0.1:${PORT}/api/health" >/dev/null || exit 1
# The embedding model's ONNX runtime loads native code; allowing it here (as the jar's
# manifest does for java -jar) keeps Java's restricted-method warning out of the log.
ENTRYPOINT ["java", "--enable-native-access=ALL-UNNAMED", "org.springframework.boot.loader.launch.JarLauncher"]
