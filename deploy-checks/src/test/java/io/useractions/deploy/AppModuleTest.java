package io.useractions.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The facts the cross-checks compare against are really read from the services' sources. */
class AppModuleTest {
    private static final Repo REPO = Repo.find();

    @Test
    void configMappingPropertiesAreReadFromTheSources() {
        AppModule ingest = REPO.service("ingest-service");
        assertTrue(ingest.propertyPatterns().containsAll(java.util.List.of("ual.ingest.max-body-bytes",
                "ual.ingest.access.studies.*.write-key", "ual.ingest.access.studies.*.origins",
                "ual.ingest.rate-limit.per-address-burst", "ual.ingest.dedupe.ttl")), ingest.propertyPatterns().toString());
        AppModule processor = REPO.service("stream-processor");
        assertTrue(processor.propertyPatterns().containsAll(java.util.List.of("ual.processor.topics.create",
                "ual.processor.sink.max-poll-records", "ual.processor.instance-id")), processor.propertyPatterns().toString());
        assertTrue(REPO.service("study-app").propertyPatterns().contains("ual.study.ingest-url"));
    }

    @Test
    void configGroupsDeclaredInTheModelAreFollowed() {
        java.util.Set<String> patterns = ConfigMappings.propertyPatterns(REPO.path("ingest-service/src/main/java"),
                REPO.path("model/src/main/java"));
        assertTrue(patterns.containsAll(java.util.List.of("ual.ingest.crypto.master-key",
                "ual.ingest.crypto.key-cache-ttl")), patterns.toString());
        assertFalse(patterns.contains("ual.ingest.crypto"), patterns.toString());
    }

    @Test
    void environmentVariablesMapByTheMicroProfileRule() {
        AppModule ingest = REPO.service("ingest-service");
        assertEquals(Optional.empty(), ingest.unknownEnvironmentVariable("UAL_INGEST_ACCESS_STUDIES__STROOP2026__WRITE_KEY"));
        assertEquals(Optional.empty(), ingest.unknownEnvironmentVariable("UAL_INGEST_MAX_BODY_BYTES"));
        assertEquals(Optional.empty(), ingest.unknownEnvironmentVariable("QUARKUS_REDIS_HOSTS"));
        assertEquals(Optional.empty(), ingest.unknownEnvironmentVariable("UAL_ADMIN_PASSWORD"));
        assertEquals(Optional.empty(), ingest.unknownEnvironmentVariable("JAVA_OPTS"));
        assertTrue(ingest.unknownEnvironmentVariable("UAL_INGEST_MAX_BODY_BYTE").isPresent());
        assertEquals(Optional.empty(), ingest.unknownEnvironmentVariable("QUARKUS_DATASOURCE_JDBC_URL"), "its studies");
        assertEquals(Optional.empty(), ingest.unknownEnvironmentVariable("UAL_INGEST_ACCESS_REFRESH_INTERVAL"));
        assertTrue(REPO.service("study-app").unknownEnvironmentVariable("QUARKUS_DATASOURCE_JDBC_URL").isPresent(),
                "the study app has no database");
        assertTrue(REPO.service("study-app").unknownEnvironmentVariable("UAL_ADMIN_PASSWORD").isPresent());
    }

    @Test
    void portsProbesAndShutdownComeFromTheModules() {
        assertEquals(8080, REPO.service("ingest-service").httpPort());
        assertEquals(8081, REPO.service("stream-processor").httpPort());
        assertEquals(8090, REPO.service("study-app").httpPort());
        assertEquals(Optional.of(Duration.ofSeconds(30)), REPO.service("ingest-service").shutdownTimeout());
        assertEquals(Optional.empty(), REPO.service("ingest-service").unservedPath("/q/health/ready"));
        assertTrue(REPO.service("ingest-service").unservedPath("/q/health/readyy").isPresent());
        assertTrue(REPO.service("study-app").unservedPath("/q/health/ready").isPresent(), "study-app has no health extension");
        assertEquals(Optional.empty(), REPO.service("study-app").unservedPath("/"));
    }

    @Test
    void everyKafkaClientTakesTheSharedSecuritySettings() {
        for (String client : java.util.List.of("ingest-service", "stream-processor", "console")) {
            assertTrue(REPO.service(client).usesKafka(), client);
            for (String variable : java.util.List.of("KAFKA_SECURITY_PROTOCOL", "KAFKA_SASL_JAAS_CONFIG",
                    "KAFKA_SSL_TRUSTSTORE_LOCATION", "KAFKA_SSL_TRUSTSTORE_PASSWORD", "KAFKA_SSL_TRUSTSTORE_TYPE")) {
                assertEquals(Optional.empty(), REPO.service(client).unknownEnvironmentVariable(variable), client);
            }
        }
        assertTrue(REPO.service("study-app").unknownEnvironmentVariable("KAFKA_SECURITY_PROTOCOL").isPresent());
        assertTrue(REPO.service("ingest-service").unknownEnvironmentVariable("KAFKA_SSL_TRUSTSTORE_PATH").isPresent());
    }

    @Test
    void settingsFollowTheContainersEnvironment() {
        AppModule processor = REPO.service("stream-processor");
        assertEquals(Optional.of("ual-postgres-sink"), processor.setting("ual.processor.sink.group-id", java.util.Map.of()));
        assertEquals(Optional.of("other-sink"), processor.setting("ual.processor.sink.group-id",
                java.util.Map.of("UAL_PROCESSOR_SINK_GROUP_ID", "other-sink")));
        assertEquals(Optional.of("raw-2"), REPO.service("ingest-service").setting("mp.messaging.outgoing.ui-actions.topic",
                java.util.Map.of("UAL_RAW_TOPIC", "raw-2")));
        assertEquals(Optional.of("ui-actions"), REPO.service("ingest-service").setting("mp.messaging.outgoing.ui-actions.topic",
                java.util.Map.of()));
    }
}
