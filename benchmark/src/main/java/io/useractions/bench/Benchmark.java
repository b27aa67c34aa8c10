package io.useractions.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import io.useractions.infra.Apps;
import io.useractions.infra.LocalInfra;
import io.useractions.infra.Ports;
import io.useractions.infra.ServiceProcess;
import io.useractions.model.Topics;

/**
 * {@code ./ual bench}: measures the pipeline next to the machine's own limits in one run and prints one
 * table (docs/benchmarks.md). This class starts the servers and apps and runs
 * the phases in this order, each a class of its own that adds its rows to the report:
 * {@link ProducerBaselinePhase}, {@link IngestPhase}, {@link BadInputPhase}, {@link ProjectionPhase},
 * {@link CopyBaselinePhase}, {@link ReplayPhase}, {@link IdleBatchesPhase}, {@link EndToEndPhase} and
 * {@link PeakRssPhase}.
 */
public final class Benchmark {
    static final Path HOME = Path.of(System.getProperty("ual.home", System.getenv().getOrDefault("UAL_HOME", ".")))
            .toAbsolutePath().normalize();

    private final Options options;
    private final PrintStream out;
    private final Report report = new Report();
    private LocalInfra infra;
    private Apps apps;

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

    /** Runs the chosen phases and returns the report it also printed. */
    Report run() throws Exception {
        long started = System.nanoTime();
        Path root = options.dataDir.resolve("bench-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                .withZone(ZoneOffset.UTC).format(Instant.now()));
        report.header(String.format(Locale.ROOT, "UserActionsLogging benchmark, %s mode, %d cores, %s",
                options.quick ? "quick" : "full", Runtime.getRuntime().availableProcessors(), Instant.now()));
        try {
            Endpoints endpoints = startServers(root);
            Workload workload = Workload.create(400, options.actionsPerBatch, 2000, 42);
            Rig rig = new Rig(out, report, endpoints, apps, workload, root);
            report.note(String.format(Locale.ROOT, "workload: %d actions a batch (80%% pointer moves), %,d bytes a body, %d sessions",
                    workload.actionsPerBatch(), workload.meanBodyBytes(), 2000));
            if (options.secureKafka) {
                report.note("Kafka: SASL_SSL only, SCRAM-SHA-512 over TLS (--secure-kafka)");
            }
            PeakRssPhase peakRss = new PeakRssPhase(rig, options.ingestJvm, options.processorJvm);

            if (options.projectionOnly) {
                corePath(rig);
                peakRss.processors();
                return report;
            }
            Baselines.Rate producer = new ProducerBaselinePhase(rig, options.producerRecords, options.partitions).run();
            IngestPhase.Result ingest = new IngestPhase(rig, options.connections, options.warmupRate, options.warmup,
                    options.ingestRates, options.step, options.halfStep).run(producer);
            new BadInputPhase(rig, options.badInputRounds).run();
            if (options.ingestOnly) {
                peakRss.ingest();
                return report;
            }
            corePath(rig);
            new EndToEndPhase(rig, options.endToEndRates, options.endToEndStep, options.connections).run(ingest);
            peakRss.ingest();
            peakRss.processors();
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
     * The core path, from the raw topic to the tables: the projection of a backlog, the Kafka bytes it
     * wrote, the COPY baseline, the replay, and single batches through an idle pipeline.
     */
    private void corePath(Rig rig) throws Exception {
        int sinkActionsPerTransaction = new ProjectionPhase(rig, options.projectionRecords).run();
        new CopyBaselinePhase(rig, options.copyRows).run(sinkActionsPerTransaction);
        report.ratio("projection", CopyBaselinePhase.MEASURE, "target ≥ 80% of COPY");
        if (options.external != null) {
            report.note("replay not run: against external servers it would replace their tables");
        } else {
            new ReplayPhase(rig, options.projectionRecords, options.partitions, options.processorJvm).run();
        }
        report.ratio("replay", CopyBaselinePhase.MEASURE, "target ≥ 80% of COPY");
        new IdleBatchesPhase(rig, options.idleBatches).run();
    }

    /** Starts the embedded servers unless external ones were given, then the apps; returns where the servers are. */
    private Endpoints startServers(Path root) throws Exception {
        Rig.phase(out, "starting Kafka, PostgreSQL and Redis under " + root);
        Endpoints endpoints;
        if (options.external == null) {
            LocalInfra.Config config = LocalInfra.Config.inRoot(root);
            infra = LocalInfra.start(options.secureKafka ? config.withSecureKafka() : config);
            infra.ensureProjectTopics(options.partitions);
            endpoints = new Endpoints(infra.kafkaClientConfig(), infra.jdbcUrl(), infra.dbUser(), infra.dbPassword(),
                    infra.redisUrl(), infra.serviceEnv());
        } else {
            endpoints = options.external;
        }
        Map<String, String> env = new HashMap<>(endpoints.serviceEnv());
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
        ServiceProcess ingest = apps.add(Apps.INGEST, Ports.freePort(), options.ingestJvm);
        ServiceProcess processor = apps.add(Apps.PROCESSOR, Ports.freePort(), options.processorJvm);
        for (int i = 1; i < options.processors; i++) {
            apps.add(Apps.PROCESSOR, Ports.freePort(), options.processorJvm);
        }
        ingest.start();
        processor.start();
        ingest.waitReady();
        // The processor migrates the schema at start; it then stops so that ingest is measured alone.
        processor.waitReady();
        processor.stop();
        return endpoints;
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
