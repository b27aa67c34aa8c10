package io.useractions.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class PipelineSettingsTest {

    private static final Path CWD = Path.of("").toAbsolutePath();

    @Test
    void defaultsAreTheDocumentedPortsAndDirectories() {
        Pipeline.Settings settings = Pipeline.Settings.fromEnv(Map.of());

        assertEquals(CWD, settings.home());
        assertEquals(CWD.resolve("data"), settings.dataDir());
        assertEquals("127.0.0.1", settings.bindHost());
        assertEquals(List.of(9092, 9093, 5432, 6379, 8080, 8081, 8090, 8070, 6),
                List.of(settings.kafkaPort(), settings.kafkaControllerPort(), settings.postgresPort(),
                        settings.redisPort(), settings.ingestPort(), settings.processorPort(),
                        settings.studyAppPort(), settings.consolePort(), settings.rawPartitions()));
        assertEquals(List.of(), settings.serviceJvmArgs());
        assertEquals(false, settings.secureKafka(), "plaintext Kafka unless UAL_KAFKA_SECURE=true");
        assertEquals(true, Pipeline.Settings.fromEnv(Map.of("UAL_KAFKA_SECURE", "true")).secureKafka());
    }

    @Test
    void servicesAreTheFourPackagedAppsWithTheirProbes() {
        Pipeline.Settings settings = Pipeline.Settings.fromEnv(
                Map.of("UAL_HOME", "/repo", "UAL_INGEST_PORT", "18080", "UAL_SERVICE_JAVA_OPTS", " -Xmx256m  -Dx=y "));

        List<ServiceSpec> services = settings.services();

        assertEquals(new ServiceSpec("ingest-service",
                Path.of("/repo/ingest-service/target/quarkus-app/quarkus-run.jar"), 18080, "/q/health/ready"),
                services.get(0));
        assertEquals("stream-processor", services.get(1).name());
        assertEquals("/q/health/ready", services.get(1).healthPath());
        assertEquals(new ServiceSpec("study-app",
                Path.of("/repo/study-app/target/quarkus-app/quarkus-run.jar"), 8090, "/"), services.get(2));
        assertEquals(new ServiceSpec("console",
                Path.of("/repo/console/target/quarkus-app/quarkus-run.jar"), 8070, "/q/health/ready"), services.get(3));
        assertEquals(List.of("-Xmx256m", "-Dx=y"), settings.serviceJvmArgs());
    }

    @Test
    void aPortThatIsNotANumberIsRejectedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Pipeline.Settings.fromEnv(Map.of("UAL_POSTGRES_PORT", "five")));
        assertEquals("UAL_POSTGRES_PORT=five is not a number", e.getMessage());
    }
}
