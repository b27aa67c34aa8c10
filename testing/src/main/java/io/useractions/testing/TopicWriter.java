package io.useractions.testing;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Records into a test broker, as the ingest service writes them: keys as text, acks=all, idempotent. */
public final class TopicWriter {
    private TopicWriter() {
    }

    /** A producer with these client settings (bootstrap servers, security) that waits for every replica. */
    public static KafkaProducer<String, byte[]> producer(Map<String, ?> clientConfig) {
        Map<String, Object> props = new HashMap<>(clientConfig);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    /** Sends one record with a UTF-8 value and waits up to 30 s for its acknowledgement. */
    public static void send(Map<String, ?> clientConfig, String topic, String key, String value) throws Exception {
        try (KafkaProducer<String, byte[]> producer = producer(clientConfig)) {
            producer.send(new ProducerRecord<>(topic, key, value.getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
        }
    }
}
