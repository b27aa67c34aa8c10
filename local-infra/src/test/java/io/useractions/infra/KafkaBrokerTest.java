package io.useractions.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.useractions.testing.TestDirs;
import io.useractions.testing.TopicReader;
import io.useractions.testing.TopicWriter;

class KafkaBrokerTest {

    private static KafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        // after a kill the restarted broker waits for its old registration to expire; the default is 9 s
        broker = new KafkaBroker(TestDirs.fresh("kafka"), 0, 0, "256m",
                Map.of("broker.session.timeout.ms", "4000", "broker.heartbeat.interval.ms", "1000"), false).start();
    }

    @AfterAll
    static void stopBroker() {
        broker.stop();
    }

    @Test
    void recordProducedWithAcksAllIsConsumedBack() throws Exception {
        broker.createTopic("acks-all", 2, Map.of("retention.ms", "-1"));
        broker.createTopic("acks-all", 2, Map.of("retention.ms", "-1"));

        produce("acks-all", "k1", "hello");

        assertEquals(List.of("hello"), values("acks-all"));
        assertEquals(2, describe("acks-all").partitions().size());
    }

    @Test
    void topicAndRecordSurviveStopAndStartOnTheSameDataDir() throws Exception {
        broker.createTopic("restart", 3, Map.of());
        produce("restart", "k", "before restart");

        broker.stop();
        assertFalse(broker.isRunning());
        broker.start();

        assertEquals(3, describe("restart").partitions().size());
        assertEquals(List.of("before restart"), values("restart"));
    }

    @Test
    void brokerStartsAgainAfterKillAndKeepsAcknowledgedRecords() throws Exception {
        broker.createTopic("crash", 1, Map.of());
        produce("crash", "k", "acked before the crash");

        broker.kill();
        assertFalse(broker.isRunning());
        broker.start();
        assertTrue(broker.isRunning());

        produce("crash", "k", "after the crash");
        assertEquals(List.of("acked before the crash", "after the crash"), values("crash"));
    }

    private TopicDescription describe(String topic) throws Exception {
        try (Admin admin = broker.admin()) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic);
        }
    }

    private static void produce(String topic, String key, String value) throws Exception {
        TopicWriter.send(broker.clientConfig(), topic, key, value);
    }

    private static List<String> values(String topic) {
        return TopicReader.of(broker.clientConfig()).toEnd(topic).stream()
                .map(record -> new String(record.value(), StandardCharsets.UTF_8)).toList();
    }
}
