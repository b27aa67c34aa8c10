package io.useractions.processor.projection;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.StatelessSession;

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

    private final StatelessSession session;
    private final int jdbcBatchSize;

    public ProjectionWriter(StatelessSession session, ProcessorConfig config) {
        this.session = session;
        this.jdbcBatchSize = config.sink().jdbcBatchSize();
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

    /** Inserts rows whose ids are new (ignoring the rest) and records the next offsets, atomically. */
    public void write(List<UiAction> actions, List<MousePosition> positions, String topic,
            Map<Integer, Long> nextOffsets) {
        QuarkusTransaction.requiringNew().run(() -> {
            session.setJdbcBatchSize(jdbcBatchSize);
            session.insertMultiple(actions);
            session.insertMultiple(positions);
            nextOffsets.forEach((partition, offset) -> session.createNativeMutationQuery(UPSERT_OFFSET)
                    .setParameter(1, topic)
                    .setParameter(2, partition)
                    .setParameter(3, offset)
                    .executeUpdate());
        });
    }
}
