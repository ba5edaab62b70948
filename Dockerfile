# Builds the runnable jar and a small runtime image. Used by compose.yaml.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN ./mvnw -q -B -DskipTests package

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /src/launcher/target/tollgate.jar /app/tollgate.jar
COPY cluster.xml /app/cluster.xml
ENV TOLLGATE_BIND_HOST=0.0.0.0 TOLLGATE_DATA_DIR=/data
VOLUME /data
EXPOSE 8080 8081 9090 5701
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/tollgate.jar"]
