# Build: docker build -t agent-factory .
# Run:   docker run -p 8080:8080 -v af-data:/app/data agent-factory
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
COPY migrations migrations
COPY rules rules
RUN mvn -B -q clean package -DskipTests

FROM eclipse-temurin:17-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --home-dir /app agent
WORKDIR /app
COPY --from=build /src/target/agent-factory.jar agent-factory.jar
COPY jvm.options jit-directives.json ./
COPY rules rules
COPY migrations migrations
RUN mkdir -p data && chown -R agent:agent /app
# Embedded PostgreSQL refuses to run as root inside most containers (no user namespaces): run as a user.
USER agent
ENV AF_HOST=0.0.0.0 \
    AF_PORT=8080 \
    AF_DATA_DIR=/app/data \
    AF_RULES_DIR=/app/rules
EXPOSE 8080
VOLUME /app/data
# start-period: the embedded database, the policy bundle and the 30 s warm-up rehearsal (AF_WARM_UP_SECONDS)
HEALTHCHECK --interval=15s --timeout=3s --start-period=120s --retries=3 \
    CMD curl -fsS http://127.0.0.1:8080/health || exit 1
ENTRYPOINT ["java", "@/app/jvm.options", "-jar", "/app/agent-factory.jar"]
