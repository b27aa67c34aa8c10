package io.useractions.ingest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import io.useractions.infra.LocalInfraTestResource;
import io.useractions.model.Topics;

/** Builds v1 batches and reads back what reached the raw topic. */
public final class TestBatches {
    /** The demo study's local-development write key. */
    public static final String KEY = "demo-local-dev-key";

    private TestBatches() {
    }

    /** A request with the demo study's write key. */
    public static RequestSpecification api() {
        return RestAssured.given().queryParam("key", KEY);
    }

    public static String action(UUID id, int seq) {
        return """
                {"id":"%s","seq":%d,"type":"pointermove","t":%d,"t_mono":%d.5,"url":"http://127.0.0.1:8090/",
                 "x":%d,"y":%d,"page_x":%d,"page_y":%d,"screen_x":%d,"screen_y":%d,"vw":1280,"vh":800}"""
                .formatted(id, seq, 1764412800000L + seq, seq, seq, seq + 1, seq, seq + 100, seq + 50, seq + 151);
    }

    public static String batch(String session, List<UUID> ids) {
        String actions = IntStream.range(0, ids.size()).mapToObj(i -> action(ids.get(i), i + 1))
                .collect(Collectors.joining(","));
        return """
                {"study":"demo","participant":"p-001","session":"%s","condition":"A","sent_at":1764412800999,
                 "context":{"user_agent":"test","screen_w":1920,"screen_h":1080,"dpr":1},"actions":[%s]}"""
                .formatted(session, actions);
    }

    public static List<UUID> ids(int n) {
        return IntStream.range(0, n).mapToObj(i -> UUID.randomUUID()).toList();
    }

    /** Every record of the raw topic whose key is {@code session}, read until {@code expected} arrived or 10 s. */
    public static List<ConsumerRecord<String, byte[]>> recordsOf(String session, int expected) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalInfraTestResource.infra().kafkaBootstrap());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.RAW).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (session.equals(record.key())) {
                        found.add(record);
                    }
                }
                boolean caughtUp = consumer.endOffsets(partitions).entrySet().stream()
                        .allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
                if (caughtUp && found.size() >= expected) {
                    break;
                }
            }
        }
        return found;
    }
}
