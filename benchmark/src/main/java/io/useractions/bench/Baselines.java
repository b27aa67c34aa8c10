package io.useractions.bench;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
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

import io.useractions.model.Batch;
import io.useractions.model.BatchParser;
import io.useractions.model.Limits;
import io.useractions.model.RawRecords;
import io.useractions.model.RecordHeaders;
import io.useractions.model.Topics;
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
     * sealing off; sealed, it deflates and seals them and sends them without lz4), with the same keys and
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
     * with sealing off: v2 records in clear, lz4.
     */
    static long fillRawTopic(Map<String, Object> kafka, String topic, Workload workload, long records) throws Exception {
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
     * COPY of rows the projection wrote (up to {@code maxRows} of ui_action, in the order they arrived, and
     * the rows of the other projected tables for the same actions) into empty tables created LIKE the real
     * ones (same columns, keys and indexes, no triggers), the way the sink writes them: the sink's tables
     * and column lists ({@link ProjectedTable}), one transaction per {@code rowsPerTransaction} actions,
     * each a COPY into each table and a commit. Ids in arrival order (random UUIDs) cost the primary key
     * index what they cost the sink; sorted ids would flatter the baseline.
     */
    static Rate copy(Connection connection, long maxRows, int rowsPerTransaction) throws SQLException, IOException {
        CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
        List<ProjectedTable> tables = ProjectedTable.CORE;
        ProjectedTable first = tables.get(0);
        // Physical order is arrival order: the sink only ever appends. Every core table's key is the action id.
        String actions = "(select " + first.key() + " from " + first.name() + " limit " + maxRows + ")";
        List<byte[]> text = new ArrayList<>();
        long bytes = 0;
        for (ProjectedTable table : tables) {
            byte[] rows = copyOut(copy, "copy (select " + table.columnList() + " from " + table.name()
                    + (table == first ? " limit " + maxRows : " where " + table.key() + " in " + actions) + ") to stdout");
            text.add(rows);
            bytes += rows.length;
        }
        List<List<byte[]>> chunks = chunk(text, rowsPerTransaction);
        try (Statement ddl = connection.createStatement()) {
            for (ProjectedTable table : tables) {
                ddl.execute("drop table if exists bench_copy_" + table.name());
                ddl.execute("create table bench_copy_" + table.name() + " (like " + table.name() + " including all)");
            }
        }
        long rows = 0;
        long start = System.nanoTime();
        connection.setAutoCommit(false);
        for (List<byte[]> chunk : chunks) {
            for (int t = 0; t < tables.size(); t++) {
                rows += copy.copyIn("copy bench_copy_" + tables.get(t).name() + " (" + tables.get(t).columnList()
                        + ") from stdin", new ByteArrayInputStream(chunk.get(t)));
            }
            connection.commit();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        connection.setAutoCommit(true);
        try (Statement ddl = connection.createStatement()) {
            for (ProjectedTable table : tables) {
                ddl.execute("drop table bench_copy_" + table.name());
            }
        }
        return new Rate(rows, seconds, (double) bytes / Math.max(1, rows));
    }

    /**
     * Splits COPY text (one row per line; a newline inside a value is escaped) into transactions of
     * {@code size} rows of the first table, and puts each row of the other tables (keyed by the action id
     * in their first column, like the first table's) into the transaction of its action. Returns, per
     * transaction, the rows of each table.
     */
    static List<List<byte[]>> chunk(List<byte[]> tables, int size) {
        Map<String, Integer> chunkOf = new HashMap<>();
        List<List<ByteArrayOutputStream>> out = new ArrayList<>();
        byte[] actions = tables.get(0);
        for (int from = 0, inChunk = size; from < actions.length; inChunk++) {
            if (inChunk == size) {
                List<ByteArrayOutputStream> chunk = new ArrayList<>();
                tables.forEach(table -> chunk.add(new ByteArrayOutputStream()));
                out.add(chunk);
                inChunk = 0;
            }
            int to = lineEnd(actions, from);
            out.get(out.size() - 1).get(0).write(actions, from, to - from);
            chunkOf.put(firstColumn(actions, from), out.size() - 1);
            from = to;
        }
        for (int t = 1; t < tables.size(); t++) {
            byte[] rows = tables.get(t);
            for (int from = 0; from < rows.length; ) {
                int to = lineEnd(rows, from);
                Integer index = chunkOf.get(firstColumn(rows, from));
                if (index != null) {
                    out.get(index).get(t).write(rows, from, to - from);
                }
                from = to;
            }
        }
        return out.stream().map(chunk -> chunk.stream().map(ByteArrayOutputStream::toByteArray).toList()).toList();
    }

    /** The index after the line's newline (or the end). */
    private static int lineEnd(byte[] text, int from) {
        int i = from;
        while (i < text.length && text[i] != '\n') {
            i++;
        }
        return Math.min(text.length, i + 1);
    }

    private static String firstColumn(byte[] text, int from) {
        int i = from;
        while (i < text.length && text[i] != '\t' && text[i] != '\n') {
            i++;
        }
        return new String(text, from, i - from, StandardCharsets.US_ASCII);
    }

    private static byte[] copyOut(CopyManager copy, String sql) throws SQLException, IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
        copy.copyOut(sql, out);
        return out.toByteArray();
    }
}
