package io.useractions.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class KafkaBrokerTest {

    private static KafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.builder()
                .dataDir(TestDirs.fresh("kafka"))
                .maxHeap("256m")
                // after a kill the restarted broker waits for its old registration to expire; the default is 9 s
                .property("broker.session.timeout.ms", "4000")
                .property("broker.heartbeat.interval.ms", "1000")
                .build()
                .start();
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

        assertEquals(List.of("hello"), consumeAll("acks-all", 1));
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
        assertEquals(List.of("before restart"), consumeAll("restart", 1));
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
        assertEquals(List.of("acked before the crash", "after the crash"), consumeAll("crash", 2));
    }

    private TopicDescription describe(String topic) throws Exception {
        try (Admin admin = broker.admin()) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic);
        }
    }

    private static void produce(String topic, String key, String value) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        }
    }

    /** Reads the topic from the beginning in a new consumer group until {@code expected} values arrived. */
    private static List<String> consumeAll(String topic, int expected) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }
}
