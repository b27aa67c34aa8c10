package io.useractions.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.useractions.model.Topics;

class PipelineSettingsTest {

    private static final Path CWD = Path.of("").toAbsolutePath();

    @Test
    void defaultsAreTheDocumentedPortsAndDirectories() {
        Pipeline.Settings settings = Pipeline.Settings.fromEnv(Map.of());

        assertEquals(CWD, settings.home());
        assertEquals(CWD.resolve("data"), settings.dataDir());
        assertEquals("127.0.0.1", settings.bindHost());
        assertEquals(List.of(9092, 9093, 5432, 6379, 8090, 8070, Topics.DEFAULT_PARTITIONS),
                List.of(settings.kafkaPort(), settings.kafkaControllerPort(), settings.postgresPort(),
                        settings.redisPort(), settings.studyAppPort(), settings.consolePort(), settings.rawPartitions()));
        assertEquals(List.of(8080), settings.ingestPorts());
        assertEquals(List.of(8081), settings.processorPorts());
        assertEquals(List.of(), settings.serviceJvmArgs());
        assertEquals(false, settings.secureKafka(), "plaintext Kafka unless UAL_KAFKA_SECURE=true");
        assertEquals(true, Pipeline.Settings.fromEnv(Map.of("UAL_KAFKA_SECURE", "true")).secureKafka());
    }

    @Test
    void oneInstanceOfEachAppUnlessPortListsAskForMore() {
        Pipeline.Settings one = Pipeline.Settings.fromEnv(
                Map.of("UAL_HOME", "/repo", "UAL_INGEST_PORT", "18080", "UAL_SERVICE_JAVA_OPTS", " -Xmx256m  -Dx=y "));
        assertEquals(List.of(Map.entry(Apps.INGEST, 18080), Map.entry(Apps.PROCESSOR, 8081),
                Map.entry(Apps.STUDY_APP, 8090), Map.entry(Apps.CONSOLE, 8070)), one.instances());
        assertEquals(List.of("-Xmx256m", "-Dx=y"), one.serviceJvmArgs());

        Pipeline.Settings many = Pipeline.Settings.fromEnv(
                Map.of("UAL_INGEST_PORT", "8080, 8082", "UAL_PROCESSOR_PORT", "8081,8083,8084"));
        assertEquals(List.of(Map.entry(Apps.INGEST, 8080), Map.entry(Apps.INGEST, 8082), Map.entry(Apps.PROCESSOR, 8081),
                Map.entry(Apps.PROCESSOR, 8083), Map.entry(Apps.PROCESSOR, 8084), Map.entry(Apps.STUDY_APP, 8090),
                Map.entry(Apps.CONSOLE, 8070)), many.instances());
    }

    @Test
    void instancesOfOneAppHaveTheirOwnNameLogAndProcessorIdentity() {
        Path data = Path.of("/data");
        Apps apps = new Apps(Path.of("/repo"), data, Map.of("SHARED", "1"), "127.0.0.1", List.of());

        ServiceProcess first = apps.add(Apps.PROCESSOR, 8081);
        ServiceProcess second = apps.add(Apps.PROCESSOR, 8083);
        ServiceProcess ingest = apps.add(Apps.INGEST, 8080);

        assertEquals(new ServiceSpec("stream-processor", Path.of("/repo/stream-processor/target/quarkus-app/quarkus-run.jar"),
                8081, "/q/health/ready"), first.spec());
        assertEquals("stream-processor-2", second.spec().name());
        assertEquals(data.resolve("logs/stream-processor-2.log"), second.logFile());
        assertEquals(Map.of("UAL_PROCESSOR_INSTANCE_ID", "stream-processor-2",
                "KAFKA_STREAMS_STATE_DIR", "/data/streams-state/stream-processor-2"),
                apps.instanceEnv(Apps.PROCESSOR, "stream-processor-2"));
        assertEquals("/repo/tables", apps.processEnv(Apps.PROCESSOR, "stream-processor-2").get(Apps.TABLES_DIR),
                "the repository's derived tables unless set");
        assertEquals(null, apps.processEnv(Apps.INGEST, "ingest-service").get(Apps.TABLES_DIR));
        assertEquals(Map.of(), apps.instanceEnv(Apps.INGEST, "ingest-service"));
        assertEquals(List.of(first, second), apps.of(Apps.PROCESSOR));
        assertEquals(ingest, apps.first(Apps.INGEST));
        assertEquals("/", Apps.healthPath(Apps.STUDY_APP));
    }

    @Test
    void anAppsOwnVariablesGoOverTheSharedOnesForItsInstancesUnlessItsCommandHasItsOwn() {
        Apps apps = new Apps(Path.of("/repo"), Path.of("/data"), Map.of("SHARED", "1", "KAFKA_USER", "shared"),
                "127.0.0.1", List.of());
        apps.env(Apps.PROCESSOR, Map.of("KAFKA_USER", "processor", "UAL_PROCESSOR_INSTANCE_ID", "overridden"))
                .env("replay", Map.of("KAFKA_USER", "replay"));

        Map<String, String> second = apps.processEnv(Apps.PROCESSOR, "stream-processor-2");
        assertEquals("processor", second.get("KAFKA_USER"));
        assertEquals("1", second.get("SHARED"));
        assertEquals("stream-processor-2", second.get("UAL_PROCESSOR_INSTANCE_ID"));
        assertEquals("replay", apps.processEnv(Apps.PROCESSOR, "replay").get("KAFKA_USER"));
        assertEquals("shared", apps.processEnv(Apps.INGEST, "ingest-service").get("KAFKA_USER"));
    }

    @Test
    void theIngestGetsTheDatabaseForItsStudiesLikeTheProcessor() {
        Map<String, String> servers = Servers.serviceEnv("127.0.0.1:9092", "jdbc:postgresql://127.0.0.1:5432/ual", "ual",
                "secret", "redis://127.0.0.1:6379");
        Apps apps = new Apps(Path.of("/repo"), Path.of("/data"), servers, "127.0.0.1", List.of());
        Map<String, String> ingest = apps.processEnv(Apps.INGEST, "ingest-service-2");
        for (String name : List.of("QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD")) {
            assertEquals(servers.get(name), ingest.get(name), name);
            assertEquals(servers.get(name), apps.processEnv(Apps.PROCESSOR, "stream-processor").get(name), name);
        }
    }

    @Test
    void aPortListWithAWordOrARepeatIsRejectedByName() {
        assertEquals("UAL_PROCESSOR_PORT=8081,x is not a number or a list of numbers", assertThrows(
                IllegalArgumentException.class, () -> Pipeline.Settings.fromEnv(Map.of("UAL_PROCESSOR_PORT", "8081,x")))
                .getMessage());
        assertEquals("UAL_INGEST_PORT=8080,8080 names a port twice", assertThrows(IllegalArgumentException.class,
                () -> Pipeline.Settings.fromEnv(Map.of("UAL_INGEST_PORT", "8080,8080"))).getMessage());
    }

    @Test
    void aPortThatIsNotANumberIsRejectedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Pipeline.Settings.fromEnv(Map.of("UAL_POSTGRES_PORT", "five")));
        assertEquals("UAL_POSTGRES_PORT=five is not a number", e.getMessage());
    }

    @Test
    void theProcessorsTablesDirIsTheRepositorysUnlessTheSharedOrItsOwnVariablesSetOne() {
        Apps shared = new Apps(Path.of("/repo"), Path.of("/data"), Map.of(Apps.TABLES_DIR, "/study/tables"),
                "127.0.0.1", List.of());
        assertEquals("/study/tables", shared.processEnv(Apps.PROCESSOR, "stream-processor").get(Apps.TABLES_DIR));
        assertEquals("/study/tables", shared.processEnv(Apps.PROCESSOR, "replay").get(Apps.TABLES_DIR));

        Apps own = new Apps(Path.of("/repo"), Path.of("/data"), Map.of(), "127.0.0.1", List.of())
                .env(Apps.PROCESSOR, Map.of(Apps.TABLES_DIR, "/test/tables"));
        assertEquals("/test/tables", own.processEnv(Apps.PROCESSOR, "stream-processor-2").get(Apps.TABLES_DIR));
        assertEquals("/test/tables", own.processEnv(Apps.PROCESSOR, "replay").get(Apps.TABLES_DIR),
                "the replay command reads the tables its processors write");
        own.env("replay", Map.of(Apps.TABLES_DIR, "/replay/tables"));
        assertEquals("/replay/tables", own.processEnv(Apps.PROCESSOR, "replay").get(Apps.TABLES_DIR));
    }
}
