package io.useractions.e2e;

import static io.useractions.e2e.FaultRun.check;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.core.ConditionTimeoutException;

import io.useractions.model.Action;
import io.useractions.model.Limits;
import io.useractions.model.RawRecords;
import io.useractions.model.RecordHeaders;
import io.useractions.model.Topics;

/**
 * What a fault run delivered, read back from the topics and the tables after the load drained: the ids
 * that got a 2xx must be exactly the ids in {@code ui_action}, once each, with a {@code mouse_position}
 * row for every pointer action; every raw record must have been routed exactly once; and Kafka Streams'
 * committed offsets and the sink's stored offsets must stand at the end of their topics, partition by
 * partition.
 */
final class DeliveryAudit {
    private final TestPipeline pipeline;
    private final FaultLoad load;
    private final List<String> failures;

    long rawRecords;
    long rawActions;
    final Map<UUID, Integer> rawCopies = new HashMap<>();
    long projectionRecords;
    long projectionDuplicates;
    long deadLetters;
    /** Partition of the projection topic → the offset after its last record. */
    final Map<Integer, Long> projectionEnd = new TreeMap<>();
    /** Partition of the raw topic → end offset, and what Kafka Streams committed for it. */
    final Map<Integer, Long> rawEnd = new TreeMap<>();
    final Map<Integer, Long> streamsCommitted = new TreeMap<>();
    final Map<Integer, Long> sinkStored = new TreeMap<>();
    long rows;
    long distinct;
    long pointerRows;
    long positions;
    long positionsWithoutAction;
    long pointersWithoutPosition;
    long ackedMissing;
    long storedNeverSent;
    long storedNotAcked;
    long copiesAfter503;

    private DeliveryAudit(TestPipeline pipeline, FaultLoad load, List<String> failures) {
        this.pipeline = pipeline;
        this.load = load;
        this.failures = failures;
    }

    /** Reads the topics and tables and adds every failed check to {@code failures}. */
    static DeliveryAudit of(TestPipeline pipeline, FaultLoad load, List<String> failures) throws Exception {
        DeliveryAudit audit = new DeliveryAudit(pipeline, load, failures);
        audit.readTopics();
        audit.awaitSinkAtEnd();
        audit.readTables();
        audit.checkDelivery();
        return audit;
    }

    Set<UUID> rawIds() {
        return rawCopies.keySet();
    }

    /**
     * Waits until Kafka Streams committed the raw topic up to its current end, then reads the raw topic
     * to that end, and the projection topic (committed transactions only) and the dead letters for the
     * raw records below it.
     */
    private void readTopics() throws Exception {
        Map<TopicPartition, Long> rawEnds;
        try (KafkaConsumer<String, byte[]> consumer = consumer(false)) {
            rawEnds = consumer.endOffsets(partitions(consumer, Topics.RAW));
        }
        rawEnds.forEach((partition, end) -> rawEnd.put(partition.partition(), end));
        try (Admin admin = pipeline.infra.kafka().admin()) {
            await("Kafka Streams to commit the raw topic to " + rawEnd).atMost(Duration.ofSeconds(60)).until(() -> {
                try {
                    Map<TopicPartition, OffsetAndMetadata> committed = admin
                            .listConsumerGroupOffsets(FaultRun.STREAMS_APPLICATION_ID).partitionsToOffsetAndMetadata()
                            .get(10, TimeUnit.SECONDS);
                    streamsCommitted.clear();
                    committed.forEach((partition, offset) -> {
                        if (partition.topic().equals(Topics.RAW)) {
                            streamsCommitted.put(partition.partition(), offset.offset());
                        }
                    });
                    // A partition no session hashed to has nothing to commit.
                    return rawEnd.entrySet().stream().allMatch(e -> e.getValue() == 0
                            || streamsCommitted.getOrDefault(e.getKey(), -1L) >= e.getValue());
                } catch (Exception e) {
                    return false;
                }
            });
        } catch (ConditionTimeoutException e) {
            failures.add(e.getMessage());
        }
        scan(Topics.RAW, false, rawEnds, record -> {
            rawRecords++;
            for (Action action : RawRecords.decode(record.value(), Limits.DEFAULT).actions()) {
                rawActions++;
                rawCopies.merge(action.id(), 1, Integer::sum);
            }
        });
        Set<String> sources = new HashSet<>();
        scan(Topics.PROJECTION, true, null, record -> {
            projectionEnd.merge(record.partition(), record.offset() + 1, Math::max);
            if (belowEnd(record, rawEnds)) {
                projectionRecords++;
                sources.add(header(record, RecordHeaders.SOURCE_PARTITION) + "@" + header(record, RecordHeaders.SOURCE_OFFSET));
            }
        });
        projectionDuplicates = projectionRecords - sources.size();
        scan(Topics.DEAD_LETTER, true, null, record -> deadLetters += belowEnd(record, rawEnds) ? 1 : 0);
    }

    /** Waits until the offsets the sink stored with its rows reached the projection topic's last records. */
    private void awaitSinkAtEnd() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        do {
            sinkStored.clear();
            pipeline.rows("select partition, next_offset from projection_offset where topic = ?", Topics.PROJECTION)
                    .forEach(row -> sinkStored.put((Integer) row.get("partition"), (Long) row.get("next_offset")));
            if (projectionEnd.entrySet().stream().allMatch(e -> sinkStored.getOrDefault(e.getKey(), 0L) >= e.getValue())) {
                return;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        failures.add("the sink did not reach the end of the projection topic " + projectionEnd + "; it stored " + sinkStored);
    }

    private void readTables() {
        Set<UUID> stored = new HashSet<>();
        pipeline.rows("select id from ui_action").forEach(row -> stored.add((UUID) row.get("id")));
        rows = pipeline.query("select count(*) from ui_action");
        distinct = pipeline.query("select count(distinct id) from ui_action");
        pointerRows = pipeline.query("select count(*) from ui_action where x is not null");
        positions = pipeline.query("select count(*) from mouse_position");
        positionsWithoutAction = pipeline.query("""
                select count(*) from mouse_position m where not exists (select 1 from ui_action a where a.id = m.action_id)""");
        pointersWithoutPosition = pipeline.query("""
                select count(*) from ui_action a where a.x is not null
                 and not exists (select 1 from mouse_position m where m.action_id = a.id)""");
        ackedMissing = load.acked.stream().filter(id -> !stored.contains(id)).count();
        storedNeverSent = stored.stream().filter(id -> !load.sent.contains(id)).count();
        storedNotAcked = stored.stream().filter(id -> !load.acked.contains(id)).count();
        long rawNotStored = rawIds().stream().filter(id -> !stored.contains(id)).count();
        long storedNotRaw = stored.stream().filter(id -> !rawIds().contains(id)).count();
        copiesAfter503 = load.answered503.stream().mapToLong(id -> rawCopies.getOrDefault(id, 0) - 1).sum();
        check(failures, ackedMissing == 0, ackedMissing + " acknowledged actions are missing from ui_action");
        check(failures, storedNeverSent == 0, storedNeverSent + " stored actions were never sent");
        check(failures, stored.equals(load.acked), "the stored ids differ from the acknowledged ids");
        check(failures, rawNotStored == 0 && storedNotRaw == 0, rawNotStored + " ids of the raw topic are not stored, "
                + storedNotRaw + " stored ids are not on the raw topic");
    }

    private void checkDelivery() {
        check(failures, rows == distinct, (rows - distinct) + " duplicate rows in ui_action");
        check(failures, pointerRows == positions && positions == load.ackedPointers.get(),
                "pointer actions in ui_action " + pointerRows + ", mouse_position rows " + positions
                        + ", acknowledged pointer actions " + load.ackedPointers.get());
        check(failures, positionsWithoutAction == 0 && pointersWithoutPosition == 0, positionsWithoutAction
                + " mouse positions without an action, " + pointersWithoutPosition + " pointer actions without a position");
        check(failures, projectionRecords + deadLetters == rawRecords, "raw records " + rawRecords + " were routed to "
                + projectionRecords + " projection records and " + deadLetters + " dead letters");
        check(failures, projectionDuplicates == 0, projectionDuplicates + " raw records were routed more than once");
        check(failures, deadLetters == 0, deadLetters + " dead letters");
        check(failures, rawActions > rawIds().size(),
                "no duplicate reached Kafka, so the database's dedupe was never exercised");
        rawEnd.forEach((partition, end) -> check(failures, end == 0 || streamsCommitted.getOrDefault(partition, -1L).equals(end),
                "Kafka Streams committed raw partition " + partition + " at " + streamsCommitted.get(partition)
                        + ", not at its end " + end));
        projectionEnd.forEach((partition, end) -> check(failures, sinkStored.getOrDefault(partition, -1L).equals(end),
                "the sink stored projection partition " + partition + " at " + sinkStored.get(partition)
                        + ", not after its last record " + end));
    }

    /** The audit's lines of the report. */
    void report(FaultReport report) {
        report.line("raw topic", "%,d records of %,d actions, %,d distinct ids: %,d duplicates reached Kafka, %,d of "
                        + "them copies of actions first answered 503", rawRecords, rawActions, rawIds().size(),
                        rawActions - rawIds().size(),
                        copiesAfter503)
                .line("routing", "%,d projection records (read_committed), %,d routed twice, %,d dead letters",
                        projectionRecords, projectionDuplicates, deadLetters)
                .line("stored", "%,d rows in ui_action, %,d distinct ids: %,d duplicates", rows, distinct, rows - distinct)
                .line("id sets", "acked-but-missing %,d, stored-but-never-sent %,d, stored-but-not-acked %,d",
                        ackedMissing, storedNeverSent, storedNotAcked)
                .line("mouse_position", "%,d rows; pointer actions in ui_action %,d; orphans %,d / %,d", positions,
                        pointerRows, positionsWithoutAction, pointersWithoutPosition)
                .line("offsets", "raw end %s, Streams committed %s; projection end %s, sink stored %s", rawEnd,
                        streamsCommitted, projectionEnd, sinkStored);
    }

    /** Reads a topic from the beginning to {@code until} (null: to its end now), every record below it. */
    private void scan(String topic, boolean readCommitted, Map<TopicPartition, Long> until,
            Consumer<ConsumerRecord<String, byte[]>> each) {
        try (KafkaConsumer<String, byte[]> consumer = consumer(readCommitted)) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = until != null ? until : consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to " + end);
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() < end.get(new TopicPartition(topic, record.partition()))) {
                        each.accept(record);
                    }
                }
            }
        }
    }

    /** Whether a routed record came from a raw record below {@code rawEnd}; one without its source counts. */
    private static boolean belowEnd(ConsumerRecord<?, ?> routed, Map<TopicPartition, Long> rawEnd) {
        try {
            int partition = Integer.parseInt(header(routed, RecordHeaders.SOURCE_PARTITION));
            long offset = Long.parseLong(header(routed, RecordHeaders.SOURCE_OFFSET));
            return offset < rawEnd.getOrDefault(new TopicPartition(Topics.RAW, partition), Long.MAX_VALUE);
        } catch (NumberFormatException e) {
            return true;
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
        return consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    private KafkaConsumer<String, byte[]> consumer(boolean readCommitted) {
        Properties props = new Properties();
        props.putAll(pipeline.infra.kafkaClientConfig());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? "?" : new String(header.value(), StandardCharsets.UTF_8);
    }
}
