package io.useractions.processor.replay;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

import io.useractions.model.Limits;
import io.useractions.model.ProgressLine;
import io.useractions.model.RawRecord;
import io.useractions.model.RawRecords;
import io.useractions.model.ValidationException;
import io.useractions.model.crypto.ParticipantKeys;
import io.useractions.model.crypto.SealedPayloadException;
import io.useractions.processor.config.KafkaClients;
import io.useractions.processor.config.ProcessorConfig;
import io.useractions.processor.projection.CopyRows;
import io.useractions.processor.projection.PostgresSink;
import io.useractions.processor.projection.ProjectedTable;
import io.useractions.processor.projection.ProjectionWriter;
import io.useractions.processor.sessions.Sessions;
import io.useractions.processor.tables.DerivedTables;
import io.useractions.processor.withdrawal.Withdrawals;
import io.useractions.processor.withdrawal.Withdrawn;

/**
 * Re-derives the projected tables from the raw topic, the source of truth. It reads every partition
 * from its beginning up to its end when the replay starts (the snapshot), validates each record as the
 * topology does and copies the rows with the sink's own mapping ({@link ProjectedTable}), so the rows
 * are those the live path stores. The result keeps what the live sink stored from past the snapshot
 * and replaces everything below it, in one transaction: readers never see a partial projection, and a
 * replay that fails leaves the tables as they were.
 *
 * <p>Two ways to get there, chosen by what the live tables hold below the snapshot:
 * <ul>
 * <li><b>Straight in</b>, when they hold at most a tenth as many rows below it as the snapshot has
 * records (a first derivation, tables emptied by hand): one transaction deletes those rows and copies
 * every replayed row into the live tables, so each row is written once, and folds the data-quality
 * summary as the sink does ({@link FoldedSummary}).
 * <li><b>Compared</b>, otherwise: the rows go into fresh unlogged replay tables, committed as they
 * come, and then one transaction changes only the live rows that differ (see {@link #swap}), so a
 * replay of tables that were right writes nothing.
 * </ul>
 * The live processor may keep running: its stored offsets stay valid, since every row below them is
 * re-derived and every row past the snapshot kept; a live write that meets the replay's uncommitted
 * rows waits for them. Records the live path dead-letters (invalid, or refused by PostgreSQL) are
 * counted and skipped, and so are the records of participants who withdrew (docs/withdrawal.md).
 */
@ApplicationScoped
public class Replay {
    private static final Logger LOG = Logger.getLogger(Replay.class);
    /** Session-level advisory lock that keeps two replays of one database apart. */
    private static final long LOCK_KEY = 0x75616c7265706c61L;
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
    /** Selects a table's rows past the snapshot: from partitions it does not know, or at or after its next offset. */
    private static final String PAST_SNAPSHOT = " left join ual_replay_snapshot s on s.src_partition = t.src_partition"
            + " where s.next_offset is null or t.src_offset >= s.next_offset";

    private final ProjectionWriter writer;
    private final DerivedTables derivedTables;
    private final DataSource dataSource;
    private final ProcessorConfig config;
    private final KafkaClients kafka;
    private final Withdrawals withdrawals;
    private final ParticipantKeys keys;
    /** The tables the running replay re-derives: every table the sink writes, or those named. */
    private List<ProjectedTable> tables = ProjectedTable.CORE;
    /** The participants whose records the running replay drops. */
    private Withdrawn withdrawn = Withdrawn.NONE;
    /** The running replay's data-quality summary when it is folded as the rows go in; null: rebuilt, or none. */
    private FoldedSummary folded;

    public Replay(ProjectionWriter writer, DerivedTables derivedTables, DataSource dataSource, ProcessorConfig config,
            KafkaClients kafka, Withdrawals withdrawals, ParticipantKeys keys) {
        this.writer = writer;
        this.keys = keys;
        this.withdrawals = withdrawals;
        this.derivedTables = derivedTables;
        this.dataSource = dataSource;
        this.config = config;
        this.kafka = kafka;
    }

    /**
     * What a replay read and wrote. {@code qualitySummary}: what it did with the data-quality summary, {@code
     * folded} as the rows went in, {@code rebuilt} from them, or {@code none} (no core table replayed).
     */
    public record Result(boolean straightIn, long records, long rows, long actions, long positions, long invalid,
            long refused, long withdrawn, long keptPastSnapshot, long rowsRemoved, long rowsAdded, Duration load,
            Duration swap, Duration cpu, String qualitySummary) {

        public double recordsPerSecond() {
            return records / Math.max(0.001, (load.toMillis() + swap.toMillis()) / 1000.0);
        }

        /** One line of name=value pairs, for people and for the benchmark. */
        public String summary() {
            return String.format(Locale.ROOT,
                    "records=%d rows=%d actions=%d mouse_positions=%d invalid=%d refused=%d withdrawn=%d "
                            + "kept_past_snapshot=%d rows_removed=%d rows_added=%d load_seconds=%.1f swap_seconds=%.1f "
                            + "records_per_second=%.0f cpu_seconds=%.1f mode=%s quality_summary=%s",
                    records, rows, actions, positions, invalid, refused, withdrawn, keptPastSnapshot, rowsRemoved,
                    rowsAdded,
                    load.toMillis() / 1000.0, swap.toMillis() / 1000.0, recordsPerSecond(), cpu.toMillis() / 1000.0,
                    straightIn ? "straight_in" : "compared", qualitySummary);
        }
    }

    /** Replays the raw topic up to its end now, into every table. */
    public Result run() {
        return run(List.of(), false);
    }

    /**
     * Replays the raw topic up to its end now into the tables named (every table if none): a derived table
     * named alone is back-filled, and the others are not touched. Its progress goes on a line of stdout if
     * {@code progressLine}.
     */
    public Result run(List<String> tableNames, boolean progressLine) {
        try (KafkaConsumer<byte[], byte[]> kafka = consumer()) {
            return run(tableNames, kafka, null, progressLine);
        }
    }

    /** Replays the raw topic up to the given next offsets per partition; later records are left to the live sink. */
    Result run(Map<Integer, Long> snapshot) {
        return run(List.of(), snapshot);
    }

    /** Replays into the tables named (every table if none) up to the given next offsets per partition. */
    public Result run(List<String> tableNames, Map<Integer, Long> snapshot) {
        try (KafkaConsumer<byte[], byte[]> kafka = consumer()) {
            return run(tableNames, kafka, snapshot, false);
        }
    }

    private synchronized Result run(List<String> tableNames, KafkaConsumer<byte[], byte[]> kafka,
            Map<Integer, Long> snapshot, boolean progressLine) {
        derivedTables.ensureSchema();
        tables = select(tableNames);
        folded = null;
        LOG.infof("Replaying into %s", tables);
        return run(kafka, snapshot == null ? snapshot(kafka) : snapshot, progressLine);
    }

    private List<ProjectedTable> select(List<String> names) {
        if (names.isEmpty()) {
            return derivedTables.all();
        }
        List<ProjectedTable> selected = new ArrayList<>();
        for (ProjectedTable table : derivedTables.all()) {
            if (names.contains(table.name())) {
                selected.add(table);
            }
        }
        List<String> unknown = names.stream().filter(n -> selected.stream().noneMatch(t -> t.name().equals(n))).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("no table " + unknown + "; the tables are "
                    + derivedTables.all().stream().map(ProjectedTable::name).toList());
        }
        return selected;
    }

    /** Whether the replayed tables include the core ones, whose per-session summary is rebuilt from them. */
    private boolean summarized() {
        return tables.stream().anyMatch(ProjectedTable.CORE::contains);
    }

    /** What this replay does with the data-quality summary, for its summary line. */
    private String qualitySummary() {
        return folded != null ? "folded" : summarized() ? "rebuilt" : "none";
    }

    private Result run(KafkaConsumer<byte[], byte[]> kafka, Map<Integer, Long> snapshot, boolean progressLine) {
        try (Connection control = dataSource.getConnection()) {
            lock(control);
            try {
                dropReplayTables(control);
                execute(control, "create temp table ual_replay_snapshot (src_partition integer primary key, "
                        + "next_offset bigint not null)");
                try (PreparedStatement insert = control.prepareStatement("insert into ual_replay_snapshot values (?, ?)")) {
                    for (Map.Entry<Integer, Long> entry : snapshot.entrySet()) {
                        insert.setInt(1, entry.getKey());
                        insert.setLong(2, entry.getValue());
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
                // A record holds at least one action, unless it is invalid: a tenth of them as rows is a
                // table far from complete, cheaper to fill again than to compare.
                long records = snapshot.values().stream().mapToLong(Long::longValue).sum();
                return rowsBelowSnapshot(control, records / 10 + 1) <= records / 10
                        ? straightIn(control, kafka, snapshot, progressLine)
                        : compared(control, kafka, snapshot, progressLine);
            } finally {
                control.setAutoCommit(true);
                dropReplayTables(control);
                execute(control, "drop table if exists ual_replay_snapshot");
                unlock(control);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("replay failed: " + e.getMessage(), e);
        }
    }

    /** The live rows below the snapshot, counted up to {@code limit} in each table. */
    private long rowsBelowSnapshot(Connection connection, long limit) throws SQLException {
        long most = 0;
        for (ProjectedTable table : tables) {
            try (Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery("select count(*) from (select 1 from " + table.name()
                            + " t join ual_replay_snapshot s on s.src_partition = t.src_partition"
                            + " where t.src_offset < s.next_offset limit " + limit + ") below")) {
                rs.next();
                most = Math.max(most, rs.getLong(1));
            }
        }
        return most;
    }

    /**
     * Replaces the live rows below the snapshot with the replayed ones in one transaction that copies
     * every row straight into the live tables. A poll's copy that meets a key the live sink stored
     * meanwhile (a sink behind the snapshot) is redone skipping existing keys; one PostgreSQL refuses as
     * data is redone action by action; savepoints keep the rest of the transaction.
     */
    private Result straightIn(Connection control, KafkaConsumer<byte[], byte[]> kafka, Map<Integer, Long> snapshot,
            boolean progressLine) throws SQLException {
        long cpuStarted = processCpuNanos();
        long started = System.nanoTime();
        control.setAutoCommit(false);
        try (Statement statement = control.createStatement()) {
            // Before any row is touched (a withdrawal locks this table, then rows): no withdrawal commits until
            // this transaction does, so the participants read here are all those whose records are dropped.
            withdrawn = withdrawals.lockAndCheck(control, Withdrawn.NONE);
            // For the whole transaction, not only the summary's work: the deletes below gather their rows into
            // the summary's delete triggers' transition tables even while those stand aside.
            workMem(control);
            if (summarized()) {
                // The summary's delete triggers stand aside: the summary is folded or rebuilt below, once.
                statement.execute("set local ual.session_quality_deferred = on");
            }
            long removed = 0;
            for (ProjectedTable table : tables) {
                removed += statement.executeUpdate("delete from " + table.name() + " t using ual_replay_snapshot s"
                        + " where s.src_partition = t.src_partition and t.src_offset < s.next_offset");
            }
            if (tables.containsAll(ProjectedTable.CORE)) {
                // From here the rows fold into a summary of their own, which replaces the live one at the end.
                folded = new FoldedSummary();
                folded.begin(control);
            }
            Counts counts = load(kafka, snapshot, progressLine, true,
                    (rows, batch, into) -> copyStraightIn(control, rows, batch, into));
            Duration load = Duration.ofNanos(System.nanoTime() - started);
            LOG.infof("Replay read %,d records in %.1f s; committing", counts.records, load.toMillis() / 1000.0);
            started = System.nanoTime();
            // The live sink's rows and summary updates wait until the summary is in place.
            statement.execute("lock table " + tableNames(ProjectedTable::name) + " in exclusive mode");
            long kept;
            if (folded != null) {
                kept = folded.putInPlace(control, PAST_SNAPSHOT);
            } else {
                try (ResultSet rs = statement.executeQuery("select count(*) from " + tables.get(0).name() + " t"
                        + PAST_SNAPSHOT)) {
                    rs.next();
                    kept = rs.getLong(1);
                }
                if (summarized()) {
                    statement.execute("select ual_session_quality_rebuild()");
                }
            }
            control.commit();
            return counts.result(true, kept, removed, counts.rows, load,
                    Duration.ofNanos(System.nanoTime() - started), Duration.ofNanos(processCpuNanos() - cpuStarted),
                    qualitySummary());
        } catch (SQLException | RuntimeException e) {
            control.rollback();
            throw e;
        }
    }

    /** Copies the rows into fresh replay tables, committed as they come, then changes the live rows that differ. */
    private Result compared(Connection control, KafkaConsumer<byte[], byte[]> kafka, Map<Integer, Long> snapshot,
            boolean progressLine) throws SQLException {
        for (ProjectedTable table : tables) {
            execute(control, "create unlogged table " + table.replayName() + " (like " + table.name()
                    + " including defaults); alter table " + table.replayName() + " add primary key (" + table.key() + ")");
        }
        long cpuStarted = processCpuNanos();
        long started = System.nanoTime();
        // Withdrawals committed from now on are purged from the replay tables in the swap.
        withdrawn = withdrawals.refresh();
        Counts counts = load(kafka, snapshot, progressLine, false, this::copyIntoReplayTables);
        Duration load = Duration.ofNanos(System.nanoTime() - started);
        LOG.infof("Replay read %,d records in %.1f s; putting the replayed rows in place", counts.records,
                load.toMillis() / 1000.0);
        started = System.nanoTime();
        // Fresh tables have no statistics yet; the swap's comparison is planned on them.
        execute(control, "analyze " + tableNames(ProjectedTable::replayName));
        Swap changes = swap(control);
        return counts.result(false, changes.keptPastSnapshot(), changes.removed(), changes.added(), load,
                Duration.ofNanos(System.nanoTime() - started), Duration.ofNanos(processCpuNanos() - cpuStarted),
                qualitySummary());
    }

    private void dropReplayTables(Connection control) throws SQLException {
        execute(control, "drop table if exists " + tableNames(ProjectedTable::replayName));
    }

    private String tableNames(Function<ProjectedTable, String> name) {
        return tables.stream().map(name).collect(Collectors.joining(", "));
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
        /** Records of participants who withdrew, dropped. */
        long withdrawn;
        /** Rows of every replayed table. */
        long rows;

        void add(CopyRows copied) {
            actions += copied.count(ProjectedTable.UI_ACTION);
            positions += copied.count(ProjectedTable.MOUSE_POSITION);
            for (int i = 0; i < copied.tables().size(); i++) {
                rows += copied.count(i);
            }
        }

        Result result(boolean straightIn, long kept, long removed, long added, Duration load, Duration swap,
                Duration cpu, String qualitySummary) {
            return new Result(straightIn, records, rows, actions, positions, invalid, refused, withdrawn, kept, removed,
                    added, load, swap, cpu, qualitySummary);
        }
    }

    /** Writes a poll's rows: {@code batch} holds its records, for writing them action by action. */
    @FunctionalInterface
    private interface RowWriter {
        void write(CopyRows rows, List<Decoded> batch, Counts counts) throws SQLException;
    }

    private record Decoded(RawRecord raw, int partition, long offset) {
    }

    /**
     * Reads the raw topic up to the snapshot and hands each poll's rows to {@code writer}; {@code intoLive}:
     * the rows go straight into the live tables, where a row spanning actions that the live path already
     * stored past the snapshot is newer and kept.
     */
    private Counts load(KafkaConsumer<byte[], byte[]> kafka, Map<Integer, Long> snapshot, boolean progressLine,
            boolean intoLive, RowWriter writer) throws SQLException {
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
        // Two buffers: one poll is decoded while PostgreSQL copies the one before, on the copier thread,
        // in the order they were read.
        int pollRecords = config.replay().maxPollRecords();
        CopyRows[] rows = {pollRows(pollRecords), pollRows(pollRecords)};
        List<List<Decoded>> batches = List.of(new ArrayList<>(), new ArrayList<>());
        List<Future<?>> copies = new ArrayList<>(Arrays.asList(null, null));
        ExecutorService copier = Executors.newSingleThreadExecutor(task -> new Thread(task, "replay-copy"));
        Counts counts = new Counts();
        // Rows spanning actions (trials, sessions) are collected whole and written after the last poll.
        CopyRows spanning = new CopyRows(tables, 1).replacingStored(!intoLive);
        Sessions sessions = tables.stream().anyMatch(ProjectedTable::upserted) ? sessions(spanning) : null;
        // On a terminal, one line rewritten in place; in logs, a line every few seconds.
        ProgressLine line = progressLine ? new ProgressLine(System.out, "Replay", "records", total) : null;
        long lastReport = System.nanoTime();
        try {
            for (int turn = 0; !pending.isEmpty(); turn ^= 1) {
                finish(copies.get(turn));
                CopyRows poll = rows[turn].clear();
                List<Decoded> batch = batches.get(turn);
                batch.clear();
                for (ConsumerRecord<byte[], byte[]> record : kafka.poll(config.sink().pollTimeout())) {
                    if (record.offset() >= snapshot.get(record.partition())) {
                        continue;
                    }
                    counts.records++;
                    try {
                        RawRecord raw = RawRecords.open(record.value(), keys, limits);
                        if (raw == null) {
                            // Sealed with a key that is gone: a withdrawn participant's, unreadable.
                            counts.withdrawn++;
                            continue;
                        }
                        if (withdrawn.contains(raw.study(), raw.participant())) {
                            counts.withdrawn++;
                            continue;
                        }
                        batch.add(new Decoded(raw, record.partition(), record.offset()));
                        poll.add(raw, record.partition(), record.offset());
                        if (folded != null) {
                            folded.track(raw);
                        }
                        if (sessions != null) {
                            // Taken in at their receive time, so the end's closeIdle ends what the live path ended.
                            sessions.accept(raw, record.partition(), record.offset(), raw.receivedAt());
                        }
                    } catch (ValidationException | SealedPayloadException e) {
                        counts.invalid++;
                    }
                }
                copies.set(turn, copier.submit(() -> {
                    writer.write(poll, batch, counts);
                    return null;
                }));
                pending.removeIf(partition -> {
                    boolean done = kafka.position(partition) >= snapshot.get(partition.partition());
                    if (done) {
                        kafka.pause(List.of(partition));
                    }
                    return done;
                });
                if (line != null) {
                    line.update(counts.records);
                } else if (System.nanoTime() - lastReport > PROGRESS_EVERY.toNanos()) {
                    lastReport = System.nanoTime();
                    LOG.infof("Replayed %,d of %,d records", counts.records, total);
                }
            }
            finish(copies.get(0));
            finish(copies.get(1));
            if (sessions != null) {
                // As the live path does once the sessions have been idle that long; the rest stay open there.
                sessions.closeIdle(Instant.now());
                sessions.flush();
                writer.write(spanning, List.of(), counts);
            }
            if (line != null) {
                line.finish(counts.records);
            }
        } finally {
            if (line != null) {
                line.abandon();
            }
            // A copy still running holds the connection that the caller rolls back next.
            copier.shutdown();
            awaitQuietly(copier);
        }
        return counts;
    }

    /** Buffers for the rows of {@code records} records, summing them for the summary when it is folded. */
    private CopyRows pollRows(int records) {
        CopyRows rows = new CopyRows(tables, records);
        return folded == null ? rows : rows.foldingQuality();
    }

    /** The live topology's session keeping, with the ledgers in a map, adding the rows to {@code rows}. */
    private Sessions sessions(CopyRows rows) {
        ProcessorConfig.Sessions settings = config.sessions();
        return new Sessions(settings.markers(), settings.windows(),
                Sessions.Store.of(new HashMap<>()), (session, table, line) -> rows.add(table, line));
    }

    private static void awaitQuietly(ExecutorService copier) {
        try {
            copier.awaitTermination(10, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for a copy to end, and throws what it threw. */
    private static void finish(Future<?> copy) throws SQLException {
        if (copy == null) {
            return;
        }
        try {
            copy.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("replay interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Copies a poll's rows into the replay tables; when PostgreSQL refuses one as data, writes them one by one and skips the refused. */
    private void copyIntoReplayTables(CopyRows rows, List<Decoded> batch, Counts counts) throws SQLException {
        try {
            writer.write(ProjectedTable::replayName, rows);
            counts.add(rows);
            return;
        } catch (RuntimeException e) {
            if (!PostgresSink.isDataError(e)) {
                throw e;
            }
        }
        eachAction(batch, counts, one -> writer.write(ProjectedTable::replayName, one));
    }

    /** Copies a poll's rows into the live tables, within the replay's transaction. */
    private void copyStraightIn(Connection control, CopyRows rows, List<Decoded> batch, Counts counts)
            throws SQLException {
        try {
            try {
                rows.likelyNew(attempt(control, () -> ProjectionWriter.copy(control, rows, ProjectedTable::name,
                        rows.likelyNew(), true)));
            } catch (SQLException | RuntimeException e) {
                if (!ProjectionWriter.isExistingKeys(e)) {
                    throw e;
                }
                // The live sink stored some of these rows meanwhile: skip the keys it has.
                rows.likelyNew(attempt(control, () -> ProjectionWriter.copy(control, rows, ProjectedTable::name,
                        false, true)));
            }
            counts.add(rows);
            return;
        } catch (SQLException | RuntimeException e) {
            if (!PostgresSink.isDataError(e)) {
                throw e;
            }
        }
        eachAction(batch, counts, one -> attempt(control, () -> ProjectionWriter.copy(control, one,
                ProjectedTable::name, false, true)));
    }

    /** Runs {@code work} within a savepoint, so that its failure leaves the transaction as it was before it. */
    private static boolean attempt(Connection connection, SqlWork work) throws SQLException {
        Savepoint savepoint = connection.setSavepoint();
        try {
            boolean result = work.run();
            connection.releaseSavepoint(savepoint);
            return result;
        } catch (SQLException | RuntimeException e) {
            connection.rollback(savepoint);
            throw e;
        }
    }

    @FunctionalInterface
    private interface SqlWork {
        boolean run() throws SQLException;
    }

    @FunctionalInterface
    private interface OneRow {
        void write(CopyRows one) throws SQLException;
    }

    /** Writes each action of the batch on its own, counting and skipping those PostgreSQL refuses as data. */
    private void eachAction(List<Decoded> batch, Counts counts, OneRow write) throws SQLException {
        CopyRows one = pollRows(1);
        for (Decoded decoded : batch) {
            for (int i = 0; i < decoded.raw().actions().size(); i++) {
                one.clear().add(decoded.raw(), i, decoded.partition(), decoded.offset());
                try {
                    write.write(one);
                    counts.add(one);
                } catch (SQLException | RuntimeException e) {
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
    private Swap swap(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            // As a withdrawal does, this table before the rows; withdrawals wait for the swap to commit.
            Withdrawn now = withdrawals.lockAndCheck(connection, withdrawn);
            statement.execute("lock table " + tableNames(ProjectedTable::name) + " in exclusive mode");
            if (summarized()) {
                // The summary's delete triggers stand aside; the rebuild below derives it from the rows once.
                statement.execute("set local ual.session_quality_deferred = on");
            }
            workMem(connection);
            long kept = 0;
            long removed = 0;
            long added = 0;
            for (ProjectedTable table : tables) {
                String live = table.name();
                String replayed = table.replayName();
                String key = table.key();
                // A row spanning actions that the live path changed past the snapshot is newer than the replayed one.
                long keptHere = statement.executeUpdate("insert into " + replayed + " select t.* from " + live + " t"
                        + PAST_SNAPSHOT + " on conflict (" + key + ") do "
                        + (table.upserted() ? "update set " + table.updateFromExcluded() : "nothing"));
                kept += table == tables.get(0) ? keptHere : 0;
                if (now != withdrawn) {
                    // Someone withdrew, or a study was deleted, during the load: their replayed rows go before
                    // the comparison.
                    statement.executeUpdate("delete from " + replayed + " r using participant_withdrawal w"
                            + " where r.study = w.study and (r.participant = w.participant or w.participant = '"
                            + Withdrawn.WHOLE_STUDY + "')");
                }
                removed += statement.executeUpdate("delete from " + live + " l where not exists (select 1 from "
                        + replayed + " r where " + table.sameKey("r", "l")
                        + " and row(r.*) is not distinct from row(l.*))");
                // What is left of the live rows equals its replayed row: the unique key skips it. (An anti-join
                // against the live table, whose statistics may say empty, was planned as a nested loop over a
                // table that this very statement grows.)
                added += statement.executeUpdate("insert into " + live + " select * from " + replayed
                        + " on conflict (" + key + ") do nothing");
            }
            if (summarized()) {
                // The per-session summary, re-derived from the rows like them, whatever it held before.
                statement.execute("select ual_session_quality_rebuild()");
            }
            connection.commit();
            return new Swap(kept, removed, added);
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        }
    }

    /** The replay's work_mem for the rest of the transaction: the summary's rebuild sorts every row. */
    private void workMem(Connection connection) throws SQLException {
        try (PreparedStatement workMem = connection.prepareStatement("select set_config('work_mem', ?, true)")) {
            workMem.setString(1, config.replay().workMem());
            workMem.execute();
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
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.replay().maxPollRecords());
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, config.sink().maxPartitionFetchBytes());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "ual-replay");
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
