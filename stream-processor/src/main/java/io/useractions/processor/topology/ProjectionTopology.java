package io.useractions.processor.topology;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Supplier;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.Stores;

import io.useractions.model.Limits;
import io.useractions.model.RawRecord;
import io.useractions.model.RawRecords;
import io.useractions.model.RecordHeaders;
import io.useractions.model.ValidationException;
import io.useractions.model.crypto.SealedPayloadException;
import io.useractions.model.crypto.SealedRecords;
import io.useractions.processor.withdrawal.Withdrawn;

/**
 * Validates every record of the raw topic as a whole (a v2 record holds a batch's actions, a v1 record
 * one) and routes it: a valid record goes, keyed by its session, to the projection topic that the
 * PostgreSQL sink writes, with the raw record's partition and offset as its only headers; anything else
 * goes to the dead-letter topic with its source and the reason in headers. The value is forwarded byte
 * for byte: the sink binds a validated record directly, and encoding it again would cost this thread a
 * third of its JSON work. Run with exactly-once, so a raw record yields exactly one routed record
 * however often the processor restarts.
 *
 * <p>The valid records also go, decoded, to {@link SessionsProcessor}, which keeps each session's trials
 * and summary in a state store and sends their rows to the projection topic as well (see
 * {@link io.useractions.processor.sessions.Sessions}).
 *
 * <p>Records of participants who withdrew are dropped, counted, not dead-lettered (docs/withdrawal.md). A
 * record sealed with its participant's data key is opened to be checked and forwarded still sealed; one
 * whose key is gone is such a record.
 */
public final class ProjectionTopology {
    /** The sessions' state store, which tests read. */
    public static final String SESSION_STORE = "session-state";

    /** The topology's nodes; {@code Topology.describe()} shows each by its {@link #id}. */
    enum Node {
        RAW_ACTIONS, VALIDATE, TO_PROJECTION, TO_DEAD_LETTER, SESSIONS;

        final String id = name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Told about every routed record; the service counts them, tests may ignore them. */
    public interface Listener {
        Listener NONE = new Listener() {
        };

        default void projected(int actions) {
        }

        default void deadLettered(String reason) {
        }

        /** A record of a participant who withdrew was dropped. */
        default void withdrawnDropped(int actions) {
        }
    }

    private ProjectionTopology() {
    }

    /** The topology; without {@code sessions} (null), no trial and session tables are kept. */
    public static Topology build(String rawTopic, String projectionTopic, String deadLetterTopic, Limits limits,
            SessionSettings sessions, Listener listener) {
        return build(rawTopic, projectionTopic, deadLetterTopic, limits, sessions, () -> Withdrawn.NONE, listener);
    }

    /**
     * The topology, dropping the records of the participants {@code withdrawn} names when it is asked, and
     * removing their sessions' state on the sessions' next emit.
     */
    public static Topology build(String rawTopic, String projectionTopic, String deadLetterTopic, Limits limits,
            SessionSettings sessions, Supplier<Withdrawn> withdrawn, Listener listener) {
        return build(rawTopic, projectionTopic, deadLetterTopic, limits, sessions, withdrawn, Sealing.NONE, listener);
    }

    /**
     * The topology, opening sealed raw records with {@code sealing}'s keys (a record whose key is gone is
     * dropped as withdrawn) and, if it says so, sealing the session state and rows.
     */
    public static Topology build(String rawTopic, String projectionTopic, String deadLetterTopic, Limits limits,
            SessionSettings sessions, Supplier<Withdrawn> withdrawn, Sealing sealing, Listener listener) {
        Topology topology = new Topology();
        topology.addSource(Node.RAW_ACTIONS.id, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                rawTopic);
        topology.addProcessor(Node.VALIDATE.id, () -> new ValidateProcessor(limits, sessions != null, withdrawn,
                sealing.keys(), listener), Node.RAW_ACTIONS.id);
        String[] projected = {Node.VALIDATE.id};
        if (sessions != null) {
            topology.addProcessor(Node.SESSIONS.id, () -> new SessionsProcessor(sessions, withdrawn, sealing),
                    Node.VALIDATE.id);
            // In memory, restored from its changelog: a ledger is a few hundred bytes per session. Without a
            // cache: in Kafka Streams 4.1 a cached entry keeps its record context, which holds the source
            // record's raw bytes (a whole batch, KIP-1034) that the cache's size does not count; 2,000 cached
            // ledgers held 26 MB of batches. Without it a ledger goes to the changelog once per raw record.
            topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(SESSION_STORE),
                    Serdes.String(), Serdes.ByteArray()).withCachingDisabled(), Node.SESSIONS.id);
            projected = new String[] {Node.VALIDATE.id, Node.SESSIONS.id};
        }
        topology.addSink(Node.TO_PROJECTION.id, projectionTopic, Serdes.String().serializer(),
                Serdes.ByteArray().serializer(), projected);
        topology.addSink(Node.TO_DEAD_LETTER.id, deadLetterTopic, Serdes.String().serializer(),
                Serdes.ByteArray().serializer(), Node.VALIDATE.id);
        return topology;
    }

    /** Forwards byte[] values to the sinks and, to {@link Node#SESSIONS}, the decoded {@link RawRecord}. */
    static final class ValidateProcessor implements Processor<String, byte[], String, Object> {
        private final Limits limits;
        private final boolean sessions;
        private final Supplier<Withdrawn> withdrawn;
        private final SealedRecords.Keys keys;
        private final Listener listener;
        private ProcessorContext<String, Object> context;

        ValidateProcessor(Limits limits, boolean sessions, Supplier<Withdrawn> withdrawn, SealedRecords.Keys keys,
                Listener listener) {
            this.limits = limits;
            this.sessions = sessions;
            this.withdrawn = withdrawn;
            this.keys = keys;
            this.listener = listener;
        }

        @Override
        public void init(ProcessorContext<String, Object> context) {
            this.context = context;
        }

        @Override
        public void process(Record<String, byte[]> record) {
            Headers headers = record.headers();
            RecordMetadata source = context.recordMetadata().orElseThrow();
            // The projection record carries only what varies: where its raw record is. The schema version is
            // in the value, and the source topic is the same for every record.
            headers.remove(RecordHeaders.SCHEMA);
            set(headers, RecordHeaders.SOURCE_PARTITION, Integer.toString(source.partition()));
            set(headers, RecordHeaders.SOURCE_OFFSET, Long.toString(source.offset()));
            RawRecord raw;
            try {
                raw = RawRecords.open(record.value(), keys, limits);
                if (raw == null) {
                    // Its key is gone: the participant withdrew, and this record can no longer be read by anyone.
                    listener.withdrawnDropped(0);
                    return;
                }
            } catch (ValidationException e) {
                deadLetter(record, headers, source, e.getMessage(), e.field(), e.tooLarge() ? "too_large" : "invalid");
                return;
            } catch (SealedPayloadException e) {
                // Forwarded as is, so still sealed: the dead-letter topic holds nothing readable of it.
                deadLetter(record, headers, source, "a sealed record that does not open: " + e.getMessage(), "",
                        "invalid");
                return;
            }
            if (withdrawn.get().contains(raw.study(), raw.participant())) {
                // Not an error, so not dead-lettered: the participant asked for their data to be erased.
                listener.withdrawnDropped(raw.actions().size());
                return;
            }
            context.forward(record.withKey(raw.session()), Node.TO_PROJECTION.id);
            if (sessions) {
                context.forward(record.<Object>withValue(raw).withKey(raw.session()), Node.SESSIONS.id);
            }
            listener.projected(raw.actions().size());
        }

        private void deadLetter(Record<String, byte[]> record, Headers headers, RecordMetadata source, String reason,
                String field, String kind) {
            set(headers, RecordHeaders.SOURCE_TOPIC, source.topic());
            set(headers, RecordHeaders.DLQ_REASON, reason);
            set(headers, RecordHeaders.DLQ_FIELD, field == null ? "" : field);
            set(headers, RecordHeaders.DLQ_STAGE, "validate");
            context.forward(record, Node.TO_DEAD_LETTER.id);
            listener.deadLettered(kind);
        }

        private static void set(Headers headers, String name, String value) {
            headers.remove(name);
            headers.add(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }
}
