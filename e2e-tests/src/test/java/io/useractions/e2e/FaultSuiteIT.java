package io.useractions.e2e;

import static io.useractions.e2e.FaultRun.millisSince;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.useractions.e2e.FaultReport.FaultResult;

/**
 * Fault injection under continuous load, in the manner of Kafka's system tests: while a generator posts
 * numbered actions and retries as a real client does (same batch, same ids), the stream processor is
 * killed with SIGKILL three times, the broker is stopped and started twice, PostgreSQL is restarted
 * and Redis is taken away and comes back empty. Afterwards the {@link DeliveryAudit} must find every
 * acknowledged action stored once and every offset at the end of its topic.
 *
 * <p>Run alone with {@code mvn -B -pl e2e-tests verify -Dit.test=FaultSuiteIT} after {@code ./ual build}.
 * {@code -Dfaults.rate=N} sets the offered load in actions per second (default 500).
 */
class FaultSuiteIT {
    private static final Pattern DEDUPE_ACTIVE = Pattern.compile("\"dedupe\"\\s*:\\s*\"active\"");

    @AutoClose
    private static TestPipeline pipeline;

    @BeforeAll
    static void startPipeline() {
        pipeline = TestPipeline.forFaults().start(false);
    }

    @Test
    void everyAcknowledgedActionIsStoredOnceThroughCrashesAndRestarts() throws Exception {
        FaultRun run = new FaultRun(pipeline, 2).warmUp();
        run.inject(() -> run.killAndRestart(pipeline.processor(), "processor kill -9 #1"))
                .inject(() -> run.restartBroker("broker stop/start #1"))
                .inject(() -> run.killAndRestart(pipeline.processor(), "processor kill -9 #2"))
                .inject(() -> restartPostgres(run))
                .inject(() -> redisOutage(run))
                .inject(() -> run.restartBroker("broker stop/start #2"))
                .inject(() -> run.killAndRestart(pipeline.processor(), "processor kill -9 #3"))
                .drain();
        long checkStart = System.nanoTime();
        run.checkClients();
        DeliveryAudit audit = DeliveryAudit.of(pipeline, run.load, run.softly);
        for (FaultResult fault : run.faults) {
            if (fault.name().startsWith("broker")) {
                run.softly.assertThat(fault.unavailable()).as("%s: answers of 503 from the ingest service", fault.name())
                        .isPositive();
            }
            if (fault.name().startsWith("Redis")) {
                run.softly.assertThat(fault.unavailable()).as("%s: answers of 503 although Redis is only a cache",
                        fault.name()).isZero();
            }
        }

        FaultReport report = run.report("FaultSuiteIT: fault injection under load");
        audit.report(report);
        run.reportFaults(report, millisSince(checkStart));
        run.finish(report);
    }

    // ---- faults only this run injects ----

    private static FaultResult restartPostgres(FaultRun run) throws Exception {
        long start = System.nanoTime();
        pipeline.infra.postgres().stop();
        // long enough for several of the sink's writes to fail
        Thread.sleep(1000);
        pipeline.infra.postgres().start();
        return run.measure("PostgreSQL restart", start, System.nanoTime(), Map.of());
    }

    private static FaultResult redisOutage(FaultRun run) throws Exception {
        long start = System.nanoTime();
        pipeline.infra.redis().stop();
        // some 20 batches find Redis gone
        Thread.sleep(2000);
        pipeline.infra.redis().start();
        FaultRun.flushRedis(pipeline.infra.redis().port());
        long end = System.nanoTime();
        return run.measure("Redis outage + FLUSHALL", start, end,
                Map.of("dedupe active", CompletableFuture.supplyAsync(() -> awaitDedupeActive(end))));
    }


    private static long awaitDedupeActive(long from) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest probe = HttpRequest.newBuilder(pipeline.ingest().healthUri()).timeout(Duration.ofSeconds(2)).build();
        await("the ingest service to use Redis again").atMost(FaultRun.remaining(from + FaultRun.RECOVERY_LIMIT.toNanos()))
                .pollDelay(Duration.ZERO).ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> DEDUPE_ACTIVE.matcher(http.send(probe, HttpResponse.BodyHandlers.ofString()).body()).find());
        return System.nanoTime();
    }
}
