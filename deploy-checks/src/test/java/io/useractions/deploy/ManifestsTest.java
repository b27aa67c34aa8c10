package io.useractions.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ManifestsTest {
    private static final Repo REPO = Repo.find();

    static Stream<String> overlays() {
        return Overlays.names(REPO).stream();
    }

    @Test
    void thereAreADevAndAProdOverlay() {
        assertTrue(Overlays.names(REPO).containsAll(List.of("dev", "prod")), Overlays.names(REPO).toString());
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void overlayRendersValidatesAndAgreesWithTheCode(String overlay) {
        List<Map<String, Object>> objects = Overlays.render(REPO, overlay);
        assertFalse(objects.isEmpty(), overlay + " rendered nothing");
        List<String> problems = Overlays.checks(REPO, overlay, objects).run();
        assertEquals(List.of(), problems, String.join("\n", problems));
    }

    @Test
    void prodIsHighlyAvailable() {
        List<Map<String, Object>> prod = Overlays.render(REPO, "prod");
        int brokers = K8s.ofKind(prod, "KafkaNodePool").stream()
                .mapToInt(p -> (Integer) Yamls.at(p, "spec", "replicas")).sum();
        assertEquals(3, brokers, "prod runs 3 Kafka nodes");
        for (Map<String, Object> topic : K8s.ofKind(prod, "KafkaTopic")) {
            assertEquals(3, Yamls.at(topic, "spec", "replicas"), K8s.id(topic));
            assertEquals(2, Yamls.at(topic, "spec", "config", "min.insync.replicas"), K8s.id(topic));
        }
        assertEquals(2, Yamls.at(K8s.find(prod, "Kafka", "ual-kafka").orElseThrow(), "spec", "kafka", "config",
                "min.insync.replicas"));
        assertTrue((Integer) Yamls.at(K8s.find(prod, "HorizontalPodAutoscaler", "ual-ingest").orElseThrow(),
                "spec", "minReplicas") >= 2, "prod keeps two ingest pods at least");
    }

    @Test
    void devIsASingleKafkaNode() {
        List<Map<String, Object>> dev = Overlays.render(REPO, "dev");
        assertEquals(1, Yamls.at(K8s.find(dev, "KafkaNodePool", "dual-role").orElseThrow(), "spec", "replicas"));
        assertEquals(1, Yamls.at(K8s.find(dev, "Kafka", "ual-kafka").orElseThrow(), "spec", "kafka", "config",
                "transaction.state.log.replication.factor"));
    }
}
