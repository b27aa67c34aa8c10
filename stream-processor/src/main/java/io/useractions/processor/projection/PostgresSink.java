package io.useractions.processor.projection;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.useractions.model.RawRecords;
import io.useractions.model.RecordHeaders;
import io.useractions.model.ValidationException;
import io.useractions.model.crypto.ParticipantKeys;
import io.useractions.model.crypto.SealedPayloadException;
import io.useractions.model.crypto.SealedRecords;
import io.useractions.processor.config.KafkaClients;
import io.useractions.processor.config.ProcessorConfig;
import io.useractions.processor.tables.DerivedTables;
import io.useractions.processor.withdrawal.Withdrawals;

/**
 * Writes the projection topic into PostgreSQL: one transaction per poll, holding the rows and the
 * offsets they cover (the Kafka Connect sink pattern). Offsets live in the database, so they can never
 * run ahead of durable rows; the copy committed to Kafka afterwards only serves lag monitoring.
 *
 * <p>Each transaction proves that the stored offsets are still those its batch started from (see
 * {@link ProjectionWriter}). After any failed transaction, and when a transaction is fenced because the
 * stored offsets moved (a database that lost its last commits, another writer), the consumer resumes
 * from the offsets stored in the database, not from its own position; it polls with its partitions
 * paused meanwhile, which keeps it in its group. An idle consumer compares the stored offsets with its
 * own every {@code offset-check-interval}, so a rewind is noticed without new records. A record
 * PostgreSQL refuses as data goes to the dead-letter topic so that the projection never stalls on it.
 * No row of a participant who withdrew, or of a deleted study, is written, even one already in the topic
 * then ({@link WithdrawnFilter}).
 */
@ApplicationScoped
public class PostgresSink {
    private static final Logger LOG = Logger.getLogger(PostgresSink.class);
    private final ProjectionWriter writer;
    private final DerivedTables tables;
    private final DeadLetters deadLetters;
    private final WithdrawnFilter withdrawn;
    private final Withdrawals withdrawals;
    private final ParticipantKeys keys;
    private final ProcessorConfig config;
    private final KafkaClients kafka;
    private final Counter projected;
    private final Counter mousePositions;
    private final Counter failedTransactions;
    private final Counter fences;
    private final AtomicLong lastPoll = new AtomicLong(System.currentTimeMillis());
    /** When a transaction last committed rows and offsets; 0 before the first. */
    private final AtomicLong lastCommit = new AtomicLong();

    private volatile boolean running;
    private volatile Throwable fatal;
    private final Set<KafkaConsumer<String, byte[]>> consumers = ConcurrentHashMap.newKeySet();
    private final List<Thread> threads = new ArrayList<>();

    public PostgresSink(ProjectionWriter writer, DerivedTables tables, DeadLetters deadLetters, Withdrawals withdrawals,
            ParticipantKeys keys, ProcessorConfig config, KafkaClients kafka, MeterRegistry registry) {
        this.writer = writer;
        this.withdrawals = withdrawals;
        this.keys = keys;
        this.withdrawn = new WithdrawnFilter(withdrawals);
        this.tables = tables;
        this.deadLetters = deadLetters;
        this.config = config;
        this.kafka = kafka;
        this.projected = counter(registry, "ual.processor.actions.projected",
                "Actions written to the raw actions table (replays included)");
        this.mousePositions = counter(registry, "ual.processor.mouse.positions.projected",
                "Actions written to the mouse positions table (replays included)");
        this.failedTransactions = counter(registry, "ual.processor.sink.failed.transactions",
                "Sink transactions that failed and were retried");
        this.fences = counter(registry, "ual.processor.sink.offset.fences", "Times the sink found a stored offset "
                + "other than its own (a database that lost commits, another writer) and resumed from the stored one");
    }

    private static Counter counter(MeterRegistry registry, String name, String description) {
        return Counter.builder(name).description(description).register(registry);
    }

    void start(@Observes StartupEvent event) {
        if (!config.sink().enabled()) {
            LOG.info("PostgreSQL sink disabled");
            return;
        }
        tables.ensureSchema();
        writer.checkSchema(tables.all());
        running = true;
        // Each consumer decodes and copies its own partitions, so one's database wait overlaps another's work.
        for (int i = 0; i < config.sink().consumers(); i++) {
            int index = i;
            Thread thread = new Thread(() -> run(index), "postgres-sink-" + index);
            threads.add(thread);
            thread.start();
        }
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        consumers.forEach(KafkaConsumer::wakeup);
        for (Thread thread : threads) {
            thread.join(Duration.ofSeconds(30).toMillis());
        }
    }

    public boolean alive() {
        return !config.sink().enabled()
                || (!threads.isEmpty() && threads.stream().allMatch(Thread::isAlive) && fatal == null);
    }

    /** Time since a consumer last returned from a poll, with or without records: the loop is turning. */
    public long millisSinceLastPoll() {
        return System.currentTimeMillis() - lastPoll.get();
    }

    /**
     * Time since a transaction last committed polled records (rows and the offsets they cover): the
     * projection is moving. Empty while nothing was written since the start, and growing on an idle topic.
     */
    public OptionalLong millisSinceLastCommit() {
        long at = lastCommit.get();
        return at == 0 ? OptionalLong.empty() : OptionalLong.of(System.currentTimeMillis() - at);
    }

    /** Survives any failure but an Error: a new consumer resumes from the offsets stored with the rows. */
    private void run(int index) {
        String topic = config.topics().projection();
        while (running) {
            try (KafkaConsumer<String, byte[]> kafka = new KafkaConsumer<>(consumerProps(index), new StringDeserializer(),
                    new ByteArrayDeserializer())) {
                consumers.add(kafka);
                try {
                    SinkConsumer consumer = new SinkConsumer(kafka, topic);
                    kafka.subscribe(List.of(topic), consumer);
                    consumer.run();
                } finally {
                    consumers.remove(kafka);
                }
            } catch (WakeupException e) {
                // stop() woke the consumer up
            } catch (RuntimeException e) {
                LOG.errorf(e, "PostgreSQL sink failed; starting a new consumer in %s", config.sink().retryBackoff());
                pause(config.sink().retryBackoff());
            } catch (Error e) {
                fatal = e;
                LOG.error("PostgreSQL sink stopped", e);
                throw e;
            }
        }
    }

    /**
     * One consumer of the projection topic and the stored offsets it believes its partitions have: the
     * offsets each transaction must find, and the position it resumes from when one does not.
     */
    private final class SinkConsumer implements ConsumerRebalanceListener {
        private final KafkaConsumer<String, byte[]> kafka;
        private final String topic;
        private final CopyRows rows = new CopyRows(tables.all(), config.sink().maxPollRecords())
                .foldingQuality();
        /** Stored next offset per assigned partition as of this consumer's last read or commit; absent: none stored. */
        private final Map<Integer, Long> stored = new HashMap<>();
        private boolean resumePending;
        private long lastCheck = System.nanoTime();

        SinkConsumer(KafkaConsumer<String, byte[]> kafka, String topic) {
            this.kafka = kafka;
            this.topic = topic;
        }

        void run() {
            while (running) {
                if (resumePending) {
                    resumeFromStoredOffsets();
                } else if (System.nanoTime() - lastCheck > config.sink().offsetCheckInterval().toNanos()) {
                    checkStoredOffsets();
                }
                ConsumerRecords<String, byte[]> records = kafka.poll(config.sink().pollTimeout());
                lastPoll.set(System.currentTimeMillis());
                if (!records.isEmpty()) {
                    project(records);
                }
            }
        }

        private void project(ConsumerRecords<String, byte[]> records) {
            List<ProjectedRecord> batch = new ArrayList<>(records.count());
            Map<Integer, Long> nextOffsets = new HashMap<>();
            int gone = 0;
            for (ConsumerRecord<String, byte[]> record : records) {
                ProjectedRecord decoded = decode(record);
                if (decoded != null) {
                    batch.add(decoded);
                } else {
                    gone++;
                }
                nextOffsets.put(record.partition(), record.offset() + 1);
            }
            withdrawals.dropped("sink", gone);
            List<OffsetMove> moves = new ArrayList<>(nextOffsets.size());
            nextOffsets.forEach((partition, next) -> moves.add(new OffsetMove(partition, stored.get(partition), next)));
            try {
                write(batch, moves);
            } catch (RuntimeException e) {
                OffsetFenced fenced = fenced(e);
                if (fenced != null) {
                    fence(fenced.move().partition(), fenced.move().expected(), fenced.stored());
                } else {
                    failedTransactions.increment();
                    LOG.warnf("Sink transaction failed, resuming from the stored offsets in %s: %s",
                            config.sink().retryBackoff(), rootMessage(e));
                    pause(config.sink().retryBackoff());
                }
                // Nothing polled since this batch is projected until the stored offsets are read again.
                kafka.pause(kafka.assignment());
                resumePending = true;
                return;
            }
            lastCommit.set(System.currentTimeMillis());
            stored.putAll(nextOffsets);
            Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
            nextOffsets.forEach((partition, offset) -> commit.put(new TopicPartition(topic, partition),
                    new OffsetAndMetadata(offset)));
            kafka.commitAsync(commit, null);
        }

        /** Dead-letters the records that cannot be decoded and writes the others but those of withdrawn participants. */
        private void write(List<ProjectedRecord> batch, List<OffsetMove> moves) {
            List<ProjectedRecord> valid = new ArrayList<>(batch.size());
            for (ProjectedRecord record : batch) {
                if (record.error() != null) {
                    deadLetters.send(record.source(), record.error());
                } else {
                    valid.add(record);
                }
            }
            withdrawn.write(valid, pass -> write(pass, moves, rows.clear()));
        }

        private void write(WithdrawnFilter.Pass pass, List<OffsetMove> moves, CopyRows rows) {
            for (ProjectedRecord record : pass.kept()) {
                rows.add(record);
            }
            try {
                writer.write(rows, topic, moves, pass.guard());
                projected.increment(rows.count(ProjectedTable.UI_ACTION));
                mousePositions.increment(rows.count(ProjectedTable.MOUSE_POSITION));
            } catch (RuntimeException e) {
                if (!isDataError(e)) {
                    throw e;
                }
                writeOneByOne(pass.kept(), moves, pass.guard());
            }
        }

        /**
         * Finds the rows PostgreSQL refuses by copying the actions one at a time, dead-letters each refused
         * action on its own (as a v1 record, with its index in the raw record), and writes the others.
         */
        private void writeOneByOne(List<ProjectedRecord> batch, List<OffsetMove> moves, ProjectionWriter.Guard guard) {
            LOG.warnf("PostgreSQL refused a batch of %d records as data; writing it action by action", batch.size());
            CopyRows one = new CopyRows(tables.all(), 1).foldingQuality();
            for (ProjectedRecord record : batch) {
                if (record.table() != null) {
                    try {
                        writer.write(ProjectedTable::name, one.clear().add(record.table(), record.line()), guard);
                    } catch (RuntimeException e) {
                        if (!isDataError(e)) {
                            throw e;
                        }
                        deadLetters.send(record.source(), "PostgreSQL refused the row: " + rootMessage(e));
                    }
                    continue;
                }
                for (int i = 0; i < record.raw().actions().size(); i++) {
                    try {
                        writer.write(ProjectedTable::name, one.clear().add(record.raw(), i,
                                record.srcPartition(), record.srcOffset()), guard);
                        projected.increment();
                        mousePositions.increment(one.count(ProjectedTable.MOUSE_POSITION));
                    } catch (RuntimeException e) {
                        if (!isDataError(e)) {
                            throw e;
                        }
                        deadLetters.send(record.source(), record.raw(), i, "PostgreSQL refused the row: " + rootMessage(e));
                    }
                }
            }
            writer.write(one.clear(), topic, moves, guard);
        }

        /** Seeks every assigned partition to its stored offset and resumes; retried on the next loop if the read fails. */
        private void resumeFromStoredOffsets() {
            Map<Integer, Long> offsets = readStoredOffsets();
            if (offsets == null) {
                return;
            }
            Set<TopicPartition> assigned = kafka.assignment();
            seek(assigned, offsets);
            kafka.resume(assigned);
            resumePending = false;
            LOG.infof("Sink resumed %s from stored offsets %s", assigned, offsets);
        }

        /** Compares the stored offsets with this consumer's own: a difference is fenced as a failed write would be. */
        private void checkStoredOffsets() {
            lastCheck = System.nanoTime();
            Map<Integer, Long> offsets = readStoredOffsets();
            if (offsets == null) {
                return;
            }
            for (TopicPartition partition : kafka.assignment()) {
                Long found = offsets.get(partition.partition());
                Long own = stored.get(partition.partition());
                if (!Objects.equals(found, own)) {
                    fence(partition.partition(), own, found);
                    seek(List.of(partition), offsets);
                }
            }
        }

        private void fence(int partition, Long expected, Long found) {
            fences.increment();
            LOG.warnf("Sink fenced on %s-%d: stored offset %s, this sink's %s (a database that lost commits, or "
                    + "another writer); resuming from the stored offset", topic, partition, describe(found),
                    describe(expected));
        }

        /** The stored offsets, or null after a failed read (logged; the caller tries again later). */
        private Map<Integer, Long> readStoredOffsets() {
            try {
                return writer.storedOffsets(topic);
            } catch (RuntimeException e) {
                LOG.warnf("Cannot read stored offsets, retrying in %s: %s", config.sink().retryBackoff(),
                        rootMessage(e));
                pause(config.sink().retryBackoff());
                return null;
            }
        }

        /** Positions partitions at their stored offsets, or at the beginning where none is stored. */
        private void seek(Collection<TopicPartition> partitions, Map<Integer, Long> offsets) {
            List<TopicPartition> fresh = new ArrayList<>();
            for (TopicPartition partition : partitions) {
                Long offset = offsets.get(partition.partition());
                if (offset == null) {
                    fresh.add(partition);
                    stored.remove(partition.partition());
                } else {
                    kafka.seek(partition, offset);
                    stored.put(partition.partition(), offset);
                }
            }
            if (!fresh.isEmpty()) {
                kafka.seekToBeginning(fresh);
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            Map<Integer, Long> offsets = null;
            while (offsets == null) {
                if (!running) {
                    throw new WakeupException();
                }
                offsets = readStoredOffsets();
            }
            seek(partitions, offsets);
            if (resumePending) {
                kafka.pause(partitions);
            }
            LOG.infof("Sink assigned %s, resuming from stored offsets %s", partitions, offsets);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            partitions.forEach(partition -> stored.remove(partition.partition()));
        }
    }

    private static OffsetFenced fenced(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OffsetFenced fenced) {
                return fenced;
            }
        }
        return null;
    }

    private static String describe(Long offset) {
        return offset == null ? "none" : offset.toString();
    }

    /** The record decoded (opened first if sealed); null when it is sealed with a key that is gone (withdrawn). */
    private ProjectedRecord decode(ConsumerRecord<String, byte[]> record) {
        byte[] plain;
        try {
            plain = SealedRecords.open(record.value(), keys);
        } catch (SealedPayloadException e) {
            return ProjectedRecord.invalid(record, "a sealed record that does not open: " + e.getMessage());
        }
        if (plain == null && record.value() != null) {
            return null;
        }
        Header table = record.headers().lastHeader(RecordHeaders.TABLE);
        if (table != null) {
            String name = new String(table.value(), StandardCharsets.UTF_8);
            ProjectedTable spanning = tables.spanning(name);
            return spanning != null ? ProjectedRecord.row(record, spanning, plain)
                    : ProjectedRecord.invalid(record, "no table " + name + " of rows spanning actions is kept here");
        }
        try {
            // The topology validated this record; binding it is enough.
            return ProjectedRecord.raw(record, RawRecords.decodeValidated(plain),
                    intHeader(record, RecordHeaders.SOURCE_PARTITION, -1),
                    longHeader(record, RecordHeaders.SOURCE_OFFSET, -1));
        } catch (ValidationException e) {
            return ProjectedRecord.invalid(record, e.getMessage());
        }
    }

    private static int intHeader(ConsumerRecord<?, ?> record, String name, int fallback) {
        return (int) longHeader(record, name, fallback);
    }

    /** A decimal header the topology wrote, read without making a String of it; the fallback if absent or not one. */
    private static long longHeader(ConsumerRecord<?, ?> record, String name, long fallback) {
        Header header = record.headers().lastHeader(name);
        byte[] digits = header == null ? null : header.value();
        if (digits == null || digits.length == 0 || digits.length > 18) {
            return fallback;
        }
        long value = 0;
        for (byte digit : digits) {
            if (digit < '0' || digit > '9') {
                return fallback;
            }
            value = value * 10 + (digit - '0');
        }
        return value;
    }

    /** SQLState class 22 (data exception) or 23 (integrity constraint): retrying the same row cannot help. */
    public static boolean isDataError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("22") || sql.getSQLState().startsWith("23"))) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private Properties consumerProps(int index) {
        Properties props = kafka.properties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.sink().groupId());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.sink().maxPollRecords());
        props.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, config.sink().fetchMinBytes());
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, (int) config.sink().fetchMaxWait().toMillis());
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, config.sink().maxPartitionFetchBytes());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, config.sink().groupId() + "-" + index);
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) config.sink().sessionTimeout().toMillis());
        config.sink().instanceId().ifPresent(id -> props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, id + "-" + index));
        return props;
    }
}
