package io.useractions.bench;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.postgresql.copy.CopyOut;

import io.useractions.model.Batch;
import io.useractions.model.BatchParser;
import io.useractions.model.Limits;
import io.useractions.model.RawRecords;
import io.useractions.model.RecordHeaders;
import io.useractions.model.Topics;
import io.useractions.processor.projection.BinaryRows;
import io.useractions.processor.projection.ProjectedTable;
import io.useractions.topics.TopicCreator;

/** What the machine can do without the pipeline, measured in the same run on the same data. */
final class Baselines {
    private static final String PRODUCER_TOPIC = "bench-producer-baseline";

    private Baselines() {
    }

    record Rate(long count, double seconds, double meanBytes) {
        double perSecond() {
            return seconds <= 0 ? 0 : count / seconds;
        }
    }

    /**
     * A plain KafkaProducer sending the v2 records of the workload's batches in clear (the ingest's bytes with
     * sealing off; sealed, it compresses and seals them and sends them without lz4), with the same keys and
     * producer settings (acks=all, idempotence, lz4, linger 5 ms), with the
     * number of unacknowledged records bounded so that memory stays flat; counts actions.
     */
    static Rate kafkaProducer(Map<String, Object> kafka, Workload workload, long actions, int partitions) throws Exception {
        createServedTopic(kafka, PRODUCER_TOPIC, partitions);
        List<byte[]> values = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        BatchParser parser = new BatchParser(Limits.DEFAULT);
        long bytes = 0;
        for (int i = 0; values.size() < 2_000; i++) {
            Batch batch = parser.parse(workload.next(i, new char[36]));
            for (byte[] value : RawRecords.encode(batch, System.currentTimeMillis())) {
                values.add(value);
                keys.add(batch.session());
                counts.add(RawRecords.decodeValidated(value).actions().size());
                bytes += value.length;
            }
        }
        long start;
        long sent = 0;
        try (BoundedProducer producer = new BoundedProducer(kafka, "the producer baseline")) {
            producer.kafka.partitionsFor(PRODUCER_TOPIC);
            start = System.nanoTime();
            for (long i = 0; sent < actions; i++) {
                int at = (int) (i % values.size());
                producer.send(new ProducerRecord<>(PRODUCER_TOPIC, keys.get(at), values.get(at)));
                sent += counts.get(at);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        try (Admin admin = Admin.create(kafka)) {
            admin.deleteTopics(List.of(PRODUCER_TOPIC)).all().get();
        } catch (ExecutionException e) {
            // best effort
        }
        return new Rate(sent, seconds, (double) bytes / values.size());
    }

    /**
     * Creates a new topic made like the raw topic (TopicCreator) and waits until every partition's leader
     * serves it. Producing before that failed the first batches, and the idempotent producer then never got
     * past the sequence gap (OutOfOrderSequenceException until the send timed out). Listing offsets needs
     * the serving leader.
     */
    static void createServedTopic(Map<String, Object> kafka, String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(kafka)) {
            if (TopicCreator.createMissing(admin, List.of(Topics.spec(Topics.RAW).named(topic)), partitions,
                    Optional.empty()).isEmpty()) {
                throw new IllegalStateException(topic + " exists already");
            }
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int partition = 0; partition < partitions; partition++) {
                latest.put(new TopicPartition(topic, partition), OffsetSpec.latest());
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (true) {
                try {
                    admin.listOffsets(latest).all().get();
                    return;
                } catch (ExecutionException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(topic + " is not served after 30 s", e.getCause());
                    }
                    Thread.sleep(100);
                }
            }
        }
    }

    /** Writes {@code records} new actions (fresh ids) to the raw topic as the ingest service would. */
    static long fillRawTopic(Map<String, Object> kafka, Workload workload, long records) throws Exception {
        return fillRawTopic(kafka, Topics.RAW, workload, records);
    }

    /**
     * Writes {@code records} actions of the workload to {@code topic} as the ingest service writes the raw topic
     * with sealing off: v2 records in clear, lz4. The sessions are new ones, from seq 1: a backlog of sessions
     * the workload went on with would each start past seqs the processor never saw (the ingest steps', a phase
     * before's), and it would hold their first records as a gap (up to four a session, each reading and writing
     * a ledger of up to 200 held actions), or meet the ledgers a processor without the session step left behind.
     */
    static long fillRawTopic(Map<String, Object> kafka, String topic, Workload workload, long records) throws Exception {
        workload.renewSessions();
        BatchParser parser = new BatchParser(Limits.DEFAULT);
        long sent = 0;
        List<Header> headers = List.of(new RecordHeader(RecordHeaders.SCHEMA,
                RecordHeaders.SCHEMA_V2.getBytes(StandardCharsets.UTF_8)));
        try (BoundedProducer producer = new BoundedProducer(kafka, "filling " + topic)) {
            producer.kafka.partitionsFor(topic);
            for (long n = 1_000_000_000L; sent < records; n++) {
                Batch batch = parser.parse(workload.next(n, new char[36]));
                for (byte[] value : RawRecords.encode(batch, System.currentTimeMillis())) {
                    producer.send(new ProducerRecord<>(topic, null, batch.session(), value, headers));
                }
                sent += batch.actions().size();
            }
        }
        return sent;
    }

    /**
     * A producer with the ingest service's settings that keeps at most 50,000 records unacknowledged,
     * so memory stays flat; closing it waits for every acknowledgement and fails on the first error.
     */
    private static final class BoundedProducer implements AutoCloseable {
        private final KafkaProducer<String, byte[]> kafka;
        private final String what;
        private final Semaphore window = new Semaphore(50_000);
        private final AtomicReference<Exception> failure = new AtomicReference<>();

        BoundedProducer(Map<String, Object> settings, String what) {
            this.kafka = new KafkaProducer<>(producerProperties(settings), new StringSerializer(), new ByteArraySerializer());
            this.what = what;
        }

        void send(ProducerRecord<String, byte[]> record) throws InterruptedException {
            window.acquire();
            kafka.send(record, (metadata, error) -> {
                if (error != null) {
                    failure.compareAndSet(null, error);
                }
                window.release();
            });
        }

        @Override
        public void close() {
            kafka.flush();
            kafka.close();
            if (failure.get() != null) {
                throw new IllegalStateException(what + " failed", failure.get());
            }
        }
    }

    private static Properties producerProperties(Map<String, Object> kafka) {
        Properties props = new Properties();
        props.putAll(kafka);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 131072);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        return props;
    }

    /**
     * COPY of the rows the projection wrote into tables created LIKE the real ones (same columns, keys and
     * indexes, no triggers), the way the sink writes them: the sink's tables, column lists and format
     * ({@link ProjectedTable}), one transaction per {@code actionsPerTransaction} actions, each a COPY into
     * each table and a commit. As the projection, in two halves of {@code half} actions after the first
     * {@code skip} of ui_action, back to back: the first into the empty tables, the second, timed apart, into
     * the tables holding the first. Ids in arrival order (UUID v7 as the logger makes them, ordered by the
     * millisecond but not within it) cost the primary key index what they cost the sink; sorted ids would
     * flatter the baseline. Returns the rate of each half.
     */
    static List<Rate> copy(Connection connection, long skip, long half, int actionsPerTransaction)
            throws SQLException, IOException {
        CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
        List<ProjectedTable> tables = ProjectedTable.CORE;
        try (Statement ddl = connection.createStatement()) {
            // Physical order is arrival order (the sink only appends), and a sequential scan reads it from the first
            // page only with synchronized scans off: otherwise a scan starts where the last one on the table stopped,
            // which gave the other tables' rows of other actions than ui_action's (their COPY came out nearly empty).
            ddl.execute("set synchronize_seqscans = off");
            for (ProjectedTable table : tables) {
                ddl.execute("drop table if exists bench_copy_" + table.name());
                ddl.execute("create table bench_copy_" + table.name() + " (like " + table.name() + " including all)");
            }
        }
        List<List<Rows[]>> parts = transactions(copy, tables, skip, half, actionsPerTransaction);
        List<Rate> rates = new ArrayList<>();
        connection.setAutoCommit(false);
        for (List<Rows[]> part : parts) {
            long rows = 0;
            long bytes = 0;
            long start = System.nanoTime();
            for (Rows[] transaction : part) {
                for (int t = 0; t < tables.size(); t++) {
                    bytes += transaction[t].size();
                    rows += copy.copyIn("copy bench_copy_" + tables.get(t).name() + " (" + tables.get(t).columnList()
                            + ") from stdin" + tables.get(t).copyOptions(), transaction[t].read());
                }
                connection.commit();
            }
            rates.add(new Rate(rows, (System.nanoTime() - start) / 1e9, (double) bytes / Math.max(1, rows)));
        }
        connection.setAutoCommit(true);
        try (Statement ddl = connection.createStatement()) {
            for (ProjectedTable table : tables) {
                ddl.execute("drop table bench_copy_" + table.name());
            }
        }
        return rates;
    }

    /**
     * The binary COPY rows of {@code 2 * half} ui_action rows after the first {@code skip}, in physical order, split into
     * two halves of transactions of {@code size} actions, with each row of the other tables (keyed by the action
     * id in their first column, as ui_action) in the transaction of its action: per half, per transaction, the
     * rows of each table. The other tables are read whole, not by a subquery on ui_action, whose rows the
     * planner could pick by an index.
     */
    static List<List<Rows[]>> transactions(CopyManager copy, List<ProjectedTable> tables, long skip, long half,
                                           int size) throws SQLException {
        List<List<Rows[]>> parts = new ArrayList<>();
        Map<String, Rows[]> transactionOf = new HashMap<>();
        ProjectedTable first = tables.get(0);
        CopyOut actions = copy.copyOut("copy (select " + first.columnList() + " from " + first.name() + " offset "
                + skip + " limit " + 2 * half + ") to stdout" + first.copyOptions());
        long n = 0;
        for (byte[] row; (row = row(actions)) != null; n++) {
            if (n % half == 0) {
                parts.add(new ArrayList<>());
            }
            List<Rows[]> part = parts.get(parts.size() - 1);
            if (n % half % size == 0) {
                Rows[] transaction = new Rows[tables.size()];
                Arrays.setAll(transaction, t -> new Rows());
                part.add(transaction);
            }
            Rows[] transaction = part.get(part.size() - 1);
            transaction[0].writeBytes(row);
            transactionOf.put(firstColumn(row), transaction);
        }
        if (parts.size() != 2) {
            throw new IllegalStateException(first.name() + " holds " + n + " of the " + 2 * half + " rows to copy");
        }
        for (int t = 1; t < tables.size(); t++) {
            CopyOut rows = copy.copyOut("copy (select " + tables.get(t).columnList() + " from " + tables.get(t).name()
                    + ") to stdout" + tables.get(t).copyOptions());
            for (byte[] row; (row = row(rows)) != null; ) {
                Rows[] transaction = transactionOf.get(firstColumn(row));
                if (transaction != null) {
                    transaction[t].writeBytes(row);
                }
            }
        }
        return parts;
    }

    /**
     * The next row of a binary COPY out, which PostgreSQL sends a row a message, the header with the first and
     * the trailer alone; null at the end.
     */
    private static byte[] row(CopyOut out) throws SQLException {
        byte[] message = out.readFromCopy();
        while (message != null && Arrays.equals(message, BinaryRows.TRAILER)) {
            // read on to the end, which completes the COPY and frees the connection
            message = out.readFromCopy();
        }
        if (message == null) {
            return null;
        }
        int header = BinaryRows.headerLength(message);
        return header == 0 ? message : Arrays.copyOfRange(message, header, message.length);
    }

    /** Binary COPY rows of one table in one transaction, read back in place (not copied as toByteArray would). */
    static final class Rows extends ByteArrayOutputStream {
        InputStream read() {
            return new SequenceInputStream(Collections.enumeration(List.of(new ByteArrayInputStream(BinaryRows.HEADER),
                    new ByteArrayInputStream(buf, 0, count), new ByteArrayInputStream(BinaryRows.TRAILER))));
        }
    }

    /** A binary COPY row's first column (the action id), as a key. */
    private static String firstColumn(byte[] row) {
        return new String(BinaryRows.value(row, 0, 0), StandardCharsets.ISO_8859_1);
    }
}
