package io.useractions.ingest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import io.useractions.infra.LocalInfraTestResource;
import io.useractions.infra.corpus.SampleBatches;
import io.useractions.model.Action;
import io.useractions.model.Limits;
import io.useractions.model.RawRecords;
import io.useractions.model.Topics;

/** Sends batches with the demo key and reads back what reached the raw topic. */
public final class TestBatches {
    private TestBatches() {
    }

    /** A request with the demo study's write key. */
    public static RequestSpecification api() {
        return RestAssured.given().queryParam("key", SampleBatches.KEY);
    }

    /** Every record of the raw topic whose key is {@code session}, read until {@code expected} arrived or 10 s. */
    /** The session's raw records, read until they hold at least {@code expected} actions or 10 s passed. */
    public static List<ConsumerRecord<String, byte[]>> recordsOf(String session, int expected) {
        Properties props = new Properties();
        props.putAll(LocalInfraTestResource.infra().kafkaClientConfig());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        int actions = 0;
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
                        actions += RawRecords.decode(record.value(), Limits.DEFAULT).actions().size();
                    }
                }
                boolean caughtUp = consumer.endOffsets(partitions).entrySet().stream()
                        .allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
                if (caughtUp && actions >= expected) {
                    break;
                }
            }
        }
        return found;
    }

    /** The actions of raw records, in order. */
    public static List<Action> actionsIn(List<ConsumerRecord<String, byte[]>> records) {
        List<Action> actions = new ArrayList<>();
        records.forEach(record -> actions.addAll(RawRecords.decode(record.value(), Limits.DEFAULT).actions()));
        return actions;
    }
}
