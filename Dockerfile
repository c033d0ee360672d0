# syntax=docker/dockerfile:1
# The Weft control plane as a container image. Build from the repository root:
#   docker build -t weft-scheduler .
# The stage `boutique` is the image of the demo's agents, load generator and driver (docker-compose.yml, profile
# "demo"): docker build --target boutique -t weft-boutique .
# It uses an external PostgreSQL when SPRING_DATASOURCE_URL is set (see docker-compose.yml);
# without it, the embedded PostgreSQL keeps its data in /var/lib/weft/postgres.
FROM eclipse-temurin:21-jdk AS build
WORKDIR /src
# The wrapper and every pom first, and the dependencies they need resolved in a layer of their own: a change to
# the sources then reuses that layer instead of downloading every dependency again. The cache mount keeps the
# Maven repository between builds even when a pom changes.
COPY mvnw pom.xml ./
COPY .mvn .mvn
COPY api/pom.xml api/
COPY placement/pom.xml placement/
COPY rollout/pom.xml rollout/
COPY scheduler/pom.xml scheduler/
COPY bench/pom.xml bench/
COPY agent/pom.xml agent/
COPY agent/runtime/pom.xml agent/runtime/
COPY agent/spring-boot-starter/pom.xml agent/spring-boot-starter/
COPY examples/quotes/pom.xml examples/quotes/
COPY examples/boutique/pom.xml examples/boutique/
COPY examples/demo/pom.xml examples/demo/
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -ntp -pl scheduler,examples/demo -am dependency:go-offline -DexcludeReactor=true
# Then the sources (less what .dockerignore leaves out), which change far more often.
COPY . .
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -ntp -pl scheduler,examples/demo -am package -DskipTests

# The boutique's shaded jar: an agent (dev.weft.agent.node.AgentMain, the default command), the replicas it starts
# (the same jar, at the path the demo's specs name as the artifact), the load generator and the demo's driver.
FROM eclipse-temurin:21-jre AS boutique
RUN useradd --system --create-home --home-dir /var/lib/weft weft
USER weft
WORKDIR /var/lib/weft
COPY --from=build /src/examples/boutique/target/weft-example-boutique.jar /opt/weft/boutique/weft-example-boutique.jar
COPY --from=build /src/examples/demo/target/classes /opt/weft/demo/classes
# 7070: the agent's component port (other agents call it); 8081: the boutique's HTTP entry on an ingress agent.
EXPOSE 7070 8081
ENTRYPOINT ["java", "-XX:+UseSerialGC", "-Xmx256m", "-cp", "/opt/weft/boutique/weft-example-boutique.jar", "dev.weft.agent.node.AgentMain"]

# The control plane (the last stage, so `docker build .` builds it).
FROM eclipse-temurin:21-jre AS scheduler
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --home-dir /var/lib/weft weft
USER weft
WORKDIR /var/lib/weft
COPY --from=build /src/scheduler/target/weft-scheduler.jar /opt/weft/weft-scheduler.jar
ENV WEFT_DATABASE_EMBEDDED_DATA_DIRECTORY=/var/lib/weft/postgres
# 8080: REST API, OpenAPI document and UI, Actuator (no dashboard yet). 9090: gRPC agent protocol.
EXPOSE 8080 9090
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=5 \
    CMD curl -fsS http://localhost:8080/actuator/health/readiness || exit 1
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/opt/weft/weft-scheduler.jar"]
