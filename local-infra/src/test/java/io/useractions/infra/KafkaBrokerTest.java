package io.useractions.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

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

    /** How a broker goes down: shut down in its own way, or killed as a crash would. */
    enum Down {
        STOP(KafkaBroker::stop),
        KILL(KafkaBroker::kill);

        private final Consumer<KafkaBroker> action;

        Down(Consumer<KafkaBroker> action) {
            this.action = action;
        }
    }

    @ParameterizedTest
    @EnumSource(Down.class)
    void brokerStartsAgainOnTheSameDataDirWithItsTopicsAndAcknowledgedRecords(Down down) throws Exception {
        String topic = "down-" + down.name().toLowerCase(Locale.ROOT);
        broker.createTopic(topic, 3, Map.of());
        produce(topic, "k", "acked before going down");

        down.action.accept(broker);
        assertFalse(broker.isRunning());
        broker.start();
        assertTrue(broker.isRunning());

        produce(topic, "k", "after the start");
        assertEquals(3, describe(topic).partitions().size());
        assertEquals(List.of("acked before going down", "after the start"), values(topic));
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
