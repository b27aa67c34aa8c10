package io.useractions.e2e;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.assertj.core.api.SoftAssertions;
import org.awaitility.core.ConditionTimeoutException;

import io.useractions.e2e.FaultLoad.Count;
import io.useractions.model.Action;
import io.useractions.model.Limits;
import io.useractions.model.RawRecords;
import io.useractions.model.RecordHeaders;
import io.useractions.model.Topics;
import io.useractions.model.crypto.SealedRecords;
import io.useractions.model.trial.Trial;
import io.useractions.research.export.ExportFilter;
import io.useractions.research.export.ExportRequest;
import io.useractions.research.export.Exporter;
import io.useractions.testing.TopicReader;

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
    private final SoftAssertions softly;
    private final TopicReader topics;

    long rawRecords;
    long rawActions;
    final Map<UUID, Integer> rawCopies = new HashMap<>();
    long projectionRecords;
    /** Projection records that hold a row of trial or session_summary rather than a raw record. */
    long sessionRows;
    long trialRows;
    long summaryRows;
    long lateActions;
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

    private DeliveryAudit(TestPipeline pipeline, FaultLoad load, SoftAssertions softly) {
        this.pipeline = pipeline;
        this.load = load;
        this.softly = softly;
        this.topics = TopicReader.of(pipeline.infra.kafkaClientConfig());
    }

    /** Reads the topics and tables and collects every failed check in {@code softly}. */
    static DeliveryAudit of(TestPipeline pipeline, FaultLoad load, SoftAssertions softly) {
        DeliveryAudit audit = new DeliveryAudit(pipeline, load, softly);
        long begin = System.nanoTime();
        audit.readTopics();
        TestPipeline.phase("audit: topics read", begin);
        long step = System.nanoTime();
        audit.awaitSinkAtEnd();
        TestPipeline.phase("audit: sink at the end", step);
        step = System.nanoTime();
        audit.readTables();
        audit.checkDelivery();
        TestPipeline.phase("audit: tables read and checked", step);
        step = System.nanoTime();
        audit.checkSessionTables();
        TestPipeline.phase("audit: session tables compared", step);
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
    private void readTopics() {
        long begin = System.nanoTime();
        Map<TopicPartition, Long> rawEnds = topics.readUncommitted().endOffsets(Topics.RAW);
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
            softly.fail(e.getMessage());
        }
        TestPipeline.phase("audit: Streams committed the raw topic", begin);
        // No participant withdraws in a fault run, so a key read once stays good for the whole audit.
        SealedRecords.Keys keys = pipeline.keys(Duration.ofMinutes(10));
        topics.readUncommitted().read(Topics.RAW, rawEnds, record -> {
            rawRecords++;
            for (Action action : RawRecords.decode(SealedRecords.open(record.value(), keys), Limits.DEFAULT).actions()) {
                rawActions++;
                rawCopies.merge(action.id(), 1, Integer::sum);
            }
        });
        Set<String> sources = new HashSet<>();
        topics.read(Topics.PROJECTION, null, record -> {
            projectionEnd.merge(record.partition(), record.offset() + 1, Math::max);
            if (record.headers().lastHeader(RecordHeaders.TABLE) != null) {
                sessionRows++;
            } else if (belowEnd(record, rawEnds)) {
                projectionRecords++;
                sources.add(header(record, RecordHeaders.SOURCE_PARTITION) + "@" + header(record, RecordHeaders.SOURCE_OFFSET));
            }
        });
        projectionDuplicates = projectionRecords - sources.size();
        topics.read(Topics.DEAD_LETTER, null, record -> deadLetters += belowEnd(record, rawEnds) ? 1 : 0);
    }

    /** Waits until the offsets the sink stored with its rows reached the projection topic's last records. */
    private void awaitSinkAtEnd() {
        try {
            await("the sink to reach the end of the projection topic " + projectionEnd).atMost(Duration.ofSeconds(60))
                    .pollDelay(Duration.ZERO).until(() -> {
                        sinkStored.clear();
                        pipeline.rows("select partition, next_offset from projection_offset where topic = ?",
                                Topics.PROJECTION).forEach(row -> sinkStored.put((Integer) row.get("partition"),
                                        (Long) row.get("next_offset")));
                        return projectionEnd.entrySet().stream()
                                .allMatch(e -> sinkStored.getOrDefault(e.getKey(), 0L) >= e.getValue());
                    });
        } catch (ConditionTimeoutException e) {
            softly.fail(e.getMessage() + "; it stored " + sinkStored);
        }
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
        // the first and third together: the stored ids are exactly the acknowledged ids
        softly.assertThat(ackedMissing).as("acknowledged actions missing from ui_action").isZero();
        softly.assertThat(storedNeverSent).as("stored actions that were never sent").isZero();
        softly.assertThat(storedNotAcked).as("stored actions that were never acknowledged").isZero();
        softly.assertThat(rawNotStored).as("ids of the raw topic that are not stored").isZero();
        softly.assertThat(storedNotRaw).as("stored ids that are not on the raw topic").isZero();
    }

    private void checkDelivery() {
        softly.assertThat(rows - distinct).as("duplicate rows in ui_action").isZero();
        softly.assertThat(pointerRows).as("pointer actions in ui_action, against the acknowledged pointer actions")
                .isEqualTo(load.get(Count.ACKED_POINTERS));
        softly.assertThat(positions).as("mouse_position rows, against the acknowledged pointer actions")
                .isEqualTo(load.get(Count.ACKED_POINTERS));
        softly.assertThat(positionsWithoutAction).as("mouse positions without an action").isZero();
        softly.assertThat(pointersWithoutPosition).as("pointer actions without a position").isZero();
        softly.assertThat(projectionRecords + deadLetters).as("raw records routed: %,d projection records and %,d dead "
                + "letters, against the raw records", projectionRecords, deadLetters).isEqualTo(rawRecords);
        softly.assertThat(projectionDuplicates).as("raw records routed more than once").isZero();
        softly.assertThat(deadLetters).as("dead letters").isZero();
        softly.assertThat(rawActions).as("actions on the raw topic, against its distinct ids: a duplicate must reach "
                + "Kafka, or the database's dedupe was never exercised").isGreaterThan(rawIds().size());
        rawEnd.forEach((partition, end) -> {
            if (end > 0) {
                softly.assertThat(streamsCommitted.getOrDefault(partition, -1L))
                        .as("Kafka Streams' committed offset of raw partition %d, against its end", partition).isEqualTo(end);
            }
        });
        // The processor goes on writing session rows as sessions go quiet after the topic was read, so the
        // sink may be past the last record read here, but never past the topic's end.
        Map<Integer, Long> projectionEndNow = new TreeMap<>();
        topics.endOffsets(Topics.PROJECTION).forEach((partition, end) -> projectionEndNow.put(partition.partition(), end));
        projectionEnd.forEach((partition, end) -> softly.assertThat(sinkStored.getOrDefault(partition, -1L))
                .as("the sink's stored offset of projection partition %d, against the offset after its last record read "
                        + "and the topic's end now", partition).isBetween(end, projectionEndNow.getOrDefault(partition, end)));
    }

    /**
     * The trial and session_summary tables, kept in Kafka Streams state through the faults (processor
     * kill -9 among them), equal what the research library computes from the stored rows: every trial
     * but those still running at their session's end (the processor ends them only when the session goes
     * quiet), and every session's summary; the copies of actions on the raw topic are its late actions.
     */
    private void checkSessionTables() {
        Exporter research = new Exporter(() -> pipeline.infra.postgres().connect());
        ExportRequest study = ExportRequest.of(new ExportFilter(TestPipeline.STUDY, null, null, null, null, false));
        List<Map<String, String>> trials = new ArrayList<>();
        List<Map<String, String>> sessions = new ArrayList<>();
        int[] polls = {0};
        try {
            // In this thread: after a timeout, no poll still running may change the lists the assertions read.
            await("trial and session_summary to catch up").atMost(Duration.ofSeconds(60))
                    .pollInSameThread().pollDelay(Duration.ZERO).pollInterval(Duration.ofSeconds(1)).until(() -> {
                        polls[0]++;
                        Map<String, Long> lastSeq = new HashMap<>();
                        sessions.clear();
                        research.sessions(study, summary -> {
                            sessions.add(SessionRows.values(summary));
                            lastSeq.put(summary.session().sessionId(), summary.lastSeq());
                        });
                        trials.clear();
                        research.trials(study, prepared -> {
                            Trial t = prepared.trial();
                            if (!(t.incomplete() && t.endSeq() == lastSeq.get(t.session().sessionId()))) {
                                trials.add(SessionRows.values(t));
                            }
                        });
                        return trials.equals(SessionRows.trials(pipeline, TestPipeline.STUDY))
                                && SessionRows.withoutLate(sessions).equals(SessionRows.withoutLate(
                                        SessionRows.sessions(pipeline, TestPipeline.STUDY)));
                    });
        } catch (ConditionTimeoutException e) {
            // reported by the comparisons below
        }
        System.out.println("phase: audit: session tables read " + polls[0] + " times");
        trialRows = trials.size();
        summaryRows = sessions.size();
        softly.assertThat(SessionRows.trials(pipeline, TestPipeline.STUDY)).as("the trial table, against the trials "
                + "the research library cuts from the rows").isEqualTo(trials);
        softly.assertThat(SessionRows.withoutLate(SessionRows.sessions(pipeline, TestPipeline.STUDY)))
                .as("session_summary, against the research library's summaries of the rows")
                .isEqualTo(SessionRows.withoutLate(sessions));
        softly.assertThat(trials).as("trials").isNotEmpty();
        lateActions = pipeline.query("select coalesce(sum(late_actions), 0) from session_summary where study = ?",
                TestPipeline.STUDY);
        softly.assertThat(lateActions).as("late actions in session_summary, against the copies on the raw topic")
                .isEqualTo(rawActions - rawIds().size());
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
                .line("sessions", "%,d trials and %,d session summaries equal to the research library's; %,d late "
                        + "actions; %,d row records on the projection topic", trialRows, summaryRows, lateActions,
                        sessionRows)
                .line("id sets", "acked-but-missing %,d, stored-but-never-sent %,d, stored-but-not-acked %,d",
                        ackedMissing, storedNeverSent, storedNotAcked)
                .line("mouse_position", "%,d rows; pointer actions in ui_action %,d; orphans %,d / %,d", positions,
                        pointerRows, positionsWithoutAction, pointersWithoutPosition)
                .line("offsets", "raw end %s, Streams committed %s; projection end %s, sink stored %s", rawEnd,
                        streamsCommitted, projectionEnd, sinkStored);
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

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? "?" : new String(header.value(), StandardCharsets.UTF_8);
    }
}
