package io.useractions.e2e;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.assertj.core.api.SoftAssertions;
import org.awaitility.core.ConditionTimeoutException;

import redis.clients.jedis.Jedis;

import io.useractions.e2e.FaultLoad.Count;
import io.useractions.e2e.FaultLoad.Probe;
import io.useractions.e2e.FaultLoad.Progress;
import io.useractions.e2e.FaultReport.FaultResult;
import io.useractions.infra.ServiceProcess;

/**
 * Faults injected one after another into a pipeline under a {@link FaultLoad}, each measured until the
 * pipeline recovered: the first 2xx after the fault ended, and every action acknowledged by then stored.
 * A recovery that does not come ends the faults but not the run: the audit afterwards still says what was
 * lost, which a timeout alone would not.
 */
final class FaultRun {
    static final String STREAMS_APPLICATION_ID = "ual-projection";
    static final Duration RECOVERY_LIMIT = Duration.ofSeconds(90);
    private static final Set<TransactionState> OPEN = EnumSet.of(TransactionState.ONGOING,
            TransactionState.PREPARE_ABORT, TransactionState.PREPARE_COMMIT, TransactionState.PREPARE_EPOCH_FENCE);

    final TestPipeline pipeline;
    final FaultLoad load;
    final List<FaultResult> faults = new ArrayList<>();
    /** What the run found wrong, collected so that the report can show all of it before the test fails. */
    final SoftAssertions softly = new SoftAssertions();
    private final long start = System.nanoTime();
    private long loadMillis;
    private long drainMillis = -1;
    private boolean failed;

    /** A run whose load writes to {@code sessionsPerSender} sessions per sender, through every ingest instance. */
    FaultRun(TestPipeline pipeline, int sessionsPerSender) {
        this.pipeline = pipeline;
        this.load = new FaultLoad(pipeline.ingests().stream().map(TestPipeline::batchesUrl).toList(), sessionsPerSender);
    }

    /** Starts the load and waits until the pipeline stores what it acknowledges. */
    FaultRun warmUp() throws Exception {
        load.start();
        return inject(() -> measure("warm-up", System.nanoTime(), System.nanoTime(), Map.of()), false);
    }

    /** Runs one fault unless an earlier one did not recover; a recovery that fails is recorded, not thrown. */
    FaultRun inject(Callable<FaultResult> fault) throws Exception {
        return inject(fault, true);
    }

    private FaultRun inject(Callable<FaultResult> fault, boolean keep) throws Exception {
        if (failed) {
            return this;
        }
        try {
            FaultResult result = fault.call();
            if (keep) {
                faults.add(result);
            }
        } catch (AssertionError e) {
            System.out.println("fault-run: " + e.getMessage());
            softly.fail(firstLine(e.getMessage()));
            failed = true;
            load.abort();
        } catch (Exception e) {
            load.abort();
            throw e;
        }
        return this;
    }

    /** Stops the load and waits until every acknowledged action is stored. */
    FaultRun drain() throws Exception {
        load.stop();
        loadMillis = millisSince(start);
        try {
            drainMillis = awaitCaughtUp("the drain", load.progress(), System.nanoTime());
        } catch (AssertionError e) {
            softly.fail(firstLine(e.getMessage()));
        }
        return this;
    }

    long loadMillis() {
        return loadMillis;
    }

    long drainMillis() {
        return drainMillis;
    }

    // ---- faults ----

    /** SIGKILL, then a new start; measured until it is ready and the killed instance's transaction is aborted. */
    FaultResult killAndRestart(ServiceProcess processor, String name) throws Exception {
        Set<String> transactions = streamsTransactions();
        long begin = System.nanoTime();
        processor.kill();
        Thread.sleep(500);
        processor.start();
        long end = System.nanoTime();
        Map<String, CompletableFuture<Long>> milestones = new LinkedHashMap<>();
        milestones.put("ready", ready(processor));
        milestones.put("killed txn aborted", CompletableFuture.supplyAsync(() -> awaitClosed(transactions, end)));
        return measure(name, begin, end, milestones);
    }

    /** SIGTERM (a graceful shutdown), then a new start. */
    FaultResult stopAndStart(ServiceProcess service, String name) throws Exception {
        long begin = System.nanoTime();
        service.stop();
        service.start();
        long end = System.nanoTime();
        return measure(name, begin, end, Map.of("ready", ready(service)));
    }

    FaultResult restartBroker(String name) throws Exception {
        long begin = System.nanoTime();
        pipeline.infra.kafka().stop();
        TestPipeline.phase(name + ": broker stopped", begin);
        Thread.sleep(1000);
        long start = System.nanoTime();
        pipeline.infra.kafka().start();
        TestPipeline.phase(name + ": broker started", start);
        return measure(name, begin, System.nanoTime(), Map.of());
    }

    /**
     * The dedupe cache forgets everything (FLUSHALL, as a Redis restarted without persistence), and a client
     * sends an acknowledged batch again: it reaches Kafka a second time, and the tables must store it once.
     */
    FaultResult cacheLoss(String name) throws Exception {
        long begin = System.nanoTime();
        flushRedis(pipeline.infra.redis().port());
        softly.assertThat(load.sendAgain()).as("%s: the batch sent again was acknowledged", name).isTrue();
        return measure(name, begin, System.nanoTime(), Map.of());
    }

    static void flushRedis(int port) {
        try (Jedis redis = new Jedis("127.0.0.1", port)) {
            if (!"OK".equals(redis.flushAll())) {
                throw new AssertionError("Redis did not flush");
            }
        }
    }

    static CompletableFuture<Long> ready(ServiceProcess service) {
        return CompletableFuture.supplyAsync(() -> {
            service.waitReady(RECOVERY_LIMIT);
            return System.nanoTime();
        });
    }

    /**
     * Waits for the first 2xx that completed after the fault ended, then for every action acknowledged
     * by that moment to be in ui_action, and for the milestones (each the nanoTime it was reached).
     */
    FaultResult measure(String name, long begin, long end, Map<String, CompletableFuture<Long>> milestones)
            throws Exception {
        Probe probe = load.probe(end);
        long deadline = end + RECOVERY_LIMIT.toNanos();
        awaitRecovery(name, () -> "a 2xx", deadline, Duration.ofMillis(10), () -> probe.firstAck.get() != 0);
        long firstAck = probe.firstAck.get();
        long caughtUp = awaitCaughtUp(name, load.progress(), end);
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
        FaultResult result = new FaultResult(name, nanosToMillis(end - begin), nanosToMillis(firstAck - end),
                caughtUp, reached, load.unavailableSince(begin));
        System.out.println("fault-run: " + result.describe().trim());
        return result;
    }

    /** Transactional ids of the Kafka Streams producers (of this and earlier processor instances). */
    private Set<String> streamsTransactions() throws Exception {
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
    private long awaitClosed(Set<String> transactionalIds, long from) {
        try (Admin admin = pipeline.infra.kafka().admin()) {
            await("the killed processor's transactions " + transactionalIds + " to close")
                    .atMost(remaining(from + RECOVERY_LIMIT.toNanos())).pollDelay(Duration.ZERO)
                    // the broker is busy; ask again
                    .ignoreExceptionsMatching(e -> e instanceof ExecutionException || e instanceof TimeoutException)
                    .until(() -> admin.listTransactions().all().get(10, TimeUnit.SECONDS).stream()
                            .noneMatch(t -> transactionalIds.contains(t.transactionalId()) && OPEN.contains(t.state())));
            return System.nanoTime();
        }
    }

    /** Polls until every action the senders had acknowledged at {@code target} is a row; ms since {@code from}. */
    long awaitCaughtUp(String what, Progress[] target, long from) throws Exception {
        long expected = 0;
        StringBuilder sql = new StringBuilder("select count(*) from ui_action where ");
        List<Object> args = new ArrayList<>();
        for (int s = 0; s < target.length; s++) {
            expected += target[s].acked();
            List<String> sessions = load.senders.get(s).sessions;
            for (int i = 0; i < sessions.size(); i++) {
                sql.append(args.isEmpty() ? "" : " or ").append("(session_id = ? and seq <= ?)");
                args.add(sessions.get(i));
                args.add(target[s].through()[i]);
            }
        }
        long goal = expected;
        AtomicLong stored = new AtomicLong(-1);
        awaitRecovery(what, () -> "the projection to catch up (" + stored + " of " + goal + " rows)",
                from + RECOVERY_LIMIT.toNanos(), Duration.ofMillis(100), () -> {
                    try {
                        stored.set(pipeline.query(sql.toString(), args.toArray()));
                    } catch (IllegalStateException e) {
                        // PostgreSQL is down or restarting
                    }
                    return stored.get() >= goal;
                });
        return nanosToMillis(System.nanoTime() - from);
    }

    /** Polls until {@code recovered}; past the deadline, fails with what it waited for and the apps' last log lines. */
    private void awaitRecovery(String fault, Supplier<String> what, long deadline, Duration interval,
            Callable<Boolean> recovered) {
        try {
            await(fault).atMost(remaining(deadline)).pollDelay(Duration.ZERO).pollInterval(interval).until(recovered);
        } catch (ConditionTimeoutException e) {
            StringBuilder logs = new StringBuilder();
            for (ServiceProcess service : pipeline.apps.all()) {
                logs.append("\n--- ").append(service.spec().name()).append(" ---\n").append(service.logTail(20));
            }
            throw new AssertionError(fault + ": no recovery within " + RECOVERY_LIMIT.toSeconds() + " s: waited for "
                    + what.get() + logs, e);
        }
    }

    /** The time left until a nanoTime deadline, at least a millisecond. */
    static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
    }

    /** The report's first lines: the load and what the clients saw. */
    FaultReport report(String title) {
        return new FaultReport(title)
                .line("load", "%d senders x %d sessions, batches of %d (%d pointer + %d key), offered %,d actions/s",
                        FaultLoad.SENDERS, load.sessionsPerSender, FaultLoad.BATCH, FaultLoad.pointersPerBatch(),
                        FaultLoad.BATCH - FaultLoad.pointersPerBatch(), FaultLoad.RATE)
                .line("sent", "%,d actions in %,d batches; %,d replays of earlier batches (a lost answer)",
                        load.sent.size(), load.get(Count.BATCHES), load.get(Count.REPLAYS))
                .line("acked (2xx)", "%,d actions (%,d pointer); %,d batches given up", load.acked.size(),
                        load.get(Count.ACKED_POINTERS), load.get(Count.GIVEN_UP))
                .line("503s/retries", "%,d answers of 503, %,d of 429, %,d connection errors, %,d timeouts, "
                        + "%,d unexpected; %,d retries", load.get(Count.UNAVAILABLE), load.get(Count.TOO_MANY),
                        load.get(Count.CONNECTION_ERRORS), load.get(Count.TIMEOUTS), load.get(Count.UNEXPECTED),
                        load.get(Count.RETRIES))
                .line("Redis dedupe", "%,d actions dropped as recent duplicates by the ingest service",
                        load.get(Count.DUPLICATES_DROPPED));
    }

    /** The report's lines on the faults and the run time. */
    void reportFaults(FaultReport report, long checkMillis) {
        long setupMillis = pipeline.setupMillis();
        report.faults(faults)
                .line("run time", "%.0f s in all: setup %.0f s, load with faults %.0f s, drain %.1f s, checks %.0f s",
                        (setupMillis + loadMillis + Math.max(0, drainMillis) + checkMillis) / 1000.0,
                        setupMillis / 1000.0, loadMillis / 1000.0, drainMillis / 1000.0, checkMillis / 1000.0);
    }

    /** The client-side checks: nothing given up, nothing unexpected. */
    void checkClients() {
        softly.assertThat(load.get(Count.GIVEN_UP)).as("batches given up after %d s of retries",
                FaultLoad.DELIVERY_LIMIT.toSeconds()).isZero();
        softly.assertThat(load.get(Count.UNEXPECTED)).as("unexpected answers, e.g. %s", load.firstUnexpected)
                .isZero();
    }

    /** Prints the report with its verdict, then fails with everything the run found wrong. */
    void finish(FaultReport report) {
        System.out.print(report.verdict(softly.errorsCollected().stream()
                .map(e -> e.getMessage().strip().replaceAll("\\s*\\n\\s*", " ")).toList()));
        softly.assertAll();
    }

    static String firstLine(String message) {
        return message.lines().findFirst().orElse(message);
    }

    static long millisSince(long nanos) {
        return nanosToMillis(System.nanoTime() - nanos);
    }

    static long nanosToMillis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
