package io.useractions.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

import io.useractions.infra.Apps;
import io.useractions.infra.ServiceProcess;
import io.useractions.model.Topics;

/**
 * Projection: new actions on the raw topic, the processor started cold on them, timed until both tables
 * hold every row; then the Kafka bytes on disk those actions took. The backlog is twice {@code records}: the
 * first half warms the processor up, the second is measured.
 */
record ProjectionPhase(Rig rig, long records) {
    /** The processor's Kafka Streams application id (quarkus.kafka-streams.application-id). */
    private static final String STREAMS_GROUP = "ual-projection";

    /**
     * What the COPY baseline copies again: ui_action's rows before the phase, the actions in each half, and the
     * sink's mean actions per transaction in it.
     */
    record Result(long actionsBefore, long half, int actionsPerTransaction) {
    }

    Result run() throws Exception {
        rig.phase("projection of " + records + " new actions on the raw topic, after as many to warm up");
        skipRawBacklog();
        long kafkaBytesBefore = projectionTopicBytes();
        Baselines.fillRawTopic(rig.endpoints().kafka(), rig.workload(), 2 * records);
        Result result = projection(rig.settle("the projection"));
        kafkaBytesPerAction(kafkaBytesBefore, 2 * records);
        return result;
    }

    /**
     * The ingest steps left millions of actions on the raw topic; the projection is measured on a fixed
     * number of new ones instead, so the processor's group skips to the end of the raw topic first.
     */
    private void skipRawBacklog() throws Exception {
        skipRawBacklog(rig);
    }

    static void skipRawBacklog(Rig rig) throws Exception {
        try (Admin admin = Admin.create(rig.endpoints().kafka())) {
            try {
                admin.removeMembersFromConsumerGroup(STREAMS_GROUP, new RemoveMembersFromConsumerGroupOptions()).all().get();
            } catch (ExecutionException e) {
                // no members left
            }
            Map<TopicPartition, OffsetAndMetadata> end = new HashMap<>();
            endOffsets(admin, Topics.RAW, IsolationLevel.READ_UNCOMMITTED)
                    .forEach((partition, offset) -> end.put(partition, new OffsetAndMetadata(offset)));
            admin.alterConsumerGroupOffsets(STREAMS_GROUP, end).all().get();
        }
    }

    /**
     * One backlog projected: the rows of both core tables before, at the warm point and at the end, the
     * times of those points (nanoTime), and the CPU snapshots at the processors' readiness, the warm point
     * and the end.
     */
    record Drained(long readyAt, long firstRowAt, long warmAt, long streamsDoneAt, long doneAt, long actionsBefore,
                   long positionsBefore, long warmActions, long warmPositions, long actions, long positions,
                   Map<String, Long> cpuAtReady, Map<String, Long> cpuAtWarm, Map<String, Long> cpuAtDone) {

        /** From the first row to the end. */
        double seconds() {
            return (doneAt - (firstRowAt == 0 ? readyAt : firstRowAt)) / 1e9;
        }

        long allRows() {
            return actions - actionsBefore + positions - positionsBefore;
        }

        /** From the warm point to the end; the whole run if it never got there. */
        double warmSeconds() {
            return warmAt == 0 ? seconds() : (doneAt - warmAt) / 1e9;
        }

        long warmRows() {
            return warmAt == 0 ? allRows() : actions - warmActions + positions - warmPositions;
        }

        long warmActionCount() {
            return warmAt == 0 ? actions - actionsBefore : actions - warmActions;
        }

        /** CPU snapshot where the warm window starts. */
        Map<String, Long> cpuAtWarmStart() {
            return warmAt == 0 ? cpuAtReady : cpuAtWarm;
        }
    }

    /**
     * Starts the processor on the raw topic's backlog and times it until every row is written. The rate that
     * counts is the one after the first half: profiles of the processor (its threads' CPU from /proc, JFR) showed
     * its JIT compilers still busy for about 20 s after it started, 40% of its CPU a quarter into a backlog of
     * 600,000 actions, where the warm point used to be, and its collector another fifth.
     */
    private Result projection(String settled) throws Exception {
        Drained run = drain(rig, rig.apps().of(Apps.PROCESSOR), 2);
        Endpoints endpoints = rig.endpoints();
        String cores = CpuMeter.coresBetween(run.cpuAtReady(), run.cpuAtDone(), (run.doneAt() - run.readyAt()) / 1e9)
                + "; " + CpuMeter.microsPerAction(run.cpuAtReady(), run.cpuAtDone(), 2 * records);
        // From cold, the processor's CPU holds its JIT compilers and its first collections, a fixed cost of a start
        // spread over the backlog; after the warm point it is the cost per action that the rate there pays.
        String warmCores = CpuMeter.coresBetween(run.cpuAtWarmStart(), run.cpuAtDone(), run.warmSeconds()) + "; "
                + CpuMeter.microsPerAction(run.cpuAtWarmStart(), run.cpuAtDone(), run.warmActionCount());
        double seconds = run.seconds();
        double warmSeconds = run.warmSeconds();
        long warmRows = run.warmRows();
        rig.report().row("projection", Report.rate(warmRows / warmSeconds, "rows/s"),
                String.format(Locale.ROOT, "after the first half: %,d rows in %.1f s (%,.0f actions/s), %s; "
                        + "whole backlog from cold: %,d ui_action + %,d mouse_position rows in %.1f s (%,.0f rows/s), "
                        + "Streams done after %.1f s; %s; %s", warmRows, warmSeconds, run.warmActionCount() / warmSeconds,
                        warmCores, run.actions() - run.actionsBefore(), run.positions() - run.positionsBefore(),
                        seconds, run.allRows() / seconds, (run.streamsDoneAt() - run.readyAt()) / 1e9, cores, settled));
        rig.report().metric("projection", warmRows / warmSeconds);
        // Every row a transaction inserts carries its id as xmin: the sink's own transaction size.
        int actionsPerTransaction = (int) Math.max(1, endpoints.count("select count(*) / greatest(1, "
                + "count(distinct xmin::text)) from ui_action"));
        return new Result(run.actionsBefore(), records, actionsPerTransaction);
    }

    /**
     * Starts {@code processors} on the raw topic's backlog and waits until
     * Kafka Streams has routed all of it and the sink has written all that was routed; the warm point is a
     * quarter of the backlog.
     */
    static Drained drain(Rig rig, List<ServiceProcess> processors) throws Exception {
        return drain(rig, processors, 4);
    }

    /** As {@link #drain(Rig, List)}, with the warm point at one {@code warmShare}-th of the backlog. */
    static Drained drain(Rig rig, List<ServiceProcess> processors, int warmShare) throws Exception {
        Endpoints endpoints = rig.endpoints();
        long actionsBefore = endpoints.count("select count(*) from ui_action");
        long positionsBefore = endpoints.count("select count(*) from mouse_position");
        try (Admin admin = Admin.create(endpoints.kafka());
             Connection db = endpoints.connect()) {
            Map<TopicPartition, Long> rawEnd = endOffsets(admin, Topics.RAW, IsolationLevel.READ_UNCOMMITTED);
            // The warm point: Streams has routed a share of the backlog (raw records, one a batch). The rows are
            // counted there, so the rate after it holds whatever the sink has written by then.
            long backlog = rawBacklog(admin, rawEnd);
            long sunkBefore = sunk(db);
            long readyAt = System.nanoTime();
            processors.forEach(ServiceProcess::start);
            processors.forEach(ServiceProcess::waitReady);
            Map<String, Long> cpu = CpuMeter.snapshot();
            Map<String, Long> cpuAtWarm = cpu;
            long firstRowAt = 0;
            long warmAt = 0;
            long warmActions = 0;
            long warmPositions = 0;
            long streamsDoneAt = 0;
            long lastProgressAt = System.nanoTime();
            long lastRows = 0;
            while (true) {
                long rows = sunk(db) - sunkBefore;
                long now = System.nanoTime();
                if (rows > 0 && firstRowAt == 0) {
                    firstRowAt = now;
                }
                if (rows != lastRows) {
                    lastRows = rows;
                    lastProgressAt = now;
                }
                long left = rawBacklog(admin, rawEnd);
                if (warmAt == 0 && left <= backlog - backlog / warmShare) {
                    warmAt = now;
                    cpuAtWarm = CpuMeter.snapshot();
                    warmActions = endpoints.count("select count(*) from ui_action");
                    warmPositions = endpoints.count("select count(*) from mouse_position");
                }
                if (streamsDoneAt == 0 && left == 0) {
                    streamsDoneAt = now;
                }
                if (streamsDoneAt != 0 && sinkCaughtUp(admin, db)) {
                    break;
                }
                if (now - lastProgressAt > Duration.ofSeconds(60).toNanos()) {
                    throw new IllegalStateException("the projection made no progress for 60 s; see "
                            + processors.get(0).logFile());
                }
                Thread.sleep(100);
            }
            long doneAt = System.nanoTime();
            Map<String, Long> cpuAtDone = CpuMeter.snapshot();
            return new Drained(readyAt, firstRowAt, warmAt, streamsDoneAt, doneAt, actionsBefore, positionsBefore,
                    warmActions, warmPositions, endpoints.count("select count(*) from ui_action"),
                    endpoints.count("select count(*) from mouse_position"), cpu, cpuAtWarm, cpuAtDone);
        }
    }

    /** Raw records from the Streams group's committed offsets (none: the start) to the ends: what it has yet to route. */
    private static long rawBacklog(Admin admin, Map<TopicPartition, Long> rawEnd) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(STREAMS_GROUP)
                .partitionsToOffsetAndMetadata().get();
        long backlog = 0;
        for (Map.Entry<TopicPartition, Long> end : rawEnd.entrySet()) {
            OffsetAndMetadata at = committed.get(end.getKey());
            backlog += Math.max(0, end.getValue() - (at == null ? 0 : at.offset()));
        }
        return backlog;
    }

    /** Projection records the sink has committed, summed over partitions. */
    private static long sunk(Connection db) throws Exception {
        return Endpoints.count(db, "select coalesce(sum(next_offset), 0) from projection_offset where topic = '"
                + Topics.PROJECTION + "'");
    }

    private static boolean sinkCaughtUp(Admin admin, Connection db) throws Exception {
        Map<TopicPartition, Long> end = endOffsets(admin, Topics.PROJECTION, IsolationLevel.READ_COMMITTED);
        Map<Integer, Long> sunk = new HashMap<>();
        try (Statement s = db.createStatement();
             ResultSet rows = s.executeQuery("select partition, next_offset from projection_offset where topic = '"
                     + Topics.PROJECTION + "'")) {
            while (rows.next()) {
                sunk.put(rows.getInt(1), rows.getLong(2));
            }
        }
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            long stable = e.getValue();
            long at = sunk.getOrDefault(e.getKey().partition(), 0L);
            // The last offset of a transactional partition is the commit marker, which a consumer steps over.
            if (at < stable - 1) {
                return false;
            }
        }
        return true;
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, String topic, IsolationLevel isolation) throws Exception {
        int partitions = admin.describeTopics(Set.of(topic)).allTopicNames().get().get(topic).partitions().size();
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            request.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        ListOffsetsResult result = admin.listOffsets(request, new ListOffsetsOptions(isolation));
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (var entry : result.all().get().entrySet()) {
            offsets.put(entry.getKey(), entry.getValue().offset());
        }
        return offsets;
    }

    /** Bytes in the broker's log directories of the raw and projection topics, all partitions. */
    private long projectionTopicBytes() throws Exception {
        try (Admin admin = Admin.create(rig.endpoints().kafka())) {
            long bytes = 0;
            for (var dirs : admin.describeLogDirs(admin.describeCluster().nodes().get().stream().map(n -> n.id())
                    .toList()).allDescriptions().get().values()) {
                for (var dir : dirs.values()) {
                    for (var replica : dir.replicaInfos().entrySet()) {
                        String topic = replica.getKey().topic();
                        if (topic.equals(Topics.RAW) || topic.equals(Topics.PROJECTION)) {
                            bytes += replica.getValue().size();
                        }
                    }
                }
            }
            return bytes;
        }
    }

    /** The Kafka bytes on disk that the projection phase's {@code actions} added, per action. */
    private void kafkaBytesPerAction(long before, long actions) throws Exception {
        double perAction = (double) (projectionTopicBytes() - before) / actions;
        rig.report().row("Kafka bytes on disk per action", String.format(Locale.ROOT, "%.0f B", perAction),
                "raw + projection topics, over the projection phase's actions: records in clear "
                        + "(the benchmark writes the raw topic, not sealed), lz4; target ≤ 250 B");
        rig.report().metric("kafka bytes per action", perAction);
    }
}
