package io.useractions.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.useractions.model.EnvelopeCodec;
import io.useractions.model.Limits;
import io.useractions.model.RecordHeaders;
import io.useractions.model.Topics;

/**
 * Fault injection under continuous load, in the manner of Kafka's system tests: while a generator posts
 * numbered actions and retries as a real client does (same batch, same ids), the stream processor is
 * killed with SIGKILL three times, the broker is stopped and started twice, PostgreSQL is restarted
 * and Redis is taken away and comes back empty. Afterwards the ids that got a 2xx must be exactly the
 * ids in {@code ui_action}, once each, with a {@code mouse_position} row for every pointer action, and
 * every raw record must have been routed exactly once.
 *
 * <p>Run alone with {@code mvn -B -pl e2e-tests verify -Dit.test=FaultSuiteIT} after {@code ./ual build}.
 * {@code -Dfaults.rate=N} sets the offered load in actions per second (default 1000).
 */
class FaultSuiteIT {
    private static final String STREAMS_APPLICATION_ID = "ual-projection";
    private static final int SENDERS = 4;
    private static final int SESSIONS_PER_SENDER = 2;
    private static final int BATCH = 50;
    private static final int RATE = Integer.getInteger("faults.rate", 1000);
    /** A client that lost an answer sends one of its recent batches again. */
    private static final double REPLAY_PROBABILITY = 0.05;
    private static final Duration RECOVERY_LIMIT = Duration.ofSeconds(90);
    private static final Duration DELIVERY_LIMIT = Duration.ofSeconds(90);
    private static final Pattern DUPLICATES_DROPPED = Pattern.compile("\"duplicates_dropped\"\\s*:\\s*(\\d+)");
    private static final Set<TransactionState> OPEN = EnumSet.of(TransactionState.ONGOING,
            TransactionState.PREPARE_ABORT, TransactionState.PREPARE_COMMIT, TransactionState.PREPARE_EPOCH_FENCE);
    private static final Pattern DEDUPE_ACTIVE = Pattern.compile("\"dedupe\"\\s*:\\s*\"active\"");

    private static TestPipeline pipeline;
    private static long setupMillis;

    @BeforeAll
    static void startPipeline() {
        long start = System.nanoTime();
        pipeline = new TestPipeline()
                // A short wait for Kafka's acknowledgement and a short Retry-After make an outage show as 503s
                // within seconds and let clients come back quickly; both are ordinary settings.
                .withEnv("UAL_INGEST_ACK_TIMEOUT", "3s")
                .withEnv("UAL_INGEST_RETRY_AFTER_SECONDS", "1")
                .start(false);
        setupMillis = millisSince(start);
    }

    @AfterAll
    static void stopPipeline() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void everyAcknowledgedActionIsStoredOnceThroughCrashesAndRestarts() throws Exception {
        long runStart = System.nanoTime();
        Load load = new Load(pipeline.batchesUrl());
        List<FaultResult> faults = new ArrayList<>();
        // A recovery that does not happen ends the faults but not the test: the checks below still say
        // what was lost, which a timeout alone would not.
        List<String> failures = new ArrayList<>();
        try {
            load.start();
            measure("warm-up", load, System.nanoTime(), System.nanoTime(), Map.of());

            faults.add(killProcessor(load, 1));
            faults.add(restartBroker(load, 1));
            faults.add(killProcessor(load, 2));
            faults.add(restartPostgres(load));
            faults.add(redisOutage(load));
            faults.add(restartBroker(load, 2));
            faults.add(killProcessor(load, 3));
        } catch (AssertionError e) {
            System.out.println("fault-suite: " + e.getMessage());
            failures.add(firstLine(e.getMessage()));
            load.abort();
        } catch (Exception e) {
            load.abort();
            throw e;
        }
        load.stop();
        long loadMillis = millisSince(runStart);
        long verifyStart = System.nanoTime();
        long drainMillis = -1;
        try {
            drainMillis = awaitCaughtUp("the drain", load, load.progress(), System.nanoTime());
        } catch (AssertionError e) {
            failures.add(firstLine(e.getMessage()));
        }

        TopicFigures topics = verifyTopics(failures);
        check(failures, awaitSinkAt(topics.projectionEnd),
                "the sink did not reach the end of the projection topic " + topics.projectionEnd);
        Set<UUID> stored = storedIds();
        long rows = pipeline.query("select count(*) from ui_action");
        long distinct = pipeline.query("select count(distinct id) from ui_action");
        long pointerRows = pipeline.query("select count(*) from ui_action where x is not null");
        long positions = pipeline.query("select count(*) from mouse_position");
        long positionsWithoutAction = pipeline.query("""
                select count(*) from mouse_position m where not exists (select 1 from ui_action a where a.id = m.action_id)""");
        long pointersWithoutPosition = pipeline.query("""
                select count(*) from ui_action a where a.x is not null
                 and not exists (select 1 from mouse_position m where m.action_id = a.id)""");

        Set<UUID> sent = load.sent;
        Set<UUID> acked = load.acked;
        long ackedMissing = acked.stream().filter(id -> !stored.contains(id)).count();
        long storedNeverSent = stored.stream().filter(id -> !sent.contains(id)).count();
        long storedNotAcked = stored.stream().filter(id -> !acked.contains(id)).count();
        long rawNotStored = topics.rawIds().stream().filter(id -> !stored.contains(id)).count();
        long storedNotRaw = stored.stream().filter(id -> !topics.rawIds().contains(id)).count();
        long copiesAfter503 = load.answered503.stream().mapToLong(id -> topics.rawCopies.getOrDefault(id, 0) - 1).sum();
        long verifyMillis = millisSince(verifyStart);

        check(failures, load.givenUp.get() == 0, load.givenUp.get() + " batches were given up after "
                + DELIVERY_LIMIT.toSeconds() + " s of retries");
        check(failures, load.unexpected.get() == 0, load.unexpected.get() + " unexpected answers, e.g. "
                + load.firstUnexpected);
        check(failures, ackedMissing == 0, ackedMissing + " acknowledged actions are missing from ui_action");
        check(failures, storedNeverSent == 0, storedNeverSent + " stored actions were never sent");
        check(failures, stored.equals(acked), "the stored ids differ from the acknowledged ids");
        check(failures, rows == distinct, (rows - distinct) + " duplicate rows in ui_action");
        check(failures, pointerRows == positions && positions == load.ackedPointers.get(),
                "pointer actions in ui_action " + pointerRows + ", mouse_position rows " + positions
                        + ", acknowledged pointer actions " + load.ackedPointers.get());
        check(failures, positionsWithoutAction == 0 && pointersWithoutPosition == 0, positionsWithoutAction
                + " mouse positions without an action, " + pointersWithoutPosition + " pointer actions without a position");
        check(failures, rawNotStored == 0 && storedNotRaw == 0, rawNotStored + " ids of the raw topic are not stored, "
                + storedNotRaw + " stored ids are not on the raw topic");
        check(failures, topics.projectionRecords + topics.deadLetters == topics.rawRecords,
                "raw records " + topics.rawRecords + " were routed to " + topics.projectionRecords + " projection records and "
                        + topics.deadLetters + " dead letters");
        check(failures, topics.projectionDuplicates == 0, topics.projectionDuplicates
                + " raw records were routed more than once");
        check(failures, topics.deadLetters == 0, topics.deadLetters + " dead letters");
        check(failures, topics.rawRecords > topics.rawIds().size(),
                "no duplicate reached Kafka, so the database's dedupe was never exercised");
        for (FaultResult fault : faults) {
            if (fault.name.startsWith("broker")) {
                check(failures, fault.unavailable > 0, fault.name + ": the ingest service never answered 503");
            }
            if (fault.name.startsWith("Redis")) {
                check(failures, fault.unavailable == 0, fault.name + ": " + fault.unavailable
                        + " answers of 503 although Redis is only a cache");
            }
        }

        StringBuilder report = new StringBuilder();
        report.append("\n==== FaultSuiteIT: fault injection under load ====\n");
        line(report, "load", "%d senders x %d sessions, batches of %d (%d pointer + %d key), offered %,d actions/s",
                SENDERS, SESSIONS_PER_SENDER, BATCH, pointersPerBatch(), BATCH - pointersPerBatch(), RATE);
        line(report, "sent", "%,d actions in %,d batches; %,d replays of earlier batches (a lost answer)",
                sent.size(), load.batches.get(), load.replays.get());
        line(report, "acked (2xx)", "%,d actions (%,d pointer); %,d batches given up", acked.size(),
                load.ackedPointers.get(), load.givenUp.get());
        line(report, "503s/retries", "%,d answers of 503, %,d of 429, %,d connection errors, %,d timeouts, "
                + "%,d unexpected; %,d retries", load.unavailable.get(), load.tooMany.get(), load.connectionErrors.get(),
                load.timeouts.get(), load.unexpected.get(), load.retries.get());
        line(report, "Redis dedupe", "%,d actions dropped as recent duplicates by the ingest service",
                load.duplicatesDropped.get());
        line(report, "raw topic", "%,d records, %,d distinct ids: %,d duplicates reached Kafka, %,d of them copies "
                + "of actions first answered 503", topics.rawRecords, topics.rawIds().size(),
                topics.rawRecords - topics.rawIds().size(), copiesAfter503);
        line(report, "routing", "%,d projection records (read_committed), %,d routed twice, %,d dead letters",
                topics.projectionRecords, topics.projectionDuplicates, topics.deadLetters);
        line(report, "stored", "%,d rows in ui_action, %,d distinct ids: %,d duplicates", rows, distinct,
                rows - distinct);
        line(report, "id sets", "acked-but-missing %,d, stored-but-never-sent %,d, stored-but-not-acked %,d",
                ackedMissing, storedNeverSent, storedNotAcked);
        line(report, "mouse_position", "%,d rows; pointer actions in ui_action %,d; orphans %,d / %,d", positions,
                pointerRows, positionsWithoutAction, pointersWithoutPosition);
        report.append(" recovery         (down = fault start to fault end; the rest counted from fault end)\n");
        for (FaultResult fault : faults) {
            report.append(fault.describe()).append('\n');
        }
        line(report, "max recovery", "first 2xx %.1f s, projection caught up %.1f s",
                faults.stream().mapToLong(f -> f.firstAckMillis).max().orElse(0) / 1000.0,
                faults.stream().mapToLong(f -> f.caughtUpMillis).max().orElse(0) / 1000.0);
        line(report, "run time", "%.0f s in all: setup %.0f s, load with faults %.0f s, drain %.1f s, checks %.0f s",
                (setupMillis + millisSince(runStart)) / 1000.0, setupMillis / 1000.0, loadMillis / 1000.0,
                drainMillis / 1000.0, verifyMillis / 1000.0);
        report.append(failures.isEmpty() ? " result           PASS\n" : " result           FAIL\n   - "
                + String.join("\n   - ", failures) + "\n");
        System.out.print(report);

        assertTrue(failures.isEmpty(), String.join("; ", failures));
    }

    // ---- faults ----

    private static FaultResult killProcessor(Load load, int n) throws Exception {
        Set<String> transactions = streamsTransactions();
        long start = System.nanoTime();
        pipeline.processor.kill();
        Thread.sleep(500);
        pipeline.processor.start();
        long end = System.nanoTime();
        Map<String, CompletableFuture<Long>> milestones = new LinkedHashMap<>();
        milestones.put("ready", CompletableFuture.supplyAsync(() -> {
            pipeline.processor.waitReady(RECOVERY_LIMIT);
            return System.nanoTime();
        }));
        milestones.put("killed txn aborted", CompletableFuture.supplyAsync(() -> awaitClosed(transactions, end)));
        return measure("processor kill -9 #" + n, load, start, end, milestones);
    }

    private static FaultResult restartBroker(Load load, int n) throws Exception {
        long start = System.nanoTime();
        pipeline.infra.kafka().stop();
        Thread.sleep(2000);
        pipeline.infra.kafka().start();
        return measure("broker stop/start #" + n, load, start, System.nanoTime(), Map.of());
    }

    private static FaultResult restartPostgres(Load load) throws Exception {
        long start = System.nanoTime();
        pipeline.infra.postgres().stop();
        Thread.sleep(3000);
        pipeline.infra.postgres().start();
        return measure("PostgreSQL restart", load, start, System.nanoTime(), Map.of());
    }

    private static FaultResult redisOutage(Load load) throws Exception {
        long start = System.nanoTime();
        pipeline.infra.redis().stop();
        Thread.sleep(5000);
        pipeline.infra.redis().start();
        flushAll(pipeline.infra.redis().port());
        long end = System.nanoTime();
        return measure("Redis outage + FLUSHALL", load, start, end,
                Map.of("dedupe active", CompletableFuture.supplyAsync(() -> awaitDedupeActive(end))));
    }

    /**
     * Waits for the first 2xx that completed after the fault ended, then for every action acknowledged
     * by that moment to be in ui_action, and for the milestones (each the nanoTime it was reached).
     */
    private static FaultResult measure(String name, Load load, long start, long end,
            Map<String, CompletableFuture<Long>> milestones) throws Exception {
        Probe probe = load.probe(end);
        long deadline = end + RECOVERY_LIMIT.toNanos();
        while (probe.firstAck.get() == 0) {
            failIfLate(name, "a 2xx", deadline);
            Thread.sleep(10);
        }
        long firstAck = probe.firstAck.get();
        Progress[] target = load.progress();
        long caughtUp = awaitCaughtUp(name, load, target, end);
        Map<String, Long> reached = new LinkedHashMap<>();
        for (var milestone : milestones.entrySet()) {
            try {
                long at = milestone.getValue().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                reached.put(milestone.getKey(), nanosToMillis(at - end));
            } catch (ExecutionException | TimeoutException e) {
                throw new AssertionError(name + ": not " + milestone.getKey() + " within " + RECOVERY_LIMIT.toSeconds()
                        + " s: " + (e.getCause() != null ? e.getCause().getMessage() : e), e);
            }
        }
        FaultResult result = new FaultResult(name, nanosToMillis(end - start), nanosToMillis(firstAck - end),
                caughtUp, reached, load.unavailableSince(start));
        System.out.println("fault-suite: " + result.describe().trim());
        return result;
    }

    /** Transactional ids of the Kafka Streams producers (of this and earlier processor instances). */
    private static Set<String> streamsTransactions() throws Exception {
        try (Admin admin = pipeline.infra.kafka().admin()) {
            return admin.listTransactions().all().get(10, TimeUnit.SECONDS).stream()
                    .map(TransactionListing::transactionalId)
                    .filter(id -> id.startsWith(STREAMS_APPLICATION_ID + "-"))
                    .collect(Collectors.toSet());
        }
    }

    /**
     * A killed instance's open transaction holds back read_committed consumers of the projection topic
     * until the broker aborts it: its successor has another transactional id (a stateless topology gets
     * a new process id on every start), so it cannot fence it.
     */
    private static long awaitClosed(Set<String> transactionalIds, long from) {
        long deadline = from + RECOVERY_LIMIT.toNanos();
        try (Admin admin = pipeline.infra.kafka().admin()) {
            while (System.nanoTime() < deadline) {
                try {
                    boolean open = admin.listTransactions().all().get(10, TimeUnit.SECONDS).stream()
                            .anyMatch(t -> transactionalIds.contains(t.transactionalId()) && OPEN.contains(t.state()));
                    if (!open) {
                        return System.nanoTime();
                    }
                } catch (ExecutionException | TimeoutException e) {
                    // the broker is busy; ask again
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        throw new AssertionError("the killed processor's transactions " + transactionalIds + " were still open after "
                + RECOVERY_LIMIT.toSeconds() + " s");
    }

    /** Polls until every action the senders had acknowledged at {@code target} is a row; ms since {@code from}. */
    private static long awaitCaughtUp(String what, Load load, Progress[] target, long from) throws Exception {
        long expected = 0;
        StringBuilder sql = new StringBuilder("select count(*) from ui_action where ");
        List<Object> args = new ArrayList<>();
        for (int s = 0; s < SENDERS; s++) {
            expected += target[s].acked;
            List<String> sessions = load.senders.get(s).sessions;
            sql.append(s == 0 ? "" : " or ").append("(session_id in (")
                    .append(sessions.stream().map(x -> "?").collect(Collectors.joining(","))).append(") and seq <= ?)");
            args.addAll(sessions);
            args.add(target[s].through);
        }
        long deadline = from + RECOVERY_LIMIT.toNanos();
        long stored = -1;
        while (true) {
            try {
                stored = pipeline.query(sql.toString(), args.toArray());
                if (stored >= expected) {
                    return nanosToMillis(System.nanoTime() - from);
                }
            } catch (IllegalStateException e) {
                // PostgreSQL is down or restarting
            }
            failIfLate(what, "the projection to catch up (" + stored + " of " + expected + " rows)", deadline);
            Thread.sleep(100);
        }
    }

    private static void failIfLate(String fault, String what, long deadline) {
        if (System.nanoTime() > deadline) {
            throw new AssertionError(fault + ": no recovery within " + RECOVERY_LIMIT.toSeconds() + " s: waited for "
                    + what + "\n--- stream-processor ---\n" + pipeline.processor.logTail(30)
                    + "\n--- ingest-service ---\n" + pipeline.ingest.logTail(30));
        }
    }

    private static long awaitDedupeActive(long from) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest probe = HttpRequest.newBuilder(pipeline.ingest.healthUri()).timeout(Duration.ofSeconds(2)).build();
        long deadline = from + RECOVERY_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (DEDUPE_ACTIVE.matcher(http.send(probe, HttpResponse.BodyHandlers.ofString()).body()).find()) {
                    return System.nanoTime();
                }
                Thread.sleep(100);
            } catch (IOException e) {
                // try again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("the ingest service did not use Redis again within " + RECOVERY_LIMIT.toSeconds() + " s");
    }

    /** FLUSHALL over a bare socket (RESP), so the test needs no Redis client. */
    private static void flushAll(int port) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write("*1\r\n$8\r\nFLUSHALL\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = new byte[5];
            int read = in.readNBytes(reply, 0, 5);
            String answer = new String(reply, 0, read, StandardCharsets.US_ASCII);
            if (!answer.equals("+OK\r\n")) {
                throw new IOException("FLUSHALL answered " + answer);
            }
        }
    }

    // ---- verification ----

    /** What the topics hold; {@code rawCopies} counts the records of each action id on the raw topic. */
    private record TopicFigures(long rawRecords, Map<UUID, Integer> rawCopies, long projectionRecords,
            long projectionDuplicates, long deadLetters, Map<Integer, Long> projectionEnd) {

        Set<UUID> rawIds() {
            return rawCopies.keySet();
        }
    }

    /**
     * Waits until Kafka Streams committed the raw topic up to its current end, then reads the raw topic
     * to that end, and the projection topic (committed transactions only) and the dead letters for the
     * raw records below it.
     */
    private static TopicFigures verifyTopics(List<String> failures) throws Exception {
        Map<TopicPartition, Long> rawEnd;
        try (KafkaConsumer<String, byte[]> consumer = consumer(false)) {
            rawEnd = consumer.endOffsets(partitions(consumer, Topics.RAW));
        }
        try (Admin admin = pipeline.infra.kafka().admin()) {
            TestPipeline.awaitMillis("Kafka Streams to commit the raw topic to " + rawEnd, Duration.ofSeconds(60), () -> {
                try {
                    Map<TopicPartition, OffsetAndMetadata> committed = admin
                            .listConsumerGroupOffsets(STREAMS_APPLICATION_ID).partitionsToOffsetAndMetadata()
                            .get(10, TimeUnit.SECONDS);
                    // A partition no session hashed to (8 random sessions over 3 partitions miss one about
                    // once in eight runs) has nothing to commit.
                    return rawEnd.entrySet().stream().allMatch(e -> e.getValue() == 0 || committed.get(e.getKey()) != null
                            && committed.get(e.getKey()).offset() >= e.getValue());
                } catch (Exception e) {
                    return false;
                }
            });
        } catch (AssertionError e) {
            failures.add(e.getMessage());
        }
        long[] raw = new long[1];
        Map<UUID, Integer> rawCopies = new HashMap<>();
        scan(Topics.RAW, false, rawEnd, record -> {
            raw[0]++;
            rawCopies.merge(EnvelopeCodec.decode(record.value(), Limits.DEFAULT).action().id(), 1, Integer::sum);
        });
        long[] projected = new long[1];
        Set<String> sources = new HashSet<>();
        Map<Integer, Long> projectionEnd = new HashMap<>();
        scan(Topics.PROJECTION, true, null, record -> {
            projectionEnd.merge(record.partition(), record.offset() + 1, Math::max);
            if (belowEnd(record, rawEnd)) {
                projected[0]++;
                sources.add(header(record, RecordHeaders.SOURCE_PARTITION) + "@" + header(record, RecordHeaders.SOURCE_OFFSET));
            }
        });
        long[] dead = new long[1];
        scan(Topics.DEAD_LETTER, true, null, record -> dead[0] += belowEnd(record, rawEnd) ? 1 : 0);
        return new TopicFigures(raw[0], rawCopies, projected[0], projected[0] - sources.size(), dead[0], projectionEnd);
    }

    /** Whether the offsets the sink stored with its rows reached {@code next} (partition → offset after the last record). */
    private static boolean awaitSinkAt(Map<Integer, Long> next) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Map<Integer, Long> stored = new HashMap<>();
            pipeline.rows("select partition, next_offset from projection_offset where topic = ?", Topics.PROJECTION)
                    .forEach(row -> stored.put((Integer) row.get("partition"), (Long) row.get("next_offset")));
            if (next.entrySet().stream().allMatch(e -> stored.getOrDefault(e.getKey(), 0L) >= e.getValue())) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    private static Set<UUID> storedIds() {
        Set<UUID> ids = new HashSet<>();
        pipeline.rows("select id from ui_action").forEach(row -> ids.add((UUID) row.get("id")));
        return ids;
    }

    /** Reads a topic from the beginning to {@code until} (null: to its end now), every record below it. */
    private static void scan(String topic, boolean readCommitted, Map<TopicPartition, Long> until,
            Consumer<ConsumerRecord<String, byte[]>> each) {
        try (KafkaConsumer<String, byte[]> consumer = consumer(readCommitted)) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = until != null ? until : consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to " + end);
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() < end.get(new TopicPartition(topic, record.partition()))) {
                        each.accept(record);
                    }
                }
            }
        }
    }

    /** Whether a routed record came from a raw record below {@code rawEnd}; one without its source counts. */
    private static boolean belowEnd(ConsumerRecord<?, ?> routed, Map<TopicPartition, Long> rawEnd) {
        try {
            int partition = Integer.parseInt(header(routed, RecordHeaders.SOURCE_PARTITION));
            long offset = Long.parseLong(header(routed, RecordHeaders.SOURCE_OFFSET));
            return offset < rawEnd.getOrDefault(new TopicPartition(Topics.RAW, partition), Long.MAX_VALUE);
        } catch (NumberFormatException e) {
            return true;
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
        return consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    private static KafkaConsumer<String, byte[]> consumer(boolean readCommitted) {
        Properties props = new Properties();
        props.putAll(pipeline.infra.kafkaClientConfig());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? "?" : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String firstLine(String message) {
        return message.lines().findFirst().orElse(message);
    }

    private static void check(List<String> failures, boolean ok, String failure) {
        if (!ok) {
            failures.add(failure);
        }
    }

    private static void line(StringBuilder report, String label, String format, Object... args) {
        report.append(String.format(" %-16s %s%n", label, String.format(format, args)));
    }

    private static long millisSince(long nanos) {
        return nanosToMillis(System.nanoTime() - nanos);
    }

    private static long nanosToMillis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private static int pointersPerBatch() {
        int pointers = 0;
        for (int i = 0; i < BATCH; i++) {
            pointers += Sender.hasPointer(i) ? 1 : 0;
        }
        return pointers;
    }

    private record FaultResult(String name, long downMillis, long firstAckMillis, long caughtUpMillis,
            Map<String, Long> milestones, long unavailable) {

        String describe() {
            String extra = milestones.entrySet().stream()
                    .map(m -> String.format(", %s +%.1f s", m.getKey(), m.getValue() / 1000.0))
                    .collect(Collectors.joining());
            return String.format("   %-26s down %4.1f s, first 2xx +%.1f s, caught up +%4.1f s%s; 503s %d", name,
                    downMillis / 1000.0, firstAckMillis / 1000.0, caughtUpMillis / 1000.0, extra, unavailable);
        }
    }

    // ---- load ----

    private record Batch(String body, List<UUID> ids) {
    }

    /** Acknowledged so far by one sender: every action numbered up to {@code through} was acked or given up. */
    private record Progress(long through, long acked) {
    }

    /** Records the first 2xx that completes after a fault ended. */
    private static final class Probe {
        final long from;
        final AtomicLong firstAck = new AtomicLong();

        Probe(long from) {
            this.from = from;
        }
    }

    /** The senders and everything they saw. */
    private static final class Load {
        final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        final URI endpoint;
        final List<Sender> senders = new ArrayList<>();
        final Set<UUID> sent = ConcurrentHashMap.newKeySet();
        final Set<UUID> acked = ConcurrentHashMap.newKeySet();
        /** Actions of batches that were answered 503 at least once. */
        final Set<UUID> answered503 = ConcurrentHashMap.newKeySet();
        final AtomicLong global = new AtomicLong();
        final AtomicLong batches = new AtomicLong();
        final AtomicLong replays = new AtomicLong();
        final AtomicLong ackedPointers = new AtomicLong();
        final AtomicLong unavailable = new AtomicLong();
        final AtomicLong tooMany = new AtomicLong();
        final AtomicLong unexpected = new AtomicLong();
        final AtomicLong connectionErrors = new AtomicLong();
        final AtomicLong timeouts = new AtomicLong();
        final AtomicLong retries = new AtomicLong();
        final AtomicLong givenUp = new AtomicLong();
        final AtomicLong duplicatesDropped = new AtomicLong();
        final List<Long> unavailableAt = new ArrayList<>();
        volatile String firstUnexpected = "-";
        volatile boolean running = true;
        volatile Probe probe;

        Load(String endpoint) {
            this.endpoint = URI.create(endpoint);
            for (int s = 0; s < SENDERS; s++) {
                senders.add(new Sender(this, s));
            }
        }

        void start() {
            senders.forEach(Thread::start);
        }

        void stop() throws InterruptedException {
            running = false;
            for (Sender sender : senders) {
                sender.join(DELIVERY_LIMIT.toMillis() + 30_000);
                if (sender.isAlive()) {
                    throw new AssertionError(sender.getName() + " did not finish its last batch");
                }
            }
        }

        /** After a failure: the senders give up their current batch at once. */
        void abort() {
            running = false;
            senders.forEach(Thread::interrupt);
        }

        Probe probe(long from) {
            Probe next = new Probe(from);
            probe = next;
            return next;
        }

        Progress[] progress() {
            return senders.stream().map(s -> s.progress).toArray(Progress[]::new);
        }

        synchronized void recordUnavailable() {
            unavailable.incrementAndGet();
            unavailableAt.add(System.nanoTime());
        }

        synchronized long unavailableSince(long start) {
            return unavailableAt.stream().filter(t -> t >= start).count();
        }

        void recordAck(long at) {
            Probe current = probe;
            if (current != null && at >= current.from) {
                current.firstAck.compareAndSet(0, at);
            }
        }
    }

    /** Posts numbered batches at a steady rate, one in flight, retrying each until a 2xx as the logger does. */
    private static final class Sender extends Thread {
        private static final long BASE_BACKOFF_MS = 100;
        private static final long MAX_BACKOFF_MS = 2000;

        final Load load;
        final int index;
        final List<String> sessions = new ArrayList<>();
        final List<Batch> recent = new ArrayList<>();
        volatile Progress progress = new Progress(0, 0);
        long seq;

        Sender(Load load, int index) {
            super("fault-suite-sender-" + index);
            this.load = load;
            this.index = index;
            for (int i = 0; i < SESSIONS_PER_SENDER; i++) {
                sessions.add(UUID.randomUUID().toString());
            }
        }

        static boolean hasPointer(int i) {
            return i % 10 < 8;
        }

        @Override
        public void run() {
            long interval = TimeUnit.SECONDS.toNanos(1) * SENDERS * BATCH / RATE;
            long next = System.nanoTime();
            int batchNo = 0;
            while (load.running) {
                next += interval;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    sleepNanos(wait);
                } else if (-wait > interval) {
                    next = System.nanoTime();
                }
                Batch batch = batch(sessions.get(batchNo++ % sessions.size()));
                load.sent.addAll(batch.ids);
                load.batches.incrementAndGet();
                if (deliver(batch)) {
                    load.acked.addAll(batch.ids);
                    load.ackedPointers.addAndGet(pointersPerBatch());
                    progress = new Progress(seq, progress.acked + batch.ids.size());
                    recent.add(batch);
                    if (recent.size() > 50) {
                        recent.remove(0);
                    }
                } else {
                    load.givenUp.incrementAndGet();
                    progress = new Progress(seq, progress.acked);
                }
                if (ThreadLocalRandom.current().nextDouble() < REPLAY_PROBABILITY && !recent.isEmpty()) {
                    load.replays.incrementAndGet();
                    if (!deliver(recent.get(ThreadLocalRandom.current().nextInt(recent.size())))) {
                        load.givenUp.incrementAndGet();
                    }
                }
            }
        }

        /** One batch of mixed pointer and key actions; each numbered by this sender (seq) and globally (data.n). */
        private Batch batch(String session) {
            List<UUID> ids = new ArrayList<>(BATCH);
            long now = System.currentTimeMillis();
            StringBuilder actions = new StringBuilder();
            for (int i = 0; i < BATCH; i++) {
                UUID id = UUID.randomUUID();
                ids.add(id);
                long n = load.global.incrementAndGet();
                seq++;
                String type;
                String pointer = "";
                if (hasPointer(i)) {
                    type = i % 10 == 7 ? "click" : "pointermove";
                    int x = (int) (n % 1280);
                    int y = (int) (n / 7 % 800);
                    pointer = ",\"x\":%d.5,\"y\":%d,\"page_x\":%d.5,\"page_y\":%d,\"screen_x\":%d,\"screen_y\":%d,\"vw\":1280,\"vh\":800"
                            .formatted(x, y, x, y + 300, x + 40, y + 90);
                } else {
                    type = i % 2 == 0 ? "keydown" : "keyup";
                }
                actions.append(i == 0 ? "" : ",").append("""
                        {"id":"%s","seq":%d,"type":"%s","t":%d,"t_mono":%d.25%s,"data":{"n":%d,"sender":%d}}"""
                        .formatted(id, seq, type, now - (BATCH - i) * 8L, seq * 8, pointer, n, index));
            }
            return new Batch("""
                    {"study":"%s","participant":"fault-%d","session":"%s","condition":"%s","sent_at":%d,
                     "context":{"user_agent":"fault-suite","screen_w":1920,"screen_h":1080,"dpr":1},"actions":[%s]}"""
                    .formatted(TestPipeline.STUDY, index, session, index % 2 == 0 ? "A" : "B", now, actions), ids);
        }

        /** True once a 2xx came back; retries on 408, 429, 5xx, connection errors and timeouts with backoff. */
        private boolean deliver(Batch batch) {
            HttpRequest request = HttpRequest.newBuilder(load.endpoint)
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(15))
                    .POST(HttpRequest.BodyPublishers.ofString(batch.body)).build();
            long deadline = System.nanoTime() + DELIVERY_LIMIT.toNanos();
            for (int attempt = 0; ; attempt++) {
                long waitMs = backoff(attempt);
                try {
                    HttpResponse<String> response = load.http.send(request, HttpResponse.BodyHandlers.ofString());
                    int status = response.statusCode();
                    if (status / 100 == 2) {
                        load.recordAck(System.nanoTime());
                        Matcher dropped = DUPLICATES_DROPPED.matcher(response.body());
                        if (dropped.find()) {
                            load.duplicatesDropped.addAndGet(Long.parseLong(dropped.group(1)));
                        }
                        return true;
                    }
                    if (status == 503) {
                        load.recordUnavailable();
                        load.answered503.addAll(batch.ids);
                    } else if (status == 429) {
                        load.tooMany.incrementAndGet();
                    } else {
                        load.unexpected.incrementAndGet();
                        if ("-".equals(load.firstUnexpected)) {
                            load.firstUnexpected = status + " " + response.body();
                        }
                        if (status != 408 && status < 500) {
                            return false;
                        }
                    }
                    waitMs = response.headers().firstValueAsLong("Retry-After").stream()
                            .map(seconds -> seconds * 1000 + ThreadLocalRandom.current().nextLong(100))
                            .findFirst().orElse(waitMs);
                } catch (HttpTimeoutException e) {
                    load.timeouts.incrementAndGet();
                } catch (IOException e) {
                    load.connectionErrors.incrementAndGet();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
                if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs) > deadline) {
                    return false;
                }
                load.retries.incrementAndGet();
                sleepNanos(TimeUnit.MILLISECONDS.toNanos(waitMs));
            }
        }

        /** Uniform between the base and min(max, base * 2^attempt), as the logger waits. */
        private static long backoff(int attempt) {
            long ceiling = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS << Math.min(attempt, 10));
            return BASE_BACKOFF_MS + ThreadLocalRandom.current().nextLong(ceiling - BASE_BACKOFF_MS + 1);
        }

        private static void sleepNanos(long nanos) {
            try {
                TimeUnit.NANOSECONDS.sleep(nanos);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
