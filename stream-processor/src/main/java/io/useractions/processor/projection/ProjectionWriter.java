package io.useractions.processor.projection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

import io.useractions.model.Jdbc;

/**
 * Writes projected rows and the consumer offsets they cover in one transaction, so the tables and the
 * stored offsets can never disagree: a crash before commit leaves neither, after commit both. The
 * offsets are fenced: a transaction commits only if it finds them where its batch started.
 */
@ApplicationScoped
public class ProjectionWriter {
    // Fenced writes: each proves that the stored offset is still the one its batch started from.
    private static final String INSERT_FIRST_OFFSET = "insert into projection_offset (topic, partition, next_offset) "
            + "values (?, ?, ?) on conflict (topic, partition) do nothing";
    private static final String ADVANCE_OFFSET = "update projection_offset set next_offset = ? "
            + "where topic = ? and partition = ? and next_offset = ?";
    private static final String STORED_OFFSETS = "select partition, next_offset from projection_offset where topic = ?";

    private static final String UNIQUE_VIOLATION = "23505";

    private final DataSource dataSource;

    public ProjectionWriter(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Moves each partition's stored offset from the value its batch started from to the next one, or
     * throws {@link OffsetFenced} (and the transaction rolls back) when the stored value is another: a
     * database that lost its last commits, or a writer that no longer owns the partition.
     */
    private static void storeOffsets(Connection connection, String topic, List<OffsetMove> moves)
            throws SQLException {
        try (PreparedStatement first = connection.prepareStatement(INSERT_FIRST_OFFSET);
                PreparedStatement advance = connection.prepareStatement(ADVANCE_OFFSET)) {
            for (OffsetMove move : moves) {
                int changed;
                if (move.expected() == null) {
                    first.setString(1, topic);
                    first.setInt(2, move.partition());
                    first.setLong(3, move.next());
                    changed = first.executeUpdate();
                } else {
                    advance.setLong(1, move.next());
                    advance.setString(2, topic);
                    advance.setInt(3, move.partition());
                    advance.setLong(4, move.expected());
                    changed = advance.executeUpdate();
                }
                if (changed != 1) {
                    throw new OffsetFenced(topic, move, storedOffsets(connection, topic).get(move.partition()));
                }
            }
        }
    }

    private static Map<Integer, Long> storedOffsets(Connection connection, String topic) throws SQLException {
        Map<Integer, Long> offsets = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement(STORED_OFFSETS)) {
            query.setString(1, topic);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    offsets.put(rs.getInt(1), rs.getLong(2));
                }
            }
        }
        return offsets;
    }

    /**
     * Copies each table's rows into the table {@code into} names: straight in when they are expected to be
     * new ({@code direct}), else (or when that meets an existing key and fails with {@link ExistingKeys})
     * through a session-local staging table and {@code INSERT ... ON CONFLICT DO NOTHING}. Then, when the
     * rows fold the data-quality summary ({@link CopyRows#foldingQuality()}), adds what the inserted rows
     * add to it. Returns whether every row was new. {@code moreFollow}: other copies follow in this
     * transaction (a replay's), so the staging tables are emptied after use; otherwise (the sink's one copy)
     * the commit empties them ({@code on commit delete rows}), which spares a {@code TRUNCATE}: it gives a
     * temporary table new storage and its catalog row a new version, about 1 ms a call (docs/benchmarks.md).
     */
    public static boolean copy(Connection connection, CopyRows rows, Function<ProjectedTable, String> into,
            boolean direct, boolean moreFollow) throws SQLException {
        QualityFold quality = rows.quality();
        boolean allNew = true;
        Set<UUID> actionsInserted = null;
        Set<UUID> samplesInserted = null;
        for (int i = 0; i < rows.tables().size(); i++) {
            ProjectedTable table = rows.tables().get(i);
            boolean summarised = table == ProjectedTable.UI_ACTION || table == ProjectedTable.MOUSE_POSITION;
            Set<UUID> inserted = quality != null && summarised && !direct ? new HashSet<>() : null;
            boolean all = copyIn(connection, into.apply(table), table, rows.rows(i), rows.count(i), direct,
                    rows.replacesStored(), inserted, moreFollow);
            allNew &= all;
            if (!all && inserted != null) {
                if (table == ProjectedTable.UI_ACTION) {
                    actionsInserted = inserted;
                } else {
                    samplesInserted = inserted;
                }
            }
        }
        if (quality != null) {
            boolean part = actionsInserted != null || samplesInserted != null;
            (part ? rows.qualityOfInserted(actionsInserted, samplesInserted) : quality).write(connection);
        }
        return allNew;
    }

    /**
     * Copies one table's rows; returns whether all of them were new. {@code inserted}, when given, receives
     * the keys of the rows a staged insert added (a table keyed by an action's id). {@code emptyStage}: empty
     * the staging table now rather than at commit.
     */
    private static boolean copyIn(Connection connection, String into, ProjectedTable table, CopyBuffer rows, int count,
            boolean direct, boolean replacing, Set<UUID> inserted, boolean emptyStage) throws SQLException {
        if (count == 0) {
            return true;
        }
        CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
        // Rows spanning actions replace stored ones, so they always go through the staging table.
        direct &= !table.upserted();
        String target = direct ? into : "ual_stage_" + into;
        String columns = table.columnList();
        try (Statement statement = connection.createStatement()) {
            if (!direct) {
                statement.execute("create temp table if not exists " + target + " (like " + into
                        + " including defaults) on commit delete rows");
            }
            try {
                copyIn(copy, "copy " + target + " (" + columns + ") from stdin" + table.copyOptions(), rows,
                        table.binary());
            } catch (SQLException e) {
                if (direct && UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    throw new ExistingKeys(into);
                }
                throw e;
            }
            if (direct) {
                return true;
            }
            String insert = "insert into " + into + " (" + columns + ") select " + columns + " from " + target
                    + " on conflict (" + table.key() + ") do "
                    + (table.upserted() && replacing ? "update set " + table.updateFromExcluded() : "nothing");
            int added;
            if (inserted != null) {
                try (ResultSet keys = statement.executeQuery(insert + " returning " + table.key())) {
                    while (keys.next()) {
                        inserted.add(keys.getObject(1, UUID.class));
                    }
                }
                added = inserted.size();
            } else {
                added = statement.executeUpdate(insert);
            }
            if (emptyStage) {
                statement.execute("truncate " + target);
            }
            return added == count;
        }
    }

    /**
     * The rows as one CopyData message, straight from their buffer (a stream would copy them into another),
     * framed by the binary format's header and trailer when they are binary.
     */
    private static void copyIn(CopyManager copy, String sql, CopyBuffer rows, boolean binary) throws SQLException {
        CopyIn in = copy.copyIn(sql);
        try {
            if (binary) {
                in.writeToCopy(BinaryRows.HEADER, 0, BinaryRows.HEADER.length);
            }
            in.writeToCopy(rows.bytes, 0, rows.length);
            if (binary) {
                in.writeToCopy(BinaryRows.TRAILER, 0, BinaryRows.TRAILER.length);
            }
            in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    /**
     * Checks that every table has the columns its declaration writes, of the types it writes them in, so
     * that a migration and a {@link ProjectedTable} that disagree stop the processor at start-up with the
     * difference named, not at its first batch.
     */
    public void checkSchema(List<ProjectedTable> tables) {
        inTransaction(connection -> {
            for (ProjectedTable table : tables) {
                Map<String, String> present = new HashMap<>();
                try (PreparedStatement columns = connection.prepareStatement("select column_name, data_type from "
                        + "information_schema.columns where table_schema = current_schema() and table_name = ?")) {
                    columns.setString(1, table.name());
                    try (ResultSet rs = columns.executeQuery()) {
                        while (rs.next()) {
                            present.put(rs.getString(1), rs.getString(2));
                        }
                    }
                }
                if (present.isEmpty()) {
                    throw new IllegalStateException("table " + table.name() + " does not exist: no migration creates it");
                }
                List<String> missing = table.columnNames().stream().filter(name -> !present.containsKey(name)).toList();
                if (!missing.isEmpty()) {
                    throw new IllegalStateException("table " + table.name() + " lacks the columns " + missing
                            + " that its declaration writes: add them with a migration");
                }
                List<String> types = table.columnTypes();
                List<String> differing = new ArrayList<>();
                for (int i = 0; i < types.size(); i++) {
                    String column = table.columnNames().get(i);
                    if (!types.get(i).equals(present.get(column))) {
                        differing.add(column + " is " + present.get(column) + ", written as " + types.get(i));
                    }
                }
                if (!differing.isEmpty()) {
                    throw new IllegalStateException("table " + table.name() + " has columns of other types than its "
                            + "declaration writes in binary: " + String.join("; ", differing));
                }
            }
            return null;
        });
    }

    public Map<Integer, Long> storedOffsets(String topic) {
        return inTransaction(connection -> storedOffsets(connection, topic));
    }

    /**
     * Inserts rows whose keys are new (ignoring the rest) and records the next offsets, atomically. Rows go
     * in with COPY. COPY cannot skip keys that exist, so a batch after one that met existing keys (a replay,
     * a redelivery) goes through staging tables and {@code ON CONFLICT DO NOTHING}, which costs PostgreSQL
     * about twice as much; a direct COPY that meets an existing key is rolled back and redone that way.
     */
    public void write(CopyRows rows, String topic, List<OffsetMove> moves) {
        write(ProjectedTable::name, rows, topic, moves, Guard.NONE);
    }

    /**
     * As {@link #write(CopyRows, String, List)}, with {@code guard} run first in each transaction: the sink's
     * check that no row belongs to a participant who withdrew.
     */
    public void write(CopyRows rows, String topic, List<OffsetMove> moves, Guard guard) {
        write(ProjectedTable::name, rows, topic, moves, guard);
    }

    /** Inserts rows whose keys are new into the tables {@code into} names, as {@link #write(CopyRows, String, List)} does, without offsets. */
    public void write(Function<ProjectedTable, String> into, CopyRows rows) {
        write(into, rows, null, List.of(), Guard.NONE);
    }

    /** As {@link #write(Function, CopyRows)}, with {@code guard} run first in the transaction. */
    public void write(Function<ProjectedTable, String> into, CopyRows rows, Guard guard) {
        write(into, rows, null, List.of(), guard);
    }

    private void write(Function<ProjectedTable, String> into, CopyRows rows, String topic, List<OffsetMove> moves,
            Guard guard) {
        if (rows.likelyNew) {
            try {
                transaction(into, rows, topic, moves, true, guard);
                return;
            } catch (RuntimeException e) {
                if (!isExistingKeys(e)) {
                    throw e;
                }
                // rolled back; redone below
            }
        }
        rows.likelyNew = transaction(into, rows, topic, moves, false, guard);
    }

    /** Whether a direct COPY failed because it met a key already stored. */
    public static boolean isExistingKeys(Throwable e) {
        return e instanceof ExistingKeys || e.getCause() instanceof ExistingKeys;
    }

    private boolean transaction(Function<ProjectedTable, String> into, CopyRows rows, String topic,
            List<OffsetMove> moves, boolean direct, Guard guard) {
        return inTransaction(connection -> {
            guard.check(connection);
            // Offsets first: COPY goes through the driver's own API, past the pool's wrapper, so a
            // connection that died (a PostgreSQL restart) is only seen as broken, and dropped from the
            // pool, when a statement through the wrapper fails on it.
            if (topic != null) {
                storeOffsets(connection, topic, moves);
            }
            return copy(connection, rows, into, direct, false);
        });
    }

    /** Runs {@code work} in a transaction of its own: committed when it returns, rolled back when it throws. */
    private <T> T inTransaction(Jdbc.Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return Jdbc.inTransaction(connection, work);
        } catch (SQLException e) {
            throw new SinkSqlException(e);
        }
    }

    /** Runs first in a write's transaction; throws to roll it back. */
    @FunctionalInterface
    public interface Guard {
        Guard NONE = connection -> {
        };

        void check(Connection connection) throws SQLException;
    }

    /** A statement failed; the {@link SQLException} (and its SQLState) is the cause. */
    public static final class SinkSqlException extends RuntimeException {
        SinkSqlException(SQLException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** A direct COPY met a key already stored; a stackless signal that the batch goes through staging. */
    private static final class ExistingKeys extends RuntimeException {
        ExistingKeys(String table) {
            super("COPY into " + table + " met keys already stored", null, false, false);
        }
    }
}
