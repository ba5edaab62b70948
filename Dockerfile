# Multi-stage: build with the Maven wrapper, run the slim jar (no embedded PostgreSQL binaries:
# nodes in an image use a real PostgreSQL and Redis through TOLLGATE_PG_URL / TOLLGATE_REDIS_URL).
# Used by compose.yaml and the Kubernetes manifests in deploy/k8s.
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
RUN ./mvnw -q -B -DskipTests package

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /src/launcher/target/tollgate-slim.jar /app/tollgate.jar
COPY cluster.xml /app/cluster.xml
# JSON log lines in containers; Hazelcast's module flags come from the jar's manifest.
ENV TOLLGATE_BIND_HOST=0.0.0.0 TOLLGATE_DATA_DIR=/data TOLLGATE_LOG_FORMAT=json
VOLUME /data
EXPOSE 8080 8081 9090 5701
STOPSIGNAL SIGTERM
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/tollgate.jar"]
