package io.useractions.deploy;

import static io.useractions.deploy.BrokenManifestsTest.object;
import static io.useractions.deploy.Yamls.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docker-compose.yml's kafka-topics commands and every overlay's Strimzi KafkaTopics make the pipeline's
 * topics as Topics.SPECS says (the specification the Java creator follows), and each difference of a broken
 * copy is reported by topic and setting.
 */
class TopicManifestsTest {
    private static final Repo REPO = Repo.find();
    private static final String RAW_LINE = "--topic \"$$RAW_TOPIC\" --partitions \"$$PARTITIONS\" --replication-factor 1";
    private static final String DLQ_LINE = "--topic \"$$DEAD_LETTER_TOPIC\" --partitions 1 --replication-factor 1";

    static Stream<String> overlays() {
        return Overlays.names(REPO).stream();
    }

    private static List<String> composeProblems(String composeText) {
        return new ComposeChecks(REPO, composeText, REPO.read(".env.example")).topicProblems();
    }

    private static void assertComposeReports(UnaryOperator<String> edit, String... expected) {
        String original = REPO.read("docker-compose.yml");
        String broken = edit.apply(original);
        assertNotEquals(original, broken, "the breakage changed nothing: fix the test's text");
        assertEquals(List.of(expected), composeProblems(broken));
    }

    private static void assertOverlayReports(String overlay, Consumer<List<Map<String, Object>>> breakage, String... expected) {
        List<Map<String, Object>> objects = Overlays.render(REPO, overlay);
        breakage.accept(objects);
        assertEquals(List.of(expected), TopicChecks.kafkaTopics(objects));
    }

    private static Map<String, Object> spec(List<Map<String, Object>> objects, String topic) {
        return map(object(objects, "KafkaTopic", topic).get("spec"));
    }

    @Test
    void composeCreatesTheSpecifiedTopics() {
        List<String> problems = composeProblems(REPO.read("docker-compose.yml"));
        assertEquals(List.of(), problems, String.join("\n", problems));
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void overlayKafkaTopicsAreTheSpecifiedTopics(String overlay) {
        List<String> problems = TopicChecks.kafkaTopics(Overlays.render(REPO, overlay));
        assertEquals(List.of(), problems, String.join("\n", problems));
    }

    @Test
    void composeConfigThatDiffersIsNamed() {
        assertComposeReports(c -> c.replace(RAW_LINE + " --config cleanup.policy=delete", RAW_LINE + " --config cleanup.policy=compact"),
                "kafka-topics --topic ui-actions: cleanup.policy=compact, Topics.SPECS says cleanup.policy=delete");
        assertComposeReports(c -> c.replaceFirst("(--topic \"\\$\\$RAW_TOPIC\" .*) --config retention.ms=-1", "$1"),
                "kafka-topics --topic ui-actions: no retention.ms, Topics.SPECS says retention.ms=-1");
        assertComposeReports(c -> c.replace(DLQ_LINE, DLQ_LINE + " --config segment.ms=60000"),
                "kafka-topics --topic ui-actions-dlq: segment.ms=60000 is not in Topics.SPECS");
    }

    @Test
    void composePartitionsAndReplicationThatDifferAreNamed() {
        assertComposeReports(c -> c.replace("${UAL_TOPIC_PARTITIONS:-12}", "${UAL_TOPIC_PARTITIONS:-3}"),
                "kafka-topics --topic ui-actions: 3 partitions, Topics.SPECS says 12 (Topics.DEFAULT_PARTITIONS)",
                "kafka-topics --topic ui-actions-projection: 3 partitions, Topics.SPECS says 12 (Topics.DEFAULT_PARTITIONS)");
        assertComposeReports(c -> c.replace(DLQ_LINE, DLQ_LINE.replace("--partitions 1", "--partitions 2")),
                "kafka-topics --topic ui-actions-dlq: 2 partitions, Topics.SPECS says 1");
        assertComposeReports(c -> c.replace(DLQ_LINE, DLQ_LINE.replace("--replication-factor 1", "--replication-factor 3")),
                "kafka-topics --topic ui-actions-dlq: 3 replicas, the cluster's default.replication.factor is 1 "
                        + "(a topic takes its cluster's replication)");
    }

    @Test
    void composeTopicMisspeltOrMissingIsNamed() {
        assertComposeReports(c -> c.replace("PROJECTION_TOPIC: ui-actions-projection", "PROJECTION_TOPIC: ui-action-projection"),
                "kafka-topics's commands create no ui-actions-projection (Topics.SPECS)",
                "kafka-topics --topic ui-action-projection: ui-action-projection is none of the pipeline's topics "
                        + "[ui-actions, ui-actions-projection, ui-actions-dlq] (Topics.SPECS)");
        assertComposeReports(c -> c.replaceFirst("\n[^\n]*--create[^\n]*\\$\\$DEAD_LETTER_TOPIC[^\n]*", ""),
                "kafka-topics's commands create no ui-actions-dlq (Topics.SPECS)");
    }

    @Test
    void kafkaTopicConfigThatDiffersIsNamed() {
        assertOverlayReports("dev", o -> map(spec(o, "ui-actions-dlq").get("config")).put("retention.ms", 604800000),
                "KafkaTopic ui-actions-dlq: retention.ms=604800000, Topics.SPECS says retention.ms=-1");
        assertOverlayReports("prod", o -> map(spec(o, "ui-actions-projection").get("config")).remove("cleanup.policy"),
                "KafkaTopic ui-actions-projection: no cleanup.policy, Topics.SPECS says cleanup.policy=delete");
        assertOverlayReports("prod", o -> map(spec(o, "ui-actions-projection").get("config")).put("retention.ms", -1),
                "KafkaTopic ui-actions-projection: retention.ms=-1 is not in Topics.SPECS");
    }

    @Test
    void kafkaTopicPartitionsAndReplicationThatDifferAreNamed() {
        assertOverlayReports("prod", o -> spec(o, "ui-actions").put("partitions", 4),
                "KafkaTopic ui-actions: 4 partitions, Topics.SPECS says 12 (Topics.DEFAULT_PARTITIONS)");
        assertOverlayReports("prod", o -> spec(o, "ui-actions-dlq").put("replicas", 2),
                "KafkaTopic ui-actions-dlq: 2 replicas, the cluster's default.replication.factor is 3 "
                        + "(a topic takes its cluster's replication)");
        assertOverlayReports("dev", o -> map(spec(o, "ui-actions").get("config")).put("min.insync.replicas", 2),
                "KafkaTopic ui-actions: min.insync.replicas=2, the cluster's is 1 (a topic takes its cluster's replication)");
    }

    @Test
    void kafkaTopicMisspeltIsNamed() {
        assertOverlayReports("dev", o -> spec(o, "ui-actions-projection").put("topicName", "ui-action-projection"),
                "the KafkaTopics create no ui-actions-projection (Topics.SPECS)",
                "KafkaTopic ui-actions-projection: ui-action-projection is none of the pipeline's topics "
                        + "[ui-actions, ui-actions-projection, ui-actions-dlq] (Topics.SPECS)");
    }
}
