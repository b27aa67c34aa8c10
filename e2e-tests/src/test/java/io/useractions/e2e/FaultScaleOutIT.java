package io.useractions.e2e;

import static io.useractions.e2e.FaultRun.millisSince;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.ConsumerGroupState;
import org.apache.kafka.common.TopicPartition;
import org.assertj.core.api.SoftAssertions;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.useractions.e2e.FaultReport.FaultResult;
import io.useractions.infra.ServiceProcess;
import io.useractions.model.Topics;
import io.useractions.testing.AdminLogin;

/**
 * The scale-out fault run: three processors and two ingest services share the default twelve partitions under load, as
 * pods of one deployment would. Each processor is killed with SIGKILL in turn, one is stopped and started,
 * the processors are scaled from three to one and back to three, the dedupe cache is flushed and a batch
 * sent again (so that a duplicate reaches Kafka), and the broker restarts once. The
 * {@link DeliveryAudit} then must find the acknowledged set equal to the stored set, no duplicate, and
 * every partition's committed and stored offset at the end of its topic. The report shows how the work
 * was spread: actions acknowledged by each ingest service, records routed and rows written by each
 * processor (summed over its restarts, and over a steady stretch without faults once scaled back to
 * three: that share follows the sessions' keys, 24 sessions over 12 partitions), and each processor's
 * partitions at the end, which must be an equal share.
 *
 * <p>Static group membership keeps a restarted processor's partitions waiting for it; a processor that
 * stops for good keeps them until its session times out (20 s by default, 10 s in this run:
 * {@link TestPipeline#FAULT_SESSION_TIMEOUT}), which is what scaling down costs.
 */
class FaultScaleOutIT {
    private static final int INGEST_INSTANCES = 2;
    private static final int PROCESSORS = 3;
    private static final int PARTITIONS = Topics.DEFAULT_PARTITIONS;
    /** 24 sessions in all, so that most partitions get some (the key decides the partition). */
    private static final int SESSIONS_PER_SENDER = 6;
    private static final String SINK_GROUP = "ual-postgres-sink";
    /**
     * Load without faults after scaling back to three, over which each processor's share is reported (only
     * reported: the share follows the sessions' keys); ten samples of the counters.
     */
    private static final Duration STEADY = Duration.ofSeconds(5);
    private static final Pattern COUNTER = Pattern.compile(
            "^(ual_processor_actions_validated_total|ual_processor_actions_projected_total)\\s+([0-9.eE+]+)$",
            Pattern.MULTILINE);

    @AutoClose
    private static TestPipeline pipeline;

    @BeforeAll
    static void startPipeline() {
        pipeline = TestPipeline.forFaults().withInstances(INGEST_INSTANCES, PROCESSORS).withPartitions(PARTITIONS)
                .start(false);
    }

    @Test
    void threeProcessorsAndTwoIngestServicesStoreEveryActionOnceThroughKillsAndScaling() throws Exception {
        List<ServiceProcess> processors = pipeline.processors();
        try (ProcessorCounters counters = new ProcessorCounters(processors)) {
            FaultRun run = new FaultRun(pipeline, SESSIONS_PER_SENDER).warmUp();
            for (int i = 0; i < PROCESSORS; i++) {
                ServiceProcess processor = processors.get(i);
                run.inject(() -> run.killAndRestart(processor, "kill -9 " + processor.spec().name()));
            }
            run.inject(() -> run.stopAndStart(processors.get(1), "stop/start " + processors.get(1).spec().name()))
                    .inject(() -> scale(run, processors.subList(1, PROCESSORS), false))
                    .inject(() -> scale(run, processors.subList(1, PROCESSORS), true))
                    // The audit asks for a duplicate in Kafka; the broker's restart leaves one only by chance.
                    .inject(() -> run.cacheLoss("Redis FLUSHALL, a batch sent again"));
            // A steady stretch with all three, to show how the work is shared when nothing fails.
            Map<String, long[]> steadyStart = counters.totals();
            Thread.sleep(STEADY.toMillis());
            Map<String, long[]> steadyEnd = counters.totals();
            run.inject(() -> run.restartBroker("broker stop/start")).drain();
            long checkStart = System.nanoTime();
            run.checkClients();
            DeliveryAudit audit = DeliveryAudit.of(pipeline, run.load, run.softly);
            long step = System.nanoTime();
            Map<String, Assignment> assignments = finalAssignments(run.softly);
            TestPipeline.phase("final assignments", step);
            step = System.nanoTime();
            counters.close();
            TestPipeline.phase("counters closed", step);
            Map<String, long[]> end = counters.totals();
            long steadyRouted = steadyEnd.values().stream().mapToLong(v -> v[0]).sum()
                    - steadyStart.values().stream().mapToLong(v -> v[0]).sum();

            FaultReport report = run.report("FaultScaleOutIT: " + PROCESSORS + " processors, " + INGEST_INSTANCES
                    + " ingest services, " + PARTITIONS + " partitions, under load");
            audit.report(report);
            for (int i = 0; i < INGEST_INSTANCES; i++) {
                report.line(i == 0 ? "per ingest" : "", "%s: %,d actions answered 2xx",
                        pipeline.ingests().get(i).spec().name(), run.load.ackedBy.get(i));
            }
            for (ServiceProcess processor : processors) {
                String name = processor.spec().name();
                Assignment assignment = assignments.getOrDefault(name, Assignment.NONE);
                report.line(name.equals(processors.get(0).spec().name()) ? "per processor" : "",
                        "%s: %,d routed, %,d rows written (over %d starts); in %d s steady with %d: %,d routed (%.0f%%), "
                                + "%,d written; now Streams raw %s, sink projection %s",
                        name, end.get(name)[0], end.get(name)[1], counters.starts(name), STEADY.toSeconds(), PROCESSORS,
                        steadyEnd.get(name)[0] - steadyStart.get(name)[0],
                        100.0 * (steadyEnd.get(name)[0] - steadyStart.get(name)[0]) / Math.max(1, steadyRouted),
                        steadyEnd.get(name)[1] - steadyStart.get(name)[1], assignment.raw, assignment.projection);
            }
            run.reportFaults(report, millisSince(checkStart));
            run.finish(report);
        }
    }

    /** Stops (scale down) or starts (scale up) the given processors together. */
    private static FaultResult scale(FaultRun run, List<ServiceProcess> processors, boolean up) throws Exception {
        long begin = System.nanoTime();
        List<CompletableFuture<Void>> changes = new ArrayList<>();
        for (ServiceProcess processor : processors) {
            changes.add(CompletableFuture.runAsync(up ? processor::start : processor::stop));
        }
        CompletableFuture.allOf(changes.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        long end = System.nanoTime();
        int from = up ? PROCESSORS - processors.size() : PROCESSORS;
        int to = up ? PROCESSORS : PROCESSORS - processors.size();
        Map<String, CompletableFuture<Long>> milestones = new TreeMap<>();
        if (up) {
            for (ServiceProcess processor : processors) {
                milestones.put(processor.spec().name() + " ready", FaultRun.ready(processor));
            }
        }
        milestones.put("all partitions on " + to, CompletableFuture.supplyAsync(() -> awaitSpreadOver(to, end)));
        return run.measure("scale " + from + " -> " + to, begin, end, milestones);
    }

    /** Waits until both groups are stable with every partition owned by one of {@code instances} processors. */
    private static long awaitSpreadOver(int instances, long from) {
        try (Admin admin = pipeline.infra.kafka().admin()) {
            await("the partitions to be spread over " + instances + " processors")
                    .atMost(FaultRun.remaining(from + FaultRun.RECOVERY_LIMIT.toNanos()))
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200))
                    // a group in the middle of a rebalance; ask again
                    .ignoreExceptions()
                    .until(() -> {
                        Map<String, Assignment> assignments = assignments(admin);
                        long owners = assignments.values().stream().filter(a -> !a.raw.isEmpty()).count();
                        int raw = assignments.values().stream().mapToInt(a -> a.raw.size()).sum();
                        int projection = assignments.values().stream().mapToInt(a -> a.projection.size()).sum();
                        return owners == instances && raw == PARTITIONS && projection == PARTITIONS;
                    });
            return System.nanoTime();
        }
    }

    /** At the end every processor owns an equal share of the raw partitions (Streams) and the projection's (sink). */
    private static Map<String, Assignment> finalAssignments(SoftAssertions softly) {
        try {
            awaitSpreadOver(PROCESSORS, System.nanoTime());
        } catch (ConditionTimeoutException e) {
            softly.fail(e.getMessage());
        }
        Map<String, Assignment> assignments;
        try (Admin admin = pipeline.infra.kafka().admin()) {
            assignments = assignments(admin);
        } catch (Exception e) {
            softly.fail("could not describe the consumer groups: " + e);
            return Map.of();
        }
        int share = PARTITIONS / PROCESSORS;
        assignments.forEach((name, assignment) -> {
            softly.assertThat(assignment.raw).as("%s's raw partitions", name).hasSize(share);
            softly.assertThat(assignment.projection).as("%s's projection partitions", name).hasSize(share);
        });
        return assignments;
    }

    /** Each processor's partitions, by its instance id: Kafka Streams' of the raw topic, its sink consumers' of the projection. */
    private static Map<String, Assignment> assignments(Admin admin) throws Exception {
        Map<String, Assignment> byInstance = new TreeMap<>();
        Map<String, ConsumerGroupDescription> groups = admin.describeConsumerGroups(
                List.of(FaultRun.STREAMS_APPLICATION_ID, SINK_GROUP)).all().get(10, TimeUnit.SECONDS);
        for (ConsumerGroupDescription group : groups.values()) {
            if (group.state() != ConsumerGroupState.STABLE) {
                throw new IllegalStateException(group.groupId() + " is " + group.state());
            }
            for (MemberDescription member : group.members()) {
                // The members' static ids are <instance>-streams-<thread> and <instance>-sink-<n>.
                String id = member.groupInstanceId().orElse(member.consumerId());
                String instance = id.replaceFirst("-(streams(-\\d+)?|sink-\\d+)$", "");
                Assignment assignment = byInstance.computeIfAbsent(instance, i -> new Assignment());
                for (TopicPartition partition : member.assignment().topicPartitions()) {
                    (group.groupId().equals(SINK_GROUP) ? assignment.projection : assignment.raw).add(partition.partition());
                }
            }
        }
        return byInstance;
    }

    private static final class Assignment {
        static final Assignment NONE = new Assignment();
        final TreeSet<Integer> raw = new TreeSet<>();
        final TreeSet<Integer> projection = new TreeSet<>();
    }

    /**
     * Samples each processor's routed and written counters every half second, per process, so that the
     * counts of an instance add up over its restarts. A killed process loses at most its last half second.
     */
    private static final class ProcessorCounters implements AutoCloseable {
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        private final List<ServiceProcess> processors;
        /** instance name → pid → the last [routed, written] seen. */
        private final Map<String, Map<Long, double[]>> last = new ConcurrentHashMap<>();
        private final Thread sampler;
        private volatile boolean running = true;

        ProcessorCounters(List<ServiceProcess> processors) {
            this.processors = processors;
            sampler = new Thread(this::run, "processor-counters");
            sampler.setDaemon(true);
            sampler.start();
        }

        private void run() {
            while (running) {
                for (ServiceProcess processor : processors) {
                    sample(processor);
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private void sample(ServiceProcess processor) {
            try {
                long pid = processor.pid();
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(processor.url() + "/q/metrics"))
                        .header("Authorization", AdminLogin.basicAuthorization()).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                double[] values = new double[2];
                Matcher m = COUNTER.matcher(response.body());
                while (m.find()) {
                    values[m.group(1).contains("validated") ? 0 : 1] = Double.parseDouble(m.group(2));
                }
                if (response.statusCode() == 200) {
                    last.computeIfAbsent(processor.spec().name(), n -> new ConcurrentHashMap<>()).put(pid, values);
                }
            } catch (Exception e) {
                // not running or not answering at this moment
            }
        }

        /** Per instance: [routed, written] summed over its processes so far. */
        Map<String, long[]> totals() {
            Map<String, long[]> totals = new TreeMap<>();
            for (ServiceProcess processor : processors) {
                String name = processor.spec().name();
                long[] sum = new long[2];
                for (double[] values : last.getOrDefault(name, Map.of()).values()) {
                    sum[0] += (long) values[0];
                    sum[1] += (long) values[1];
                }
                totals.put(name, sum);
            }
            return totals;
        }

        int starts(String name) {
            return last.getOrDefault(name, Map.of()).size();
        }

        @Override
        public void close() throws InterruptedException {
            if (running) {
                running = false;
                sampler.interrupt();
                sampler.join(5000);
                processors.forEach(this::sample);
            }
        }
    }
}
