package io.useractions.processor.replay;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

import io.useractions.processor.config.KafkaClients;
import io.useractions.model.Limits;
import io.useractions.model.RawRecord;
import io.useractions.model.RawRecords;
import io.useractions.model.ValidationException;
import io.useractions.processor.config.ProcessorConfig;
import io.useractions.processor.projection.CopyRows;
import io.useractions.processor.projection.PostgresSink;
import io.useractions.processor.projection.ProjectionWriter;
import io.useractions.processor.projection.ProjectionWriter.Tables;

/**
 * Re-derives the projected tables from the raw topic, the source of truth. It reads every partition
 * from its beginning up to its end when the replay starts (the snapshot), validates each record as the
 * topology does and copies the rows into fresh replay tables with the sink's own writer, so the rows
 * are those the live path stores. Then, in one transaction, it keeps what the live sink stored from
 * past the snapshot and makes the live tables equal to the replay tables, changing only the rows that
 * differ.
 *
 * <p>The live tables stay as they were until that swap, so readers never see a partial projection,
 * and a replay that fails leaves them untouched. The live processor may keep running: its stored
 * offsets stay valid, since every row below them is re-derived and every row past the snapshot kept.
 * Records the live path dead-letters (invalid, or refused by PostgreSQL) are counted and skipped.
 */
@ApplicationScoped
public class Replay {
    private static final Logger LOG = Logger.getLogger(Replay.class);
    /** Session-level advisory lock that keeps two replays of one database apart. */
    private static final long LOCK_KEY = 0x75616c7265706c61L;
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

    static final Tables REPLAY_TABLES = new Tables("ui_action_replay", "mouse_position_replay");

    /** A projected table, its replay table and its key. */
    private record Table(String live, String replayed, String key) {
    }

    private static final List<Table> TABLES = List.of(
            new Table(Tables.LIVE.actions(), REPLAY_TABLES.actions(), "id"),
            new Table(Tables.LIVE.positions(), REPLAY_TABLES.positions(), "action_id"));

    private final ProjectionWriter writer;
    private final DataSource dataSource;
    private final ProcessorConfig config;
    private final KafkaClients kafka;

    public Replay(ProjectionWriter writer, DataSource dataSource, ProcessorConfig config,
            KafkaClients kafka) {
        this.writer = writer;
        this.dataSource = dataSource;
        this.config = config;
        this.kafka = kafka;
    }

    /** What a replay read and wrote. */
    public record Result(long records, long actions, long positions, long invalid, long refused,
            long keptPastSnapshot, long rowsRemoved, long rowsAdded, Duration load, Duration swap, Duration cpu) {

        public double recordsPerSecond() {
            return records / Math.max(0.001, (load.toMillis() + swap.toMillis()) / 1000.0);
        }

        /** One line of name=value pairs, for people and for the benchmark. */
        public String summary() {
            return String.format(Locale.ROOT,
                    "records=%d actions=%d mouse_positions=%d invalid=%d refused=%d kept_past_snapshot=%d "
                            + "rows_removed=%d rows_added=%d load_seconds=%.1f swap_seconds=%.1f "
                            + "records_per_second=%.0f cpu_seconds=%.1f",
                    records, actions, positions, invalid, refused, keptPastSnapshot, rowsRemoved, rowsAdded,
                    load.toMillis() / 1000.0,
                    swap.toMillis() / 1000.0, recordsPerSecond(), cpu.toMillis() / 1000.0);
        }
    }

    /** Replays the raw topic up to its end now. */
    public Result run() {
        try (KafkaConsumer<byte[], byte[]> kafka = consumer()) {
            return run(kafka, snapshot(kafka));
        }
    }

    /** Replays the raw topic up to the given next offsets per partition; later records are left to the live sink. */
    Result run(Map<Integer, Long> snapshot) {
        try (KafkaConsumer<byte[], byte[]> kafka = consumer()) {
            return run(kafka, snapshot);
        }
    }

    private Result run(KafkaConsumer<byte[], byte[]> kafka, Map<Integer, Long> snapshot) {
        try (Connection control = dataSource.getConnection()) {
            lock(control);
            try {
                execute(control, """
                        drop table if exists ui_action_replay, mouse_position_replay;
                        create unlogged table ui_action_replay (like ui_action including defaults);
                        alter table ui_action_replay add primary key (id);
                        create unlogged table mouse_position_replay (like mouse_position including defaults);
                        alter table mouse_position_replay add primary key (action_id)""");
                long cpuStarted = processCpuNanos();
                long started = System.nanoTime();
                Counts counts = load(kafka, snapshot);
                Duration load = Duration.ofNanos(System.nanoTime() - started);
                LOG.infof("Replay read %,d records in %.1f s; putting the replayed rows in place", counts.records,
                        load.toMillis() / 1000.0);
                started = System.nanoTime();
                // Fresh tables have no statistics yet; the swap's comparison is planned on them.
                execute(control, "analyze ui_action_replay, mouse_position_replay");
                Swap changes = swap(control, snapshot);
                Duration swap = Duration.ofNanos(System.nanoTime() - started);
                return new Result(counts.records, counts.actions, counts.positions, counts.invalid, counts.refused,
                        changes.keptPastSnapshot(), changes.removed(), changes.added(), load, swap,
                        Duration.ofNanos(processCpuNanos() - cpuStarted));
            } finally {
                execute(control, "drop table if exists ui_action_replay, mouse_position_replay");
                unlock(control);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("replay failed: " + e.getMessage(), e);
        }
    }

    /** The raw topic's next offset per partition now: the last stable offsets, as read_committed reads. */
    private Map<Integer, Long> snapshot(KafkaConsumer<byte[], byte[]> kafka) {
        String topic = config.topics().raw();
        List<TopicPartition> partitions = kafka.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        kafka.assign(partitions);
        Map<Integer, Long> snapshot = new HashMap<>();
        kafka.endOffsets(partitions).forEach((partition, offset) -> snapshot.put(partition.partition(), offset));
        return snapshot;
    }

    private static final class Counts {
        long records;
        long actions;
        long positions;
        long invalid;
        long refused;
    }

    private record Decoded(RawRecord raw, int partition, long offset) {
    }

    private Counts load(KafkaConsumer<byte[], byte[]> kafka, Map<Integer, Long> snapshot) {
        List<TopicPartition> pending = new ArrayList<>();
        snapshot.forEach((partition, next) -> {
            if (next > 0) {
                pending.add(new TopicPartition(config.topics().raw(), partition));
            }
        });
        long total = snapshot.values().stream().mapToLong(Long::longValue).sum();
        LOG.infof("Replaying %,d records of %s (%d partitions) into the replay tables", total, config.topics().raw(),
                pending.size());
        kafka.assign(pending);
        kafka.seekToBeginning(pending);
        Limits limits = config.limits();
        CopyRows rows = new CopyRows(config.sink().maxPollRecords());
        List<Decoded> batch = new ArrayList<>(config.sink().maxPollRecords());
        Counts counts = new Counts();
        long lastReport = System.nanoTime();
        while (!pending.isEmpty()) {
            rows.clear();
            batch.clear();
            for (ConsumerRecord<byte[], byte[]> record : kafka.poll(config.sink().pollTimeout())) {
                if (record.offset() >= snapshot.get(record.partition())) {
                    continue;
                }
                counts.records++;
                try {
                    RawRecord raw = RawRecords.decode(record.value(), limits);
                    batch.add(new Decoded(raw, record.partition(), record.offset()));
                    rows.add(raw, record.partition(), record.offset());
                } catch (ValidationException e) {
                    counts.invalid++;
                }
            }
            write(rows, batch, counts);
            pending.removeIf(partition -> {
                boolean done = kafka.position(partition) >= snapshot.get(partition.partition());
                if (done) {
                    kafka.pause(List.of(partition));
                }
                return done;
            });
            if (System.nanoTime() - lastReport > PROGRESS_EVERY.toNanos()) {
                lastReport = System.nanoTime();
                LOG.infof("Replayed %,d of %,d records", counts.records, total);
            }
        }
        return counts;
    }

    /** Copies a poll's rows; when PostgreSQL refuses one as data, writes them one by one and skips the refused. */
    private void write(CopyRows rows, List<Decoded> batch, Counts counts) {
        try {
            writer.write(REPLAY_TABLES, rows);
            counts.actions += rows.actionCount();
            counts.positions += rows.positionCount();
            return;
        } catch (RuntimeException e) {
            if (!PostgresSink.isDataError(e)) {
                throw e;
            }
        }
        CopyRows one = new CopyRows(1);
        for (Decoded decoded : batch) {
            for (int i = 0; i < decoded.raw().actions().size(); i++) {
                one.clear().add(decoded.raw(), i, decoded.partition(), decoded.offset());
                try {
                    writer.write(REPLAY_TABLES, one);
                    counts.actions += one.actionCount();
                    counts.positions += one.positionCount();
                } catch (RuntimeException e) {
                    if (!PostgresSink.isDataError(e)) {
                        throw e;
                    }
                    counts.refused++;
                    LOG.warnf("PostgreSQL refused the row of %s-%d@%d[%d]; skipped, as the live sink dead-letters it",
                            config.topics().raw(), decoded.partition(), decoded.offset(), i);
                }
            }
        }
    }

    /** What the swap did to the live tables, both tables counted. */
    private record Swap(long keptPastSnapshot, long removed, long added) {
    }

    /**
     * Makes the live tables equal to the replayed rows, in one transaction: rows the live sink stored from
     * past the snapshot are kept, and only the rows that differ change (a changed row is removed and
     * added), so a replay of tables that were right writes nothing. The EXCLUSIVE lock holds the live
     * sink back but lets readers through; they see the old rows until the commit. The live tables keep
     * their identity (indexes, grants, dependent views).
     */
    private Swap swap(Connection connection, Map<Integer, Long> snapshot) throws SQLException {
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("lock table ui_action, mouse_position in exclusive mode");
            // The summary's triggers stand aside; the rebuild below derives it from the rows once.
            statement.execute("set local ual.session_quality_deferred = on");
            try (PreparedStatement workMem = connection.prepareStatement("select set_config('work_mem', ?, true)")) {
                workMem.setString(1, config.replay().workMem());
                workMem.execute();
            }
            statement.execute("create temp table ual_replay_snapshot (src_partition integer primary key, "
                    + "next_offset bigint not null) on commit drop");
            try (PreparedStatement insert = connection.prepareStatement(
                    "insert into ual_replay_snapshot values (?, ?)")) {
                for (Map.Entry<Integer, Long> entry : snapshot.entrySet()) {
                    insert.setInt(1, entry.getKey());
                    insert.setLong(2, entry.getValue());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            String pastSnapshot = " left join ual_replay_snapshot s on s.src_partition = a.src_partition"
                    + " where s.next_offset is null or a.src_offset >= s.next_offset";
            long kept = statement.executeUpdate("insert into ui_action_replay select a.* from ui_action a"
                    + pastSnapshot + " on conflict (id) do nothing");
            statement.executeUpdate("insert into mouse_position_replay select m.* from mouse_position m"
                    + " join ui_action a on a.id = m.action_id" + pastSnapshot + " on conflict (action_id) do nothing");
            long removed = 0;
            long added = 0;
            for (Table table : TABLES) {
                String live = table.live();
                String replayed = table.replayed();
                String key = table.key();
                removed += statement.executeUpdate("delete from " + live + " l where not exists (select 1 from "
                        + replayed + " r where r." + key + " = l." + key
                        + " and row(r.*) is not distinct from row(l.*))");
                // What is left of the live rows equals its replayed row: the unique key skips it. (An anti-join
                // against the live table, whose statistics may say empty, was planned as a nested loop over a
                // table that this very statement grows.)
                added += statement.executeUpdate("insert into " + live + " select * from " + replayed
                        + " on conflict (" + key + ") do nothing");
            }
            // The per-session summary, re-derived from the rows like them, whatever it held before.
            statement.execute("select ual_session_quality_rebuild()");
            connection.commit();
            return new Swap(kept, removed, added);
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /** CPU this process has used so far, all threads; the replay's own share is the difference. */
    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    private static void lock(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("select pg_try_advisory_lock(" + LOCK_KEY + ")")) {
            rs.next();
            if (!rs.getBoolean(1)) {
                throw new IllegalStateException("another replay is running against this database");
            }
        }
    }

    private static void unlock(Connection connection) throws SQLException {
        execute(connection, "select pg_advisory_unlock(" + LOCK_KEY + ")");
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Properties props = kafka.properties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.sink().maxPollRecords());
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, config.sink().maxPartitionFetchBytes());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "ual-replay");
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
