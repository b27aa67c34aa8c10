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

    private static void copyIn(Connection connection, String table, String columns, String key, byte[] rows,
            int length, int count) throws SQLException {
        if (count == 0) {
            return;
        }
        String stage = "ual_stage_" + table;
        try (Statement statement = connection.createStatement()) {
            statement.execute("create temp table if not exists " + stage + " (like " + table
                    + " including defaults) on commit delete rows");
            connection.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("copy " + stage + " (" + columns + ") from stdin", new ByteArrayInputStream(rows, 0, length),
                            COPY_CHUNK_BYTES);
            statement.executeUpdate("insert into " + table + " (" + columns + ") select " + columns + " from " + stage
                    + " on conflict (" + key + ") do nothing");
        } catch (IOException e) {
            throw new SQLException("COPY into " + stage + " failed", e);
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
     * Inserts rows whose ids are new (ignoring the rest) and records the next offsets, atomically. Rows
     * go through COPY into session-local staging tables and from there into the real ones with
     * {@code ON CONFLICT DO NOTHING}: COPY cannot skip existing ids itself, and per-row INSERTs reached
     * about a third of COPY's rate (see README, Benchmarks).
     */
    public void write(CopyRows rows, String topic, Map<Integer, Long> nextOffsets) {
        QuarkusTransaction.requiringNew().run(() -> {
            session.doWork(connection -> {
                copyIn(connection, "ui_action", CopyRows.UI_ACTION_COLUMNS, "id", rows.actionRows(),
                        rows.actionBytes(), rows.actionCount());
                copyIn(connection, "mouse_position", CopyRows.MOUSE_POSITION_COLUMNS, "action_id", rows.positionRows(),
                        rows.positionBytes(), rows.positionCount());
            });
            storeOffsets(topic, nextOffsets);
        });
    }
}
