package io.useractions.processor.topology;

import java.nio.charset.StandardCharsets;
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
 * <p>Records of participants who withdrew are dropped, counted, not dead-lettered (docs/withdrawal.md).
 */
public final class ProjectionTopology {
    public static final String SOURCE = "raw-actions";
    public static final String VALIDATE = "validate";
    public static final String TO_PROJECTION = "to-projection";
    public static final String TO_DEAD_LETTER = "to-dead-letter";
    public static final String SESSIONS = "sessions";
    public static final String SESSION_STORE = "session-state";

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
        Topology topology = new Topology();
        topology.addSource(SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), rawTopic);
        topology.addProcessor(VALIDATE, () -> new ValidateProcessor(limits, sessions != null, withdrawn, listener),
                SOURCE);
        if (sessions != null) {
            topology.addProcessor(SESSIONS, () -> new SessionsProcessor(sessions, withdrawn), VALIDATE);
            // In memory, restored from its changelog: a ledger is a few hundred bytes per session. The cache
            // writes a session's last ledger per commit to the changelog, not one per record.
            topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(SESSION_STORE),
                    Serdes.String(), Serdes.ByteArray()).withCachingEnabled(), SESSIONS);
            topology.addSink(TO_PROJECTION, projectionTopic, Serdes.String().serializer(),
                    Serdes.ByteArray().serializer(), VALIDATE, SESSIONS);
        } else {
            topology.addSink(TO_PROJECTION, projectionTopic, Serdes.String().serializer(),
                    Serdes.ByteArray().serializer(), VALIDATE);
        }
        topology.addSink(TO_DEAD_LETTER, deadLetterTopic, Serdes.String().serializer(),
                Serdes.ByteArray().serializer(), VALIDATE);
        return topology;
    }

    /** Forwards byte[] values to the sinks and, to {@link #SESSIONS}, the decoded {@link RawRecord}. */
    static final class ValidateProcessor implements Processor<String, byte[], String, Object> {
        private final Limits limits;
        private final boolean sessions;
        private final Supplier<Withdrawn> withdrawn;
        private final Listener listener;
        private ProcessorContext<String, Object> context;

        ValidateProcessor(Limits limits, boolean sessions, Supplier<Withdrawn> withdrawn, Listener listener) {
            this.limits = limits;
            this.sessions = sessions;
            this.withdrawn = withdrawn;
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
                raw = RawRecords.decode(record.value(), limits);
            } catch (ValidationException e) {
                set(headers, RecordHeaders.SOURCE_TOPIC, source.topic());
                set(headers, RecordHeaders.DLQ_REASON, e.getMessage());
                set(headers, RecordHeaders.DLQ_FIELD, e.field() == null ? "" : e.field());
                set(headers, RecordHeaders.DLQ_STAGE, "validate");
                context.forward(record, TO_DEAD_LETTER);
                listener.deadLettered(e.tooLarge() ? "too_large" : "invalid");
                return;
            }
            if (withdrawn.get().contains(raw.study(), raw.participant())) {
                // Not an error, so not dead-lettered: the participant asked for their data to be erased.
                listener.withdrawnDropped(raw.actions().size());
                return;
            }
            context.forward(record.withKey(raw.session()), TO_PROJECTION);
            if (sessions) {
                context.forward(record.<Object>withValue(raw).withKey(raw.session()), SESSIONS);
            }
            listener.projected(raw.actions().size());
        }

        private static void set(Headers headers, String name, String value) {
            headers.remove(name);
            headers.add(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }
}
