# syntax=docker/dockerfile:1
# The Weft control plane as a container image. Build from the repository root:
#   docker build -t weft-scheduler .
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
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -ntp -pl scheduler -am dependency:go-offline -DexcludeReactor=true
# Then the sources (less what .dockerignore leaves out), which change far more often.
COPY . .
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -ntp -pl scheduler -am package -DskipTests

FROM eclipse-temurin:21-jre
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
