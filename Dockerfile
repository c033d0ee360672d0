# The Weft control plane as a container image. Build from the repository root:
#   docker build -t weft-scheduler .
# It uses an external PostgreSQL when SPRING_DATASOURCE_URL is set (see docker-compose.yml);
# without it, the embedded PostgreSQL keeps its data in /var/lib/weft/postgres.
FROM eclipse-temurin:21-jdk AS build
WORKDIR /src
# The whole tree (less what .dockerignore leaves out), so every module the root pom names is there.
COPY . .
RUN ./mvnw -B -ntp -pl scheduler -am package -DskipTests

FROM eclipse-temurin:21-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --home-dir /var/lib/weft weft
USER weft
WORKDIR /var/lib/weft
COPY --from=build /src/scheduler/target/weft-scheduler.jar /opt/weft/weft-scheduler.jar
ENV WEFT_DATABASE_EMBEDDED_DATA_DIRECTORY=/var/lib/weft/postgres
# 8080: REST API, dashboard, Actuator. 9090: gRPC agent protocol.
EXPOSE 8080 9090
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=5 \
    CMD curl -fsS http://localhost:8080/actuator/health/readiness || exit 1
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/opt/weft/weft-scheduler.jar"]
