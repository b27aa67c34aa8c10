package io.useractions.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.admin.ListOffsetsOptions;

import io.useractions.infra.LocalInfra;
import io.useractions.infra.Ports;
import io.useractions.infra.Servers;
import io.useractions.infra.Apps;
import io.useractions.infra.ServiceProcess;
import io.useractions.model.KafkaSettings;
import io.useractions.model.Topics;

/**
 * {@code ./ual bench [--quick]}: measures the pipeline next to the machine's own limits in one run and
 * prints one table. Phases, in order:
 * <ol>
 * <li>Kafka producer baseline: a bare KafkaProducer sending the same records the ingest service sends;</li>
 * <li>ingest, open loop, at rising fixed rates with the processor stopped (HTTP → Kafka acknowledged),
 *     then at half the highest rate it kept up with;</li>
 * <li>projection: the processor started cold on fresh actions in the raw topic; rows/s into both tables
 *     after the first quarter of them (the JIT's warm-up), and over all of them;</li>
 * <li>PostgreSQL COPY baseline: the rows the projection wrote, copied into empty tables LIKE the real ones;</li>
 * <li>end to end, processor running: lag from each 202 to the row, at half the ingest maximum and at
 *     rising rates until its p99 passes 1 s;</li>
 * <li>peak resident memory (VmHWM) of the ingest service and the processor.</li>
 * </ol>
 */
public final class Benchmark {
    static final Path HOME = Path.of(System.getProperty("ual.home", System.getenv().getOrDefault("UAL_HOME", ".")))
            .toAbsolutePath().normalize();
    private static final double KEEPS_UP = 0.97;
    /** The processor's Kafka Streams application id (quarkus.kafka-streams.application-id). */
    private static final String STREAMS_GROUP = "ual-projection";
    private static final double LAG_P99_LIMIT_MS = 1000;
    /** Actions per sink transaction where the projection phase did not measure it. */
    private static final int SINK_ACTIONS_PER_TRANSACTION = 1000;

    private final Options options;
    private final PrintStream out;
    private final Report report = new Report();
    private LocalInfra infra;
    private ServiceProcess ingest;
    private ServiceProcess processor;
    private Apps apps;
    private Endpoints endpoints;
    /** The sink's mean actions per transaction in the projection phase, for the COPY baseline. */
    private int sinkActionsPerTransaction = SINK_ACTIONS_PER_TRANSACTION;

    Benchmark(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        Options options = Options.parse(args);
        Report report = new Benchmark(options, System.out).run();
        if (options.output != null) {
            Files.writeString(options.output, report.markdown(), StandardCharsets.UTF_8);
        }
        System.exit(0);
    }

    /** Runs every phase and returns the report it also printed. */
    Report run() throws Exception {
        long started = System.nanoTime();
        Path root = options.dataDir.resolve("bench-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                .withZone(java.time.ZoneOffset.UTC).format(Instant.now()));
        report.header(String.format(Locale.ROOT, "UserActionsLogging benchmark, %s mode, %d cores, %s",
                options.quick ? "quick" : "full", Runtime.getRuntime().availableProcessors(), Instant.now()));
        try {
            startServers(root);
            Workload workload = Workload.create(400, options.actionsPerBatch, 2000, 42);
            report.note(String.format(Locale.ROOT, "workload: %d actions a batch (80%% pointer moves), %,d bytes a body, %d sessions",
                    workload.actionsPerBatch(), workload.meanBodyBytes(), 2000));
            if (options.secureKafka) {
                report.note("Kafka: SASL_SSL only, SCRAM-SHA-512 over TLS (--secure-kafka)");
            }

            if (options.projectionOnly) {
                corePath(workload, root);
                for (ServiceProcess each : apps.of(Apps.PROCESSOR)) {
                    peakRss(each, 400, options.processorJvm);
                }
                return report;
            }
            phase("Kafka producer baseline");
            Baselines.Rate producer = Baselines.kafkaProducer(endpoints.kafka, workload, options.producerRecords,
                    options.partitions);
            report.row("baseline: Kafka producer, same records", rate(producer.perSecond(), "actions/s"),
                    String.format(Locale.ROOT, "%,d actions in records of %.0f B, acks=all, lz4", producer.count(),
                            producer.meanBytes()));

            OpenLoop.Result best;
            double halfMax;
            try (OpenLoop load = new OpenLoop(URI.create(ingest.url() + "/v1/batches"), workload, options.connections)) {
                // Until C2 has compiled the hot paths the service needs several times the CPU per action:
                // ramp up for a while first, then count a rate as the maximum only if it held.
                for (int i = 1; i <= 3; i++) {
                    phase("ingest warm-up at " + rate(options.warmupRate * i / 3, "actions/s"));
                    load.run(options.warmupRate * i / 3, options.warmup, null);
                }

                best = null;
                OpenLoop.Result first = null;
                int missed = 0;
                for (double rate : options.ingestRates) {
                    phase("ingest at " + rate(rate, "actions/s"));
                    Map<String, Long> cpu = CpuMeter.snapshot();
                    OpenLoop.Result result = load.run(rate, options.step, null);
                    String cores = cpu(cpu, result);
                    boolean keepsUp = keepsUp(result);
                    first = first == null ? result : first;
                    report.latencyRow("ingest open loop @ " + rate(rate, "/s"), result,
                            (keepsUp ? "kept up" : "fell behind") + "; " + cores);
                    if (keepsUp) {
                        best = result;
                        missed = 0;
                    } else if (++missed == 2) {
                        break;
                    }
                }
                if (best == null) {
                    report.note("the ingest service kept up with none of the rates; half of the lowest is used below");
                    best = first;
                }
                report.row("ingest maximum (HTTP → Kafka acked)", rate(best.acceptedPerSecond(), "actions/s"),
                        String.format(Locale.ROOT, "%.0f%% of the producer baseline; target ≥ 150,000",
                                100 * best.acceptedPerSecond() / producer.perSecond()));

                halfMax = Math.round(best.offeredPerSecond() / 2);
                // The steps that fell behind leave a backlog and a heap full of it: settle at the rate first,
                // so that the step measures that rate and not the recovery from the one before.
                phase("ingest settling at half the maximum, " + rate(halfMax, "actions/s"));
                load.run(halfMax, options.warmup, null);
                phase("ingest at half the maximum, " + rate(halfMax, "actions/s"));
                Map<String, Long> cpu = CpuMeter.snapshot();
                OpenLoop.Result half = load.run(halfMax, options.halfStep, null);
                report.latencyRow("ingest @ half max " + rate(halfMax, "/s"), half, "target p99 ≤ 20 ms; "
                        + cpu(cpu, half));
            }

            phase("bad-input corpus");
            BadInputProbe.Result bad = new BadInputProbe(URI.create(ingest.url() + "/v1/batches")).run(options.badInputRounds);
            report.percentilesRow("bad input, one request at a time", String.format(Locale.ROOT, "%d 5xx", bad.serverErrors()),
                    bad.percentileMillis(50), bad.percentileMillis(99), bad.percentileMillis(99.9),
                    "target p99 ≤ 20 ms, 0 5xx; " + BadInputProbe.describe(bad));

            if (options.ingestOnly) {
                peakRss(ingest, 300, options.ingestJvm);
                return report;
            }
            corePath(workload, root);

            phase("end-to-end lag");
            endToEnd(workload, halfMax, best.offeredPerSecond());

            peakRss(ingest, 300, options.ingestJvm);
            for (ServiceProcess each : apps.of(Apps.PROCESSOR)) {
                peakRss(each, 400, options.processorJvm);
            }
        } finally {
            report.note(String.format(Locale.ROOT, "benchmark took %.0f s; logs under %s%s",
                    (System.nanoTime() - started) / 1e9, root, options.keepData ? ", with the servers' data" : ""));
            stopAll();
            if (!options.keepData && options.external == null) {
                deleteData(root);
            }
            out.println();
            out.print(report.text());
        }
        return report;
    }

    /**
     * The phases of the core path, from the raw topic to the tables: the projection of a backlog, the
     * Kafka bytes it wrote, the COPY baseline, the replay, and single batches through an idle pipeline.
     */
    private void corePath(Workload workload, Path root) throws Exception {
        phase("projection of " + options.projectionRecords + " new actions on the raw topic");
        skipRawBacklog();
        long kafkaBytesBefore = projectionTopicBytes();
        Baselines.fillRawTopic(endpoints.kafka, workload, options.projectionRecords);
        projection();
        kafkaBytesPerAction(kafkaBytesBefore);

        phase("PostgreSQL COPY baseline");
        Baselines.Rate copy;
        try (Connection connection = endpoints.connect()) {
            copy = Baselines.copy(connection, options.copyRows, sinkActionsPerTransaction);
        }
        report.row("baseline: PostgreSQL COPY, same rows", rate(copy.perSecond(), "rows/s"),
                String.format(Locale.ROOT, "%,d rows into tables LIKE ui_action and mouse_position (no triggers), "
                        + "ids in arrival order, one transaction per %,d actions, the sink's mean in the projection phase",
                        copy.count(), sinkActionsPerTransaction));
        report.ratio("projection", "baseline: PostgreSQL COPY, same rows", "target ≥ 80% of COPY");
        replay(workload, root);
        report.ratio("replay", "baseline: PostgreSQL COPY, same rows", "target ≥ 80% of COPY");

        phase("single batches, idle pipeline");
        idleLatency(workload);
    }

    private void startServers(Path root) throws Exception {
        phase("starting Kafka, PostgreSQL and Redis under " + root);
        if (options.external == null) {
            LocalInfra.Config config = LocalInfra.Config.inRoot(root);
            infra = LocalInfra.start(options.secureKafka ? config.withSecureKafka() : config);
            infra.ensureProjectTopics(options.partitions);
            endpoints = new Endpoints(infra.kafkaClientConfig(), infra.jdbcUrl(), infra.dbUser(), infra.dbPassword(),
                    infra.redisUrl(), infra.serviceEnv());
        } else {
            endpoints = options.external;
        }
        Map<String, String> env = new HashMap<>(endpoints.serviceEnv);
        env.put("UAL_INGEST_ACCESS_STUDIES__BENCH__WRITE_KEY", Workload.KEY);
        // One client address stands for thousands of browsers here; the limiter still runs on every request.
        env.put("UAL_INGEST_RATE_LIMIT_PER_ADDRESS", "100000000");
        env.put("UAL_INGEST_RATE_LIMIT_PER_ADDRESS_BURST", "100000000");
        env.put("UAL_INGEST_RATE_LIMIT_PER_KEY", "100000000");
        env.put("UAL_INGEST_RATE_LIMIT_PER_KEY_BURST", "100000000");
        env.put("UAL_PROCESSOR_TOPICS_PARTITIONS", Integer.toString(options.partitions));
        // glibc's per-thread malloc arenas otherwise add tens of MB of resident memory to each JVM.
        env.put("MALLOC_ARENA_MAX", "2");
        apps = new Apps(HOME, root, env, "127.0.0.1", List.of());
        ingest = apps.add(Apps.INGEST, Ports.freePort(), options.ingestJvm);
        processor = apps.add(Apps.PROCESSOR, Ports.freePort(), options.processorJvm);
        for (int i = 1; i < options.processors; i++) {
            apps.add(Apps.PROCESSOR, Ports.freePort(), options.processorJvm);
        }
        ingest.start();
        processor.start();
        ingest.waitReady();
        // The processor migrates the schema at start; it then stops so that ingest is measured alone.
        processor.waitReady();
        processor.stop();
    }

    private void peakRss(ServiceProcess service, int targetMb, List<String> jvm) {
        report.row("peak RSS: " + service.spec().name(), mib(ProcStatus.peakRssBytes(service.pid())),
                "target ≤ " + targetMb + " MB; " + String.join(" ", jvm));
    }


    /** Cores of each part over a load step, and its CPU per accepted action. */
    private static String cpu(Map<String, Long> before, OpenLoop.Result result) {
        Map<String, Long> after = CpuMeter.snapshot();
        return CpuMeter.coresBetween(before, after, result.seconds()) + "; "
                + CpuMeter.microsPerAction(before, after, result.acceptedActions());
    }

    private static boolean keepsUp(OpenLoop.Result result) {
        return !result.gaveUp() && result.failed() == 0 && result.refused() == 0
                && result.acceptedPerSecond() >= KEEPS_UP * result.offeredPerSecond()
                && result.percentileMillis(99) < 1000;
    }

    /**
     * Runs the processor's replay command over a topic of as many new actions as the projection phase,
     * next to the idle live processor: first into emptied tables, so that it adds every row (the most a
     * replay writes), then again with the tables already right (it compares every row, writes none).
     */
    private void replay(Workload workload, Path root) throws Exception {
        if (options.external != null) {
            report.note("replay not run: against external servers it would replace their tables");
            return;
        }
        String topic = "ual-bench-replay";
        phase("replay of " + options.projectionRecords + " actions");
        Baselines.createServedTopic(endpoints.kafka, topic, options.partitions);
        Baselines.fillRawTopic(endpoints.kafka, topic, workload, options.projectionRecords);
        try (Connection connection = endpoints.connect(); Statement s = connection.createStatement()) {
            s.execute("truncate ui_action, mouse_position");
        }
        apps.env("replay", Map.of("UAL_PROCESSOR_TOPICS_RAW", topic));
        long started = System.nanoTime();
        Map<String, Long> cpu = CpuMeter.snapshot();
        Map<String, String> first = runReplay(root);
        String cores = CpuMeter.coresBetween(cpu, CpuMeter.snapshot(), (System.nanoTime() - started) / 1e9);
        long actions = Long.parseLong(first.get("actions"));
        long rows = actions + Long.parseLong(first.get("mouse_positions"));
        double load = Double.parseDouble(first.get("load_seconds"));
        double swap = Double.parseDouble(first.get("swap_seconds"));
        double replayCores = Double.parseDouble(first.get("cpu_seconds")) / (load + swap);
        report.row("replay", rate(rows / (load + swap), "rows/s"), String.format(Locale.ROOT,
                "%,d records into %,d rows, every one added: read and copied into the replay tables in %.1f s "
                        + "(%,.0f actions/s), put in place in %.1f s; cores: replay %.2f; the rest, with its "
                        + "start-up: %s", Long.parseLong(first.get("records")), rows, load, actions / load, swap,
                replayCores, cores.replace("cores: ", "")));
        report.metric("replay", rows / (load + swap));

        phase("replay again, the tables already right");
        Map<String, String> again = runReplay(root);
        double againLoad = Double.parseDouble(again.get("load_seconds"));
        double againSwap = Double.parseDouble(again.get("swap_seconds"));
        report.row("replay again, tables already right", rate(rows / (againLoad + againSwap), "rows/s"),
                String.format(Locale.ROOT, "read and copied in %.1f s, compared and put in place in %.1f s "
                        + "(%s rows removed, %s added)", againLoad, againSwap, again.get("rows_removed"),
                        again.get("rows_added")));
    }

    /** Runs the processor's replay command and returns its summary line's name=value pairs. */
    private Map<String, String> runReplay(Path root) {
        String output = apps.command(Apps.PROCESSOR, "replay", options.processorJvm)
                .runCommand(List.of("replay"), Duration.ofMinutes(10));
        Map<String, String> summary = new HashMap<>();
        output.lines().filter(line -> line.startsWith("Replay finished: ")).findFirst()
                .map(line -> line.substring("Replay finished: ".length()))
                .ifPresent(pairs -> Arrays.stream(pairs.split(" ")).map(pair -> pair.split("=", 2))
                        .forEach(pair -> summary.put(pair[0], pair[1])));
        if (!summary.containsKey("records")) {
            throw new IllegalStateException("the replay printed no summary; see " + root.resolve("logs"));
        }
        return summary;
    }

    /** Starts the processor on the raw topic's backlog and times it until every row is written. */
    private void projection() throws Exception {
        long actionsBefore = count("select count(*) from ui_action");
        long positionsBefore = count("select count(*) from mouse_position");
        try (Admin admin = Admin.create(endpoints.kafka);
             Connection db = endpoints.connect()) {
            Map<TopicPartition, Long> rawEnd = endOffsets(admin, Topics.RAW, IsolationLevel.READ_UNCOMMITTED);
            long readyAt = System.nanoTime();
            List<ServiceProcess> processors = apps.of(Apps.PROCESSOR);
            processors.forEach(ServiceProcess::start);
            processors.forEach(ServiceProcess::waitReady);
            Map<String, Long> cpu = CpuMeter.snapshot();
            long firstRowAt = 0;
            long warmAt = 0;
            long warmActions = 0;
            long warmPositions = 0;
            long streamsDoneAt = 0;
            long lastProgressAt = System.nanoTime();
            long lastRows = 0;
            while (true) {
                long rows = sinkedRecords(db);
                long now = System.nanoTime();
                if (rows > 0 && firstRowAt == 0) {
                    firstRowAt = now;
                }
                if (rows != lastRows) {
                    lastRows = rows;
                    lastProgressAt = now;
                }
                if (warmAt == 0 && rows >= options.projectionRecords / 4) {
                    warmAt = now;
                    warmActions = count("select count(*) from ui_action");
                    warmPositions = count("select count(*) from mouse_position");
                }
                if (streamsDoneAt == 0 && streamsCaughtUp(admin, rawEnd)) {
                    streamsDoneAt = now;
                }
                if (streamsDoneAt != 0 && sinkCaughtUp(admin, db)) {
                    break;
                }
                if (now - lastProgressAt > Duration.ofSeconds(60).toNanos()) {
                    throw new IllegalStateException("the projection made no progress for 60 s; see " + processor.logFile());
                }
                Thread.sleep(100);
            }
            long doneAt = System.nanoTime();
            Map<String, Long> cpuAfter = CpuMeter.snapshot();
            String cores = CpuMeter.coresBetween(cpu, cpuAfter, (doneAt - readyAt) / 1e9) + "; "
                    + CpuMeter.microsPerAction(cpu, cpuAfter, options.projectionRecords);
            long actions = count("select count(*) from ui_action");
            long positions = count("select count(*) from mouse_position");
            double seconds = (doneAt - (firstRowAt == 0 ? readyAt : firstRowAt)) / 1e9;
            long allRows = actions - actionsBefore + positions - positionsBefore;
            // The processor starts cold, and until C2 has compiled its hot paths it needs several times the
            // CPU per action: the rate that counts is the one after the first quarter of the backlog.
            double warmSeconds = warmAt == 0 ? seconds : (doneAt - warmAt) / 1e9;
            long warmRows = warmAt == 0 ? allRows : actions - warmActions + positions - warmPositions;
            long warmActionCount = warmAt == 0 ? actions - actionsBefore : actions - warmActions;
            report.row("projection", rate(warmRows / warmSeconds, "rows/s"),
                    String.format(Locale.ROOT, "after the first quarter: %,d rows in %.1f s (%,.0f actions/s); "
                            + "whole backlog from cold: %,d ui_action + %,d mouse_position rows in %.1f s (%,.0f rows/s), "
                            + "Streams done after %.1f s; %s", warmRows, warmSeconds, warmActionCount / warmSeconds,
                            actions - actionsBefore, positions - positionsBefore, seconds, allRows / seconds,
                            (streamsDoneAt - readyAt) / 1e9, cores));
            report.metric("projection", warmRows / warmSeconds);
            // Every row a transaction inserts carries its id as xmin: the sink's own transaction size.
            sinkActionsPerTransaction = (int) Math.max(1, count("select count(*) / greatest(1, count(distinct xmin::text)) "
                    + "from ui_action"));
        }
    }

    /** Bytes in the broker's log directories of the raw and projection topics, all partitions. */
    private long projectionTopicBytes() throws Exception {
        try (Admin admin = Admin.create(endpoints.kafka)) {
            long bytes = 0;
            for (var dirs : admin.describeLogDirs(admin.describeCluster().nodes().get().stream().map(n -> n.id())
                    .toList()).allDescriptions().get().values()) {
                for (var dir : dirs.values()) {
                    for (var replica : dir.replicaInfos().entrySet()) {
                        String topic = replica.getKey().topic();
                        if (topic.equals(Topics.RAW) || topic.equals(Topics.PROJECTION)) {
                            bytes += replica.getValue().size();
                        }
                    }
                }
            }
            return bytes;
        }
    }

    /** The Kafka bytes on disk that the projection phase's actions added, per action. */
    private void kafkaBytesPerAction(long before) throws Exception {
        double perAction = (double) (projectionTopicBytes() - before) / options.projectionRecords;
        report.row("Kafka bytes on disk per action", String.format(Locale.ROOT, "%.0f B", perAction),
                "raw (lz4) + projection topics, over the projection phase's actions; target ≤ 250 B");
        report.metric("kafka bytes per action", perAction);
    }

    /** The start and end of an end-to-end step compared for lag growth: 10 s of a 60 s step. */
    private Duration growthWindow() {
        Duration sixth = options.endToEndStep.dividedBy(6);
        return sixth.compareTo(Duration.ofSeconds(10)) < 0 ? sixth : Duration.ofSeconds(10);
    }

    /** 202 → row of single batches sent one at a time to the idle pipeline. */
    private void idleLatency(Workload workload) throws Exception {
        Histogram micros;
        IdleLatency idle = new IdleLatency(URI.create(ingest.url() + "/v1/batches"), workload);
        long maintenance;
        try (Connection connection = endpoints.connect()) {
            // Autovacuum after the replay's million rows competes with the phase: say whether it ran.
            maintenance = count("select count(*) from pg_stat_activity where backend_type = 'autovacuum worker'");
            micros = idle.run(connection, options.idleBatches, Duration.ofMillis(200));
            maintenance += count("select count(*) from pg_stat_activity where backend_type = 'autovacuum worker'");
        }
        report.percentilesRow("single batch, idle pipeline, 202 → row",
                String.format(Locale.ROOT, "p99 %.0f ms", micros.getValueAtPercentile(99) / 1000.0),
                micros.getValueAtPercentile(50) / 1000.0, micros.getValueAtPercentile(99) / 1000.0,
                micros.getMaxValue() / 1000.0, String.format(Locale.ROOT,
                        "%d batches one at a time, 200 ms apart; max is the last column (batch %d); autovacuum "
                                + "workers seen at its start and end: %d; target p99 ≤ 250 ms",
                        micros.getTotalCount(), idle.slowest + 1, maintenance));
        report.metric("idle batch p99 ms", micros.getValueAtPercentile(99) / 1000.0);
    }

    /** Lag from 202 to row at rising rates (the configured ones up to the ingest maximum, and half of it) until one does not hold. */
    private void endToEnd(Workload workload, double halfMax, double max) throws Exception {
        TreeSet<Double> rates = new TreeSet<>();
        rates.add(halfMax);
        for (double rate : options.endToEndRates) {
            if (rate <= max) {
                rates.add(rate);
            }
        }
        double sustained = 0;
        try (OpenLoop load = new OpenLoop(URI.create(ingest.url() + "/v1/batches"), workload, options.connections);
             LagProbe probe = new LagProbe(endpoints.connect())) {
            for (double rate : rates) {
                phase("end to end at " + rate(rate, "actions/s"));
                Map<String, Long> cpu = CpuMeter.snapshot();
                OpenLoop.Result result = load.run(rate, options.endToEndStep, probe);
                String cores = cpu(cpu, result);
                Histogram lag = probe.drain(Duration.ofSeconds(60));
                int missing = probe.pending();
                probe.clearPending();
                double p50 = lag.getValueAtPercentile(50) / 1000.0;
                double p99 = lag.getValueAtPercentile(99) / 1000.0;
                boolean ok = keepsUp(result) && missing == 0 && p99 <= LAG_P99_LIMIT_MS;
                report.lagRow("end-to-end lag @ " + rate(rate, "/s") + (rate == halfMax ? " (half max)" : ""),
                        result, p50, p99, lag.getValueAtPercentile(99.9) / 1000.0,
                        (missing > 0 ? missing + " batches not visible after 60 s; " : "")
                                + (ok ? "p99 ≤ 1 s" : "p99 over 1 s or fell behind") + "; "
                                + probe.growth(growthWindow()) + "; " + cores);
                if (!ok) {
                    // A step that fell behind leaves a backlog that every later step would measure too.
                    break;
                }
                sustained = Math.max(sustained, rate);
            }
        }
        report.row("sustained end to end (lag p99 ≤ 1 s)", sustained > 0 ? "≥ " + rate(sustained, "actions/s") : "none",
                "highest rate tried that held; target ≥ 25,000");
    }

    /**
     * The ingest steps left millions of actions on the raw topic; the projection is measured on a fixed
     * number of new ones instead, so the processor's group skips to the end of the raw topic first.
     */
    private void skipRawBacklog() throws Exception {
        try (Admin admin = Admin.create(endpoints.kafka)) {
            try {
                admin.removeMembersFromConsumerGroup(STREAMS_GROUP, new RemoveMembersFromConsumerGroupOptions()).all().get();
            } catch (java.util.concurrent.ExecutionException e) {
                // no members left
            }
            Map<TopicPartition, OffsetAndMetadata> end = new HashMap<>();
            endOffsets(admin, Topics.RAW, IsolationLevel.READ_UNCOMMITTED)
                    .forEach((partition, offset) -> end.put(partition, new OffsetAndMetadata(offset)));
            admin.alterConsumerGroupOffsets(STREAMS_GROUP, end).all().get();
        }
    }

    private boolean streamsCaughtUp(Admin admin, Map<TopicPartition, Long> rawEnd) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("ual-projection")
                .partitionsToOffsetAndMetadata().get();
        for (Map.Entry<TopicPartition, Long> end : rawEnd.entrySet()) {
            OffsetAndMetadata at = committed.get(end.getKey());
            if (end.getValue() > 0 && (at == null || at.offset() < end.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static long sinkedRecords(Connection db) throws SQLException {
        try (Statement s = db.createStatement();
             ResultSet rows = s.executeQuery("select coalesce(sum(next_offset), 0) from projection_offset")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private boolean sinkCaughtUp(Admin admin, Connection db) throws Exception {
        Map<TopicPartition, Long> end = endOffsets(admin, Topics.PROJECTION, IsolationLevel.READ_COMMITTED);
        Map<Integer, Long> sunk = new HashMap<>();
        try (Statement s = db.createStatement();
             ResultSet rows = s.executeQuery("select partition, next_offset from projection_offset where topic = '"
                     + Topics.PROJECTION + "'")) {
            while (rows.next()) {
                sunk.put(rows.getInt(1), rows.getLong(2));
            }
        }
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            long stable = e.getValue();
            long at = sunk.getOrDefault(e.getKey().partition(), 0L);
            // The last offset of a transactional partition is the commit marker, which a consumer steps over.
            if (at < stable - 1) {
                return false;
            }
        }
        return true;
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, String topic, IsolationLevel isolation) throws Exception {
        int partitions = admin.describeTopics(Set.of(topic)).allTopicNames().get().get(topic).partitions().size();
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            request.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        ListOffsetsResult result = admin.listOffsets(request, new ListOffsetsOptions(isolation));
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (var entry : result.all().get().entrySet()) {
            offsets.put(entry.getKey(), entry.getValue().offset());
        }
        return offsets;
    }

    private long count(String sql) throws SQLException {
        try (Connection connection = endpoints.connect(); Statement s = connection.createStatement();
             ResultSet rows = s.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private void phase(String name) {
        out.printf(Locale.ROOT, "[bench %s] %s%n", java.time.LocalTime.now().withNano(0), name);
    }

    /** A full run leaves gigabytes of Kafka and PostgreSQL data; only the logs are kept unless asked. */
    private static void deleteData(Path root) {
        for (Path data : List.of(root.resolve("kafka").resolve("kraft-logs"), root.resolve("postgres").resolve("data"),
                root.resolve("postgres").resolve("pg-binaries"), root.resolve("streams-state"))) {
            if (!Files.exists(data)) {
                continue;
            }
            try (Stream<Path> paths = Files.walk(data)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                System.err.println("could not delete " + data + ": " + e);
            }
        }
    }

    private void stopAll() {
        if (apps != null) {
            try {
                apps.close();
            } catch (RuntimeException e) {
                out.println("could not stop every app: " + e);
            }
        }
        if (infra != null) {
            infra.close();
        }
    }

    static String rate(double perSecond, String unit) {
        return String.format(Locale.ROOT, "%,.0f %s", perSecond, unit);
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.0f MB", bytes / 1e6);
    }

    /** Where the servers are: started here, or external ones given on the command line. */
    /** {@code kafka}: the settings of every Kafka client (bootstrap, and TLS/SASL when the broker wants them). */
    record Endpoints(Map<String, Object> kafka, String jdbcUrl, String dbUser, String dbPassword, String redis,
                     Map<String, String> serviceEnv) {
        Connection connect() throws SQLException {
            return DriverManager.getConnection(jdbcUrl, dbUser, dbPassword);
        }

        /** External servers; Kafka's security settings come from the same KAFKA_* variables the services read. */
        static Endpoints external(String kafka, String jdbcUrl, String dbUser, String dbPassword, String redis) {
            Map<String, Object> settings = KafkaSettings.read(name -> name.equals("kafka.bootstrap.servers")
                    ? Optional.of(kafka) : Optional.ofNullable(System.getenv(name.toUpperCase(Locale.ROOT).replace('.', '_'))));
            Map<String, String> env = new HashMap<>(Servers.serviceEnv(kafka, jdbcUrl, dbUser, dbPassword, redis));
            env.putAll(Servers.kafkaEnv(settings));
            return new Endpoints(settings, jdbcUrl, dbUser, dbPassword, redis, env);
        }
    }

    /** Command-line options; {@code --quick} shrinks every phase so that CI checks the benchmark still runs. */
    static final class Options {
        boolean quick;
        boolean ingestOnly;
        boolean projectionOnly;
        boolean keepData;
        /** The embedded broker with only SASL_SSL (SCRAM-SHA-512 over TLS), to measure what that costs. */
        boolean secureKafka;
        Path dataDir = HOME.resolve("benchmark").resolve("target");
        Path output;
        Endpoints external;
        int partitions = Topics.DEFAULT_PARTITIONS;
        int idleBatches = 50;
        /** Processor instances of the projection and end-to-end phases, sharing the partitions. */
        int processors = 1;
        int actionsPerBatch = 50;
        int connections = 64;
        long producerRecords = 1_000_000;
        long copyRows = 400_000;
        long projectionRecords = 600_000;
        double warmupRate = 30_000;
        Duration warmup = Duration.ofSeconds(10);
        Duration step = Duration.ofSeconds(10);
        Duration halfStep = Duration.ofSeconds(15);
        int badInputRounds = 20;
        /** Long enough to tell a lag that holds from one that grows (the report gives both ends). */
        Duration endToEndStep = Duration.ofSeconds(60);
        List<Double> ingestRates = List.of(25_000.0, 50_000.0, 75_000.0, 100_000.0, 125_000.0, 150_000.0, 175_000.0);
        List<Double> endToEndRates = List.of(2_500.0, 5_000.0, 10_000.0, 15_000.0, 20_000.0, 40_000.0);
        // The same as JAVA_OPTS in the Dockerfiles, docker-compose.yml and deploy/ (checked by deploy-checks).
        List<String> ingestJvm = List.of("-Xms128m", "-Xmx128m", "-XX:+UseParallelGC", "-XX:-UseAdaptiveSizePolicy",
                "-Xmn64m", "-XX:SurvivorRatio=4", "-XX:MaxMetaspaceSize=96m",
                "-XX:ReservedCodeCacheSize=64m",
                "-Djdk.nio.maxCachedBufferSize=262144", "-XX:+ExitOnOutOfMemoryError");
        List<String> processorJvm = List.of("-Xms144m", "-Xmx144m", "-XX:+UseSerialGC", "-XX:MaxMetaspaceSize=128m",
                "-XX:ReservedCodeCacheSize=64m",
                "-Djdk.nio.maxCachedBufferSize=262144", "-XX:+ExitOnOutOfMemoryError");

        static Options parse(String[] args) {
            Options o = new Options();
            String kafka = null, jdbc = null, user = "ual", password = "ual", redis = null;
            for (String arg : args) {
                String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
                String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : "";
                switch (name) {
                    case "--quick" -> o.quickMode();
                    case "--ingest-only" -> o.ingestOnly = true;
                    case "--projection-only" -> o.projectionOnly = true;
                    case "--keep-data" -> o.keepData = true;
                    case "--secure-kafka" -> o.secureKafka = true;
                    case "--records" -> o.projectionRecords = Long.parseLong(value);
                    case "--out" -> o.output = Path.of(value);
                    case "--data-dir" -> o.dataDir = Path.of(value);
                    case "--partitions" -> o.partitions = Integer.parseInt(value);
                    case "--processors" -> o.processors = Integer.parseInt(value);
                    case "--connections" -> o.connections = Integer.parseInt(value);
                    case "--rates" -> o.ingestRates = numbers(value);
                    case "--e2e-rates" -> o.endToEndRates = numbers(value);
                    case "--step-seconds" -> o.step = Duration.ofSeconds(Long.parseLong(value));
                    case "--ingest-jvm" -> o.ingestJvm = List.of(value.trim().split("\\s+"));
                    case "--processor-jvm" -> o.processorJvm = List.of(value.trim().split("\\s+"));
                    case "--kafka" -> kafka = value;
                    case "--jdbc-url" -> jdbc = value;
                    case "--db-user" -> user = value;
                    case "--db-password" -> password = value;
                    case "--redis" -> redis = value;
                    case "--help", "-h" -> {
                        System.out.println(USAGE);
                        System.exit(0);
                    }
                    default -> throw new IllegalArgumentException("unknown option " + arg + "\n" + USAGE);
                }
            }
            if (kafka != null || jdbc != null || redis != null) {
                if (kafka == null || jdbc == null || redis == null) {
                    throw new IllegalArgumentException("external servers need --kafka, --jdbc-url and --redis together");
                }
                o.external = Endpoints.external(kafka, jdbc, user, password, redis);
            }
            return o;
        }

        private void quickMode() {
            quick = true;
            idleBatches = 10;
            producerRecords = 50_000;
            copyRows = 20_000;
            projectionRecords = 20_000;
            warmupRate = 6_000;
            warmup = Duration.ofSeconds(1);
            step = Duration.ofSeconds(3);
            halfStep = Duration.ofSeconds(3);
            badInputRounds = 2;
            endToEndStep = Duration.ofSeconds(3);
            ingestRates = List.of(5_000.0, 10_000.0);
            endToEndRates = List.of();
        }

        private static List<Double> numbers(String csv) {
            List<Double> values = new ArrayList<>();
            for (String part : csv.split(",")) {
                values.add(Double.parseDouble(part.trim()));
            }
            return values;
        }

        static final String USAGE = """
                usage: ./ual bench [--quick] [--out=FILE] [--rates=R1,R2,..] [--e2e-rates=R1,..] [--step-seconds=N]
                                   [--partitions=N] [--processors=N] [--connections=N] [--ingest-only | --projection-only [--records=N]] [--ingest-jvm="OPTS"] [--processor-jvm="OPTS"] [--keep-data]
                                   [--secure-kafka] [--kafka=HOST:PORT --jdbc-url=URL --db-user=U --db-password=P --redis=redis://HOST:PORT]
                  --quick   a short run that checks the benchmark works (CI); figures are not meaningful
                  --secure-kafka   the embedded broker speaks only SASL_SSL (SCRAM-SHA-512 over TLS)
                  --processors=N   N processor instances share the partitions in the projection and end-to-end phases
                  --kafka/--jdbc-url/--redis   use running servers instead of starting embedded ones""";
    }
}
