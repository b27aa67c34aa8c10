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
import io.useractions.processor.config.ProcessorConfig;

/**
 * Writes projected rows and the consumer offsets they cover in one transaction, so the tables and the
 * stored offsets can never disagree: a crash before commit leaves neither, after commit both.
 */
@ApplicationScoped
public class ProjectionWriter {
    private static final String UPSERT_OFFSET = "insert into projection_offset (topic, partition, next_offset) "
            + "values (?1, ?2, ?3) on conflict (topic, partition) do update set next_offset = excluded.next_offset";

    private static final int COPY_CHUNK_BYTES = 64 * 1024;
    private static final String UNIQUE_VIOLATION = "23505";

    private final StatelessSession session;
    private final int jdbcBatchSize;

    public ProjectionWriter(StatelessSession session, ProcessorConfig config) {
        this.session = session;
        this.jdbcBatchSize = config.sink().jdbcBatchSize();
    }

    /** Inserts each row through Hibernate: the path for a batch PostgreSQL refused, row by row. */
    public void writeEach(List<UiAction> actions, List<MousePosition> positions, String topic,
            Map<Integer, Long> nextOffsets) {
        QuarkusTransaction.requiringNew().run(() -> {
            session.setJdbcBatchSize(jdbcBatchSize);
            session.insertMultiple(actions);
            session.insertMultiple(positions);
            storeOffsets(topic, nextOffsets);
        });
    }

    private void storeOffsets(String topic, Map<Integer, Long> nextOffsets) {
        nextOffsets.forEach((partition, offset) -> session.createNativeMutationQuery(UPSERT_OFFSET)
                .setParameter(1, topic)
                .setParameter(2, partition)
                .setParameter(3, offset)
                .executeUpdate());
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
    public void write(CopyRows rows, String topic, Map<Integer, Long> nextOffsets) {
        write(Tables.LIVE, rows, topic, nextOffsets);
    }

    /** Inserts rows whose ids are new into {@code tables}, as {@link #write(CopyRows, String, Map)} does, without offsets. */
    public void write(Tables tables, CopyRows rows) {
        write(tables, rows, null, Map.of());
    }

    private void write(Tables tables, CopyRows rows, String topic, Map<Integer, Long> nextOffsets) {
        if (rows.likelyNew) {
            try {
                transaction(tables, rows, topic, nextOffsets, true);
                return;
            } catch (RuntimeException e) {
                if (!(e instanceof ExistingIds || e.getCause() instanceof ExistingIds)) {
                    throw e;
                }
                // rolled back; redone below
            }
        }
        rows.likelyNew = transaction(tables, rows, topic, nextOffsets, false);
    }

    private boolean transaction(Tables tables, CopyRows rows, String topic, Map<Integer, Long> nextOffsets,
            boolean direct) {
        return QuarkusTransaction.requiringNew().call(() -> {
            // Offsets first: COPY goes through the driver's own API, past the pool's wrapper, so a
            // connection that died (a PostgreSQL restart) is only seen as broken, and dropped from the
            // pool, when a statement through the wrapper fails on it.
            if (topic != null) {
                storeOffsets(topic, nextOffsets);
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
