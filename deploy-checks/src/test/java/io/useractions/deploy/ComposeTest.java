package io.useractions.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

/** docker-compose.yml passes the cross-checks, and broken copies of it do not. */
class ComposeTest {
    private static final Repo REPO = Repo.find();

    private static List<String> check(UnaryOperator<String> composeEdit, UnaryOperator<String> envEdit) {
        return new ComposeChecks(REPO, composeEdit.apply(REPO.read("docker-compose.yml")),
                envEdit.apply(REPO.read(".env.example"))).run();
    }

    private static void assertReported(UnaryOperator<String> composeEdit, String expected) {
        assertReported(composeEdit, UnaryOperator.identity(), expected);
    }

    private static void assertReported(UnaryOperator<String> composeEdit, UnaryOperator<String> envEdit, String expected) {
        String original = REPO.read("docker-compose.yml");
        if (composeEdit.apply(original).equals(original) && envEdit.apply(REPO.read(".env.example")).equals(REPO.read(".env.example"))) {
            throw new AssertionError("the breakage changed nothing: fix the test's text");
        }
        List<String> problems = check(composeEdit, envEdit);
        assertTrue(problems.stream().anyMatch(p -> p.contains(expected)),
                "expected a problem containing '" + expected + "', got:\n" + String.join("\n", problems));
    }

    @Test
    void composeFileAgreesWithTheCode() {
        List<String> problems = check(UnaryOperator.identity(), UnaryOperator.identity());
        assertEquals(List.of(), problems, String.join("\n", problems));
    }

    @Test
    void everyServiceHasItsServer() {
        Map<String, Object> services = new ComposeChecks(REPO, REPO.read("docker-compose.yml"), REPO.read(".env.example")).services();
        assertTrue(services.keySet().containsAll(List.of("kafka", "kafka-topics", "postgres", "redis", "ingest-service",
                "stream-processor", "study-app")), services.keySet().toString());
    }

    @Test
    void wrongPort() {
        assertReported(c -> c.replace("${UAL_INGEST_PORT:-8080}:8080", "${UAL_INGEST_PORT:-8080}:8088"),
                "ingest-service: publishes container port 8088 but ingest-service listens on 8080");
        assertReported(c -> c.replace("http://127.0.0.1:8081/q/health/ready", "http://127.0.0.1:8080/q/health/ready"),
                "stream-processor: healthcheck on port 8080 but stream-processor listens on 8081");
    }

    @Test
    void unknownEnvironmentVariable() {
        assertReported(c -> c.replace("      UAL_PROCESSOR_TOPICS_CREATE: \"false\"\n      JAVA_OPTS",
                "      UAL_PROCESSOR_TOPICS_CREATE: \"false\"\n      UAL_PROCESSOR_SINK_MAX_POLL_RECORD: \"100\"\n      JAVA_OPTS"),
                "UAL_PROCESSOR_SINK_MAX_POLL_RECORD maps to no configuration property of stream-processor");
    }

    @Test
    void replayServiceRunningNoCommandOfTheProcessor() {
        assertReported(c -> c.replace("command: [\"replay\"]", "command: [\"replays\"]"),
                "replay: runs stream-processor with [replays], which is no command of it (commands: [replay])");
    }

    @Test
    void shortStopGracePeriod() {
        assertReported(c -> c.replace("stop_grace_period: 45s", "stop_grace_period: 20s"),
                "stop_grace_period 20s is not longer than quarkus.shutdown.timeout (30s)");
    }

    @Test
    void envExampleOutOfStep() {
        assertReported(UnaryOperator.identity(), e -> e.replace("UAL_DEMO_ORIGINS=", "#UAL_DEMO_ORIGINS="),
                "${UAL_DEMO_ORIGINS} is read but missing from .env.example");
        assertReported(UnaryOperator.identity(), e -> e.replace("UAL_DB_USER=ual", "UAL_DB_USER=postgres"),
                ".env.example sets UAL_DB_USER=postgres, the compose default is ual");
    }

    @Test
    void kafkaImageAtAnotherVersion() {
        assertReported(c -> c.replace("image: apache/kafka:4.1.2\n    hostname", "image: apache/kafka:4.0.0\n    hostname"),
                "kafka runs apache/kafka:4.0.0, the clients are 4.1.2");
    }

    @Test
    void imageTheBuildDoesNotProduce() {
        assertReported(c -> c.replace("context: ./study-app", "context: ./study"), "study-app: builds from ./study");
        assertReported(c -> c.replace("image: ual/study-app:${UAL_VERSION:-1.0.0-SNAPSHOT}", "image: ual/study-app:latest"),
                "image ual/study-app:latest is not tagged with the project's version");
    }

    @Test
    void serviceStartedBeforeItsTopics() {
        assertReported(c -> c.replaceFirst("kafka-topics:\n        condition: service_completed_successfully",
                "kafka-topics:\n        condition: service_started"),
                "ingest-service must wait for kafka-topics to complete");
    }
}
