package io.useractions.testing;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a topic in a test from its beginning to its end as it stands when the read starts (or to given
 * offsets), keys as text and values as bytes, committed transactions only unless told otherwise. The
 * partitions are assigned, so no group is involved, unless {@link #inGroup} asks for a subscription in a
 * new group (the broker then checks the group's ACL too). A read that does not reach its end within a
 * minute fails.
 */
public final class TopicReader {
    private static final Duration READ_LIMIT = Duration.ofSeconds(60);

    private final Map<String, Object> config;
    private final boolean inGroup;

    private TopicReader(Map<String, Object> config, boolean inGroup) {
        this.config = config;
        this.inGroup = inGroup;
    }

    /** A reader with these client settings (bootstrap servers, security), reading committed transactions only. */
    public static TopicReader of(Map<String, ?> clientConfig) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        return new TopicReader(config, false);
    }

    /** The same reader, also reading records of open and aborted transactions. */
    public TopicReader readUncommitted() {
        Map<String, Object> changed = new HashMap<>(config);
        changed.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        return new TopicReader(changed, inGroup);
    }

    /** The same reader, subscribing in a new group named {@code prefix} and a random suffix. */
    public TopicReader inGroup(String prefix) {
        Map<String, Object> changed = new HashMap<>(config);
        changed.put(ConsumerConfig.GROUP_ID_CONFIG, prefix + UUID.randomUUID());
        return new TopicReader(changed, true);
    }

    /** The end offset of each partition of the topic (with read_committed, the last stable offset). */
    public Map<TopicPartition, Long> endOffsets(String topic) {
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            return consumer.endOffsets(partitions(consumer, topic));
        }
    }

    /** Every record of the topic, from its beginning to its end now. */
    public List<ConsumerRecord<String, byte[]>> toEnd(String topic) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        read(topic, null, records::add);
        return records;
    }

    /** Every record of the topic from its beginning to {@code until} (null: its end now), in partition order. */
    public void read(String topic, Map<TopicPartition, Long> until, Consumer<ConsumerRecord<String, byte[]>> each) {
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            Map<TopicPartition, Long> end = until != null ? until : consumer.endOffsets(partitions(consumer, topic));
            if (inGroup) {
                consumer.subscribe(List.of(topic));
            } else {
                consumer.assign(end.keySet());
                consumer.seekToBeginning(end.keySet());
            }
            readTo(consumer, end, each);
        }
    }

    /** The records of one partition in [{@code from}, {@code to}). */
    public List<ConsumerRecord<String, byte[]>> range(TopicPartition partition, long from, long to) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            consumer.assign(List.of(partition));
            consumer.seek(partition, from);
            readTo(consumer, Map.of(partition, to), records::add);
        }
        return records;
    }

    private static void readTo(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> end,
            Consumer<ConsumerRecord<String, byte[]>> each) {
        await("reading to " + end).atMost(READ_LIMIT).pollInSameThread().pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(1)).until(() -> {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                        if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
                            each.accept(record);
                        }
                    }
                    Set<TopicPartition> assigned = consumer.assignment();
                    return assigned.containsAll(end.keySet())
                            && end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
                });
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
        return consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    private KafkaConsumer<String, byte[]> consumer() {
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }
}
