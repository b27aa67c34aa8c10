package io.useractions.processor.projection;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.StatelessSession;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Writes projected rows and the consumer offsets they cover in one transaction, so the tables and the
 * stored offsets can never disagree: a crash before commit leaves neither, after commit both. The
 * offsets are fenced: a transaction commits only if it finds them where its batch started.
 */
@ApplicationScoped
public class ProjectionWriter {
    // Fenced writes: each proves that the stored offset is still the one its batch started from.
    private static final String INSERT_FIRST_OFFSET = "insert into projection_offset (topic, partition, next_offset) "
            + "values (?1, ?2, ?3) on conflict (topic, partition) do nothing";
    private static final String ADVANCE_OFFSET = "update projection_offset set next_offset = ?3 "
            + "where topic = ?1 and partition = ?2 and next_offset = ?4";
    private static final String STORED_OFFSET = "select next_offset from projection_offset "
            + "where topic = ?1 and partition = ?2";

    private static final int COPY_CHUNK_BYTES = 64 * 1024;
    private static final String UNIQUE_VIOLATION = "23505";

    private final StatelessSession session;

    public ProjectionWriter(StatelessSession session) {
        this.session = session;
    }

    /**
     * Moves each partition's stored offset from the value its batch started from to the next one, or
     * throws {@link OffsetFenced} (and the transaction rolls back) when the stored value is another: a
     * database that lost its last commits, or a writer that no longer owns the partition.
     */
    private void storeOffsets(String topic, List<OffsetMove> moves) {
        for (OffsetMove move : moves) {
            int changed = move.expected() == null
                    ? session.createNativeMutationQuery(INSERT_FIRST_OFFSET)
                            .setParameter(1, topic)
                            .setParameter(2, move.partition())
                            .setParameter(3, move.next())
                            .executeUpdate()
                    : session.createNativeMutationQuery(ADVANCE_OFFSET)
                            .setParameter(1, topic)
                            .setParameter(2, move.partition())
                            .setParameter(3, move.next())
                            .setParameter(4, move.expected())
                            .executeUpdate();
            if (changed != 1) {
                Long stored = session.createNativeQuery(STORED_OFFSET, Long.class)
                        .setParameter(1, topic)
                        .setParameter(2, move.partition())
                        .uniqueResultOptional()
                        .orElse(null);
                throw new OffsetFenced(topic, move.partition(), move.expected(), stored);
            }
        }
    }

    /**
     * Copies rows into {@code table}: straight in when they are expected to be new, else (or when that
     * meets an existing id and fails) through a session-local staging table and {@code INSERT ... ON
     * CONFLICT DO NOTHING}. Returns whether every row was new.
     */
    private static boolean copyIn(Connection connection, String table, String columns, String key, byte[] rows,
            int length, int count, boolean direct) throws SQLException {
        if (count == 0) {
            return true;
        }
        CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
        String target = direct ? table : "ual_stage_" + table;
        try (Statement statement = connection.createStatement()) {
            if (!direct) {
                statement.execute("create temp table if not exists " + target + " (like " + table
                        + " including defaults) on commit delete rows");
            }
            try {
                copy.copyIn("copy " + target + " (" + columns + ") from stdin",
                        new ByteArrayInputStream(rows, 0, length), COPY_CHUNK_BYTES);
            } catch (SQLException e) {
                if (direct && UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    throw new ExistingIds(table);
                }
                throw e;
            }
            return direct || statement.executeUpdate("insert into " + table + " (" + columns + ") select " + columns
                    + " from " + target + " on conflict (" + key + ") do nothing") == count;
        } catch (IOException e) {
            throw new SQLException("COPY into " + target + " failed", e);
        }
    }

    public Map<Integer, Long> storedOffsets(String topic) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Map<Integer, Long> offsets = new HashMap<>();
            session.createSelectionQuery("from ProjectionOffset where topic = :topic", ProjectionOffset.class)
                    .setParameter("topic", topic)
                    .getResultList()
                    .forEach(offset -> offsets.put(offset.partition, offset.nextOffset));
            return offsets;
        });
    }

    /**
     * Inserts rows whose ids are new (ignoring the rest) and records the next offsets, atomically. Rows go
     * in with COPY. COPY cannot skip ids that exist, so a batch after one that met existing ids (a replay,
     * a redelivery) goes through staging tables and {@code ON CONFLICT DO NOTHING}, which costs PostgreSQL
     * about twice as much; a direct COPY that meets an existing id is rolled back and redone that way.
     */
    public void write(CopyRows rows, String topic, List<OffsetMove> moves) {
        write(Tables.LIVE, rows, topic, moves);
    }

    /** Inserts rows whose ids are new into {@code tables}, as {@link #write(CopyRows, String, List)} does, without offsets. */
    public void write(Tables tables, CopyRows rows) {
        write(tables, rows, null, List.of());
    }

    private void write(Tables tables, CopyRows rows, String topic, List<OffsetMove> moves) {
        if (rows.likelyNew) {
            try {
                transaction(tables, rows, topic, moves, true);
                return;
            } catch (RuntimeException e) {
                if (!(e instanceof ExistingIds || e.getCause() instanceof ExistingIds)) {
                    throw e;
                }
                // rolled back; redone below
            }
        }
        rows.likelyNew = transaction(tables, rows, topic, moves, false);
    }

    private boolean transaction(Tables tables, CopyRows rows, String topic, List<OffsetMove> moves,
            boolean direct) {
        return QuarkusTransaction.requiringNew().call(() -> {
            // Offsets first: COPY goes through the driver's own API, past the pool's wrapper, so a
            // connection that died (a PostgreSQL restart) is only seen as broken, and dropped from the
            // pool, when a statement through the wrapper fails on it.
            if (topic != null) {
                storeOffsets(topic, moves);
            }
            return session.doReturningWork(connection -> copyIn(connection, tables.actions(),
                    CopyRows.UI_ACTION_COLUMNS, "id", rows.actionRows(), rows.actionBytes(), rows.actionCount(), direct)
                    & copyIn(connection, tables.positions(), CopyRows.MOUSE_POSITION_COLUMNS, "action_id",
                            rows.positionRows(), rows.positionBytes(), rows.positionCount(), direct));
        });
    }

    /** The two projected tables rows are copied into: the live ones, or a replay's. */
    public record Tables(String actions, String positions) {
        public static final Tables LIVE = new Tables("ui_action", "mouse_position");
    }

    /** A direct COPY met an id already stored; thrown past Hibernate so that it is not logged as an error. */
    private static final class ExistingIds extends RuntimeException {
        ExistingIds(String table) {
            super("COPY into " + table + " met ids already stored", null, false, false);
        }
    }
}
