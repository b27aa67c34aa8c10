package io.useractions.processor;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.useractions.infra.LocalInfraTestResource;
import io.useractions.model.Jdbc;
import io.useractions.model.RawRecords;
import io.useractions.model.RecordHeaders;
import io.useractions.model.Topics;
import io.useractions.testing.TopicReader;

/**
 * The database forgets the sink's last commits while it runs under load, as after a failover to an
 * asynchronous standby: one partition's stored offset goes back by {@value #REWIND} records, in one
 * transaction with (or without) the rows those records made. The sink must notice, resume from the
 * stored offset and leave every acked action stored exactly once.
 */
@QuarkusTest
@WithTestResource(LocalInfraTestResource.class)
class OffsetFenceTest {
    private static final int REWIND = 2_000;
    private static final int RECORDS_PER_SECOND = 3_000;
    private static final int SESSIONS = 24;

    @Inject
    DataSource dataSource;

    @Inject
    MeterRegistry registry;

    @Test
    void rowsLostWithTheirOffsetsAreProjectedAgainExactlyOnce() throws Exception {
        Outcome outcome = rewindUnderLoad(true);
        List<UUID> lost = outcome.rewind.ids();
        // Transaction markers take offsets too: a few of the rewound offsets carry no record.
        assertTrue(lost.size() > REWIND * 9 / 10, "records in the rewound offsets: " + lost.size());
        assertEquals(lost.size(), count("select count(*) from ui_action where id = any(?)", lost),
                "the rows the database lost are written again");
        assertTrue(outcome.fences >= 1, "the fence is counted: " + outcome.fences);
    }

    @Test
    void offsetsRewoundOverRowsStillStoredMakeNoDuplicateAndNoError() throws Exception {
        Outcome outcome = rewindUnderLoad(false);
        assertTrue(outcome.fences >= 1, "the fence is counted: " + outcome.fences);
        assertEquals(0, outcome.failedTransactions, "re-projecting stored rows is no failure");
    }

    @Test
    void rewindOfAnIdlePartitionIsNoticedWithoutNewRecords() throws Exception {
        String run = "fence-idle-" + UUID.randomUUID().toString().substring(0, 8);
        double fencesBefore = counter("ual.processor.sink.offset.fences");
        Map<Integer, Long> before = storedOffsets();
        Load load = Load.start(run);
        await("a partition 300 records past its start").atMost(Duration.ofSeconds(30))
                .until(() -> storedOffsets().entrySet().stream()
                .anyMatch(e -> e.getValue() - before.getOrDefault(e.getKey(), 0L) >= 300));
        List<UUID> ids = new ArrayList<>(load.stop());
        await("every acked action stored").atMost(Duration.ofSeconds(30))
                .until(() -> count("select count(*) from ui_action where id = any(?)", ids) == ids.size());

        Rewind rewind = rewind(before, 200, true);
        await("the lost rows written again with no new record").atMost(Duration.ofSeconds(30))
                .until(() -> count("select count(*) from ui_action where id = any(?)", rewind.ids())
                        == rewind.ids().size());
        assertEquals(ids.size(), count("select count(*) from ui_action where session_id like ?", run + "-%"));
        assertTrue(counter("ual.processor.sink.offset.fences") - fencesBefore >= 1);
    }

    private record Outcome(Rewind rewind, double fences, double failedTransactions) {
    }

    /** Runs a load, rewinds one partition mid-way, and checks that the acked set equals the stored set. */
    private Outcome rewindUnderLoad(boolean deleteRows) throws Exception {
        String run = "fence-" + UUID.randomUUID().toString().substring(0, 8);
        double fencesBefore = counter("ual.processor.sink.offset.fences");
        double failedBefore = counter("ual.processor.sink.failed.transactions");
        Map<Integer, Long> before = storedOffsets();
        Load load = Load.start(run);
        await("a partition " + REWIND + " records past its start").atMost(Duration.ofSeconds(30))
                .until(() -> storedOffsets().entrySet()
                .stream().anyMatch(e -> e.getValue() - before.getOrDefault(e.getKey(), 0L) >= REWIND + 500));
        Rewind rewind = rewind(before, REWIND, deleteRows);
        // Load after the rewind, so that the sink meets it on a write as well as by its idle check.
        Thread.sleep(1_000);
        Set<UUID> acked = load.stop();

        List<UUID> ids = new ArrayList<>(acked);
        await("every acked action stored").atMost(Duration.ofSeconds(90))
                .until(() -> count("select count(*) from ui_action where id = any(?)", ids) == ids.size());
        assertEquals(0, load.failures.get(), "sends that were not acked");
        assertEquals(ids.size(), count("select count(*) from ui_action where session_id like ?", run + "-%"),
                "stored actions of this run = acked actions, no duplicate and nothing unsent");
        assertEquals(ids.size(), count("select count(*) from mouse_position where session_id like ?", run + "-%"));
        assertEquals(ids.size(), count("select count(*) from mouse_position where action_id = any(?)", ids));
        long storedAfter = storedOffsets().get(rewind.partition());
        assertTrue(storedAfter >= rewind.from(), "partition " + rewind.partition() + " stored " + storedAfter
                + " is past the rewound offset " + rewind.from());
        return new Outcome(rewind, counter("ual.processor.sink.offset.fences") - fencesBefore,
                counter("ual.processor.sink.failed.transactions") - failedBefore);
    }

    /** A partition's stored offset went back from {@code from} to {@code to}; {@code ids} are the actions of those records. */
    private record Rewind(int partition, long from, long to, List<UUID> ids) {
    }

    /**
     * In one transaction that holds the sink's offset writes back: moves the most advanced partition's
     * stored offset back by {@code size} offsets and, if asked, deletes the rows those records made.
     */
    private Rewind rewind(Map<Integer, Long> before, int size, boolean deleteRows) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("lock table projection_offset in exclusive mode");
            }
            int partition = -1;
            long from = -1;
            try (PreparedStatement s = c.prepareStatement(
                    "select partition, next_offset from projection_offset where topic = ?")) {
                s.setString(1, Topics.PROJECTION);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        long advanced = rs.getLong(2) - before.getOrDefault(rs.getInt(1), 0L);
                        if (advanced >= size && (partition < 0 || rs.getLong(2) > from)) {
                            partition = rs.getInt(1);
                            from = rs.getLong(2);
                        }
                    }
                }
            }
            assertTrue(partition >= 0, "no partition advanced by " + size);
            long to = from - size;
            List<UUID> ids = projectedIds(partition, to, from);
            if (deleteRows) {
                for (String sql : List.of("delete from mouse_position where action_id = any(?)",
                        "delete from ui_action where id = any(?)")) {
                    try (PreparedStatement s = c.prepareStatement(sql)) {
                        s.setArray(1, c.createArrayOf("uuid", ids.toArray()));
                        s.executeUpdate();
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement(
                    "update projection_offset set next_offset = ? where topic = ? and partition = ?")) {
                s.setLong(1, to);
                s.setString(2, Topics.PROJECTION);
                s.setInt(3, partition);
                assertEquals(1, s.executeUpdate());
            }
            c.commit();
            return new Rewind(partition, from, to, ids);
        }
    }

    /** The action ids of the projection records in [from, to) of a partition. */
    private static List<UUID> projectedIds(int partition, long from, long to) {
        List<UUID> ids = new ArrayList<>();
        TopicReader.of(LocalInfraTestResource.infra().kafkaClientConfig())
                .range(new TopicPartition(Topics.PROJECTION, partition), from, to)
                .stream().filter(record -> record.headers().lastHeader(RecordHeaders.TABLE) == null)
                .forEach(record -> RawRecords.decodeValidated(record.value()).actions().forEach(action -> ids.add(action.id())));
        return ids;
    }

    /** Pointer actions of {@value #SESSIONS} sessions at a steady rate until stopped; remembers what was acked. */
    private static final class Load {
        private final String run;
        private final Set<UUID> acked = ConcurrentHashMap.newKeySet();
        private final AtomicInteger failures = new AtomicInteger();
        private final AtomicReference<Throwable> error = new AtomicReference<>();
        private volatile boolean stopped;
        private Thread thread;

        private Load(String run) {
            this.run = run;
        }

        static Load start(String run) {
            Load load = new Load(run);
            load.thread = new Thread(load::send, "fence-load");
            load.thread.start();
            return load;
        }

        private void send() {
            Map<Integer, Long> seqs = new HashMap<>();
            long started = System.nanoTime();
            long sent = 0;
            try {
                while (!stopped) {
                    for (int i = 0; i < 100; i++, sent++) {
                        int session = (int) (sent % SESSIONS);
                        long seq = seqs.merge(session, 1L, Long::sum);
                        String key = run + "-" + session;
                        UUID id = UUID.randomUUID();
                        byte[] value = ProjectionServiceTest.envelope(key, id, seq,
                                ProjectionServiceTest.pointer(seq % 1280, seq % 800)).getBytes(StandardCharsets.UTF_8);
                        TestSupport.producer().send(new ProducerRecord<>(Topics.RAW, key, value), (metadata, e) -> {
                            if (e == null) {
                                acked.add(id);
                            } else {
                                failures.incrementAndGet();
                            }
                        });
                    }
                    long due = started + sent * 1_000_000_000L / RECORDS_PER_SECOND;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
            } catch (Throwable e) {
                error.set(e);
            }
        }

        Set<UUID> stop() throws InterruptedException {
            stopped = true;
            thread.join();
            TestSupport.producer().flush();
            if (error.get() != null) {
                throw new AssertionError("the load failed", error.get());
            }
            return acked;
        }
    }

    private Map<Integer, Long> storedOffsets() {
        Map<Integer, Long> offsets = new HashMap<>();
        try (Connection c = dataSource.getConnection()) {
            Jdbc.query(c, "select partition, next_offset from projection_offset where topic = ?",
                    rs -> offsets.put(rs.getInt(1), rs.getLong(2)), Topics.PROJECTION);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return offsets;
    }

    private long count(String sql, Object arg) {
        if (arg instanceof List<?> ids) {
            try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
                s.setArray(1, c.createArrayOf("uuid", ids.toArray()));
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
        return TestSupport.count(dataSource, sql, arg);
    }

    private double counter(String name) {
        return registry.get(name).counter().count();
    }
}
