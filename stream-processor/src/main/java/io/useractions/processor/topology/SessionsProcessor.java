package io.useractions.processor.topology;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.function.Supplier;

import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import io.useractions.model.RawRecord;
import io.useractions.model.RecordHeaders;
import io.useractions.model.crypto.DataKey;
import io.useractions.model.crypto.RecordBinding;
import io.useractions.model.crypto.SealedRecords;
import io.useractions.processor.projection.ProjectedTable;
import io.useractions.processor.sessions.Sessions;
import io.useractions.processor.withdrawal.Withdrawn;

/**
 * Keeps the sessions of this task's partition in the session state store and forwards the rows of the
 * trial and session_summary tables to the projection topic, keyed by session like the records they come
 * from, with the table's name in the {@code ual.table} header. The store and the forwarded rows commit in
 * the topology's exactly-once transactions, so a processor killed at any point neither loses nor repeats
 * a row's change.
 * The sessions of participants who withdrew are removed from the store (a tombstone in its changelog) on the
 * next emit after this processor learnt of the withdrawal. With {@link Sealing#sealSessions()}, the stored
 * ledgers ({@link SealedSessionStore}) and the forwarded rows are sealed with the participant's key.
 */
final class SessionsProcessor implements Processor<String, RawRecord, String, byte[]> {
    private final SessionSettings settings;
    private final Supplier<Withdrawn> withdrawn;
    private final Sealing sealing;
    private ProcessorContext<String, byte[]> context;
    private Sessions sessions;
    private long timestamp;
    /** The withdrawals whose sessions were last removed from the store. */
    private Withdrawn forgotten = Withdrawn.NONE;

    SessionsProcessor(SessionSettings settings, Supplier<Withdrawn> withdrawn, Sealing sealing) {
        this.settings = settings;
        this.withdrawn = withdrawn;
        this.sealing = sealing;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        KeyValueStore<String, byte[]> store = context.getStateStore(ProjectionTopology.SESSION_STORE);
        Sessions.Store ledgers = stateStore(store);
        if (sealing.sealSessions()) {
            ledgers = new SealedSessionStore(ledgers, sealing.keys(), withdrawn);
        }
        sessions = new Sessions(settings.markers(), settings.windows(), ledgers,
                this::forward);
        context.schedule(settings.emitInterval(), PunctuationType.WALL_CLOCK_TIME, now -> {
            timestamp = now;
            forgetWithdrawn();
            sessions.closeIdle(Instant.ofEpochMilli(now));
            sessions.flush();
        });
    }

    @Override
    public void process(Record<String, RawRecord> record) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        timestamp = record.timestamp();
        // Idleness on the clock: a session is quiet when the processor has seen nothing of it for a while.
        sessions.accept(record.value(), source.partition(), source.offset(), context.currentSystemTimeMs());
    }

    /** Removes the sessions of participants who withdrew since the last time, so no row of theirs is emitted again. */
    private void forgetWithdrawn() {
        Withdrawn now = withdrawn.get();
        if (now != forgotten) {
            forgotten = now;
            if (!now.isEmpty()) {
                sessions.forget(now::contains);
            }
        }
    }

    private void forward(String sessionId, ProjectedTable table, byte[] line) {
        byte[] value = line;
        if (sealing.sealSessions()) {
            String study = table.text(line, "study");
            String participant = table.text(line, "participant");
            DataKey key = sealing.keys().current(study, participant);
            if (key != null) {
                value = SealedRecords.seal(key, new RecordBinding(study, participant, sessionId), line);
            } else if (withdrawn.get().contains(study, participant)) {
                // Their key is gone: nothing of theirs goes out in clear.
                return;
            }
        }
        var headers = new org.apache.kafka.common.header.internals.RecordHeaders();
        headers.add(RecordHeaders.TABLE, table.name().getBytes(StandardCharsets.UTF_8));
        context.forward(new Record<>(sessionId, value, timestamp, headers));
    }

    /** The Kafka Streams store as the sessions' {@link Sessions.Store}. */
    private static Sessions.Store stateStore(KeyValueStore<String, byte[]> store) {
        return Sessions.Store.of(store::get, store::put, store::delete, each -> {
            try (KeyValueIterator<String, byte[]> all = store.all()) {
                all.forEachRemaining(entry -> each.accept(entry.key, entry.value));
            }
        });
    }
}
