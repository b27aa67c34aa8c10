package io.useractions.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import io.useractions.infra.Apps;
import io.useractions.infra.LocalInfra;
import io.useractions.infra.Ports;
import io.useractions.infra.ServiceProcess;
import io.useractions.model.Topics;
import io.useractions.research.cli.ProjectCommand;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./ual bench}: measures the pipeline next to the machine's own limits in one run and prints one
 * table (docs/benchmarks.md). This class is the command: its options, the servers and apps it starts, and
 * the phases it runs in this order, each a class of its own that adds its rows to the report:
 * {@link ProducerBaselinePhase}, {@link IngestPhase}, {@link BadInputPhase}, {@link ProjectionPhase},
 * {@link CopyBaselinePhase}, {@link ReplayPhase}, {@link IdleBatchesPhase}, {@link EndToEndPhase} and
 * {@link PeakRssPhase}; with {@code --table-cost}, {@link TableCostPhase} and {@link EndToEndCostPhase} instead
 * (with {@code --with-table-cost}, after the others). What one part costs apart from the pipeline is
 * {@link CostBench}'s, the research outputs' speed {@link ResearchBench}'s.
 */
// The options' descriptions are in Benchmark.properties beside this class.
@Command(name = "./ual bench", abbreviateSynopsis = true, resourceBundle = "io.useractions.bench.Benchmark",
        description = "Measures the pipeline next to the machine's own limits in one run and prints one table "
                + "(docs/benchmarks.md).",
        footer = { "%n./ual bench --crypto and ./ual bench --summary-cost (each with --help) measure what one part "
                + "costs apart from the pipeline (docs/benchmarks.md).",
                "./ual bench --research and ./ual bench --console (each with --help) run the research outputs' "
                + "and the console's benchmarks instead (docs/exports.md, docs/research.md)." })
public final class Benchmark extends ProjectCommand {
    static final Path HOME = Path.of(System.getProperty("ual.home", System.getenv().getOrDefault("UAL_HOME", ".")))
            .toAbsolutePath().normalize();
    static final int ACTIONS_PER_BATCH = 50;
    private static final String C1_ONLY = "-XX:TieredStopAtLevel=1";
    private static final String REDIS_MAX_MEMORY = "2gb";
    /** {@code --e2e-only}'s warm-up ramps up to this rate, which every run since binary COPY held. */
    private static final double E2E_WARMUP_RATE = 15_000;
    /** A run's directory is named by its start: bench-20261206-133430. */
    private static final DateTimeFormatter RUN_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);

    @Option(names = "--quick")
    private boolean quick;

    @ArgGroup(exclusive = true, heading = "%nA part of the run, or the run and more (at most one of these):%n")
    private Part part = new Part();

    @Option(names = "--cost-rounds", paramLabel = "N", defaultValue = "2")
    private int costRounds;

    @Option(names = "--cost-rates", paramLabel = "RATE", split = ",", defaultValue = "10000")
    private List<Double> costRates;

    @Option(names = "--records", paramLabel = "N", defaultValue = "600000")
    private long projectionRecords;

    @Option(names = "--rates", paramLabel = "RATE", split = ",",
            defaultValue = "25000,50000,75000,100000,125000,150000,175000")
    private List<Double> ingestRates;

    @Option(names = "--e2e-rates", paramLabel = "RATE", split = ",",
            defaultValue = "2500,5000,10000,15000,20000,25000,40000")
    private List<Double> endToEndRates;

    @Option(names = "--step-seconds", paramLabel = "N", defaultValue = "10")
    private long stepSeconds;

    @Option(names = "--partitions", paramLabel = "N")
    private int partitions = Topics.DEFAULT_PARTITIONS;

    @Option(names = "--processors", paramLabel = "N")
    private int processors = 1;

    @Option(names = "--connections", paramLabel = "N")
    private int connections = 64;

    // The images' JVM options, read from their Dockerfiles (deploy-checks keeps compose and deploy/ equal to them).
    @Option(names = "--ingest-jvm", paramLabel = "\"OPTS\"")
    private String ingestJvm = DockerfileJvm.options(HOME, "ingest-service");

    @Option(names = "--processor-jvm", paramLabel = "\"OPTS\"")
    private String processorJvm = DockerfileJvm.options(HOME, "stream-processor");

    @Option(names = "--out", paramLabel = "FILE")
    private Path output;

    @Option(names = "--data-dir", paramLabel = "DIR")
    private Path dataDir = HOME.resolve("benchmark").resolve("target");

    @Option(names = "--keep-data")
    private boolean keepData;

    @Option(names = "--secure-kafka")
    private boolean secureKafka;

    @ArgGroup(exclusive = false, heading = "%nRunning servers instead of embedded ones (--kafka, --jdbc-url and "
            + "--redis together):%n")
    private ExternalServers externalServers;

    // Not options: --quick shrinks them with the rest.
    private int idleBatches = 50;
    private long producerRecords = 1_000_000;
    private double warmupRate = 30_000;
    private Duration warmup = Duration.ofSeconds(10);
    private Duration halfStep = Duration.ofSeconds(15);
    private int badInputRounds = 20;
    /** Long enough to tell a lag that holds from one that grows (the report gives both ends). */
    private Duration endToEndStep = Duration.ofSeconds(60);

    private final PrintStream out;
    private final Report report = new Report();
    /** The servers given on the command line; null when the benchmark starts its own. */
    private Endpoints external;
    private LocalInfra infra;
    private Apps apps;

    /** The runs that measure a part of the whole one, and the one that adds to it. */
    static final class Part {
        @Option(names = "--ingest-only")
        boolean ingestOnly;

        @Option(names = "--projection-only")
        boolean projectionOnly;

        @Option(names = "--e2e-only")
        boolean endToEndOnly;

        @Option(names = "--table-cost")
        boolean tableCost;

        @Option(names = "--with-table-cost")
        boolean withTableCost;
    }

    /** Servers of a deployment, measured as they are: the run starts only the apps. */
    static final class ExternalServers {
        @Option(names = "--kafka", required = true, paramLabel = "HOST:PORT")
        String kafka;

        @Option(names = "--jdbc-url", required = true, paramLabel = "URL")
        String jdbcUrl;

        @Option(names = "--db-user", paramLabel = "U", defaultValue = "ual")
        String dbUser;

        @Option(names = "--db-password", paramLabel = "P", defaultValue = "ual")
        String dbPassword;

        @Option(names = "--redis", required = true, paramLabel = "redis://HOST:PORT")
        String redis;
    }

    Benchmark(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        exit(() -> commandLine(System.out), args);
    }

    /**
     * Runs a bench's command line as its main method and exits with its status; the libraries log warnings
     * only, unless the JVM was told otherwise before the command exists.
     */
    static void exit(Supplier<CommandLine> command, String[] args) {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        System.exit(command.get().execute(args));
    }

    /** The command line, printing the run to {@code out}; a bad option or value is one line on its error stream. */
    static CommandLine commandLine(PrintStream out) {
        return withOneLineErrors(new CommandLine(new Benchmark(out)));
    }

    /** A bad option or value as one line naming the command's help, and exit status 2; the other benches' too. */
    static CommandLine withOneLineErrors(CommandLine command) {
        command.setParameterExceptionHandler((error, arguments) -> {
            CommandLine failed = error.getCommandLine();
            // picocli starts the messages of its group checks with "Error: ", its others not
            failed.getErr().printf("%s (see %s --help)%n", error.getMessage().replaceFirst("^Error: ", ""),
                    failed.getCommandName());
            CommandLine.UnmatchedArgumentException.printSuggestions(error, failed.getErr());
            return failed.getCommandSpec().exitCodeOnInvalidInput();
        });
        return command;
    }

    /** The command as {@code args} set it up, not yet run. */
    static Benchmark parse(PrintStream out, String... args) {
        Benchmark benchmark = new Benchmark(out);
        new CommandLine(benchmark).parseArgs(args);
        return benchmark;
    }

    @Override
    public Integer call() throws Exception {
        Report report = run();
        if (output != null) {
            Files.writeString(output, report.markdown(), StandardCharsets.UTF_8);
        }
        return 0;
    }

    /** Runs the chosen phases and returns the report it also printed. */
    Report run() throws Exception {
        settle();
        long started = System.nanoTime();
        Path root = newRunDir(dataDir, "bench");
        report.header(Report.title("benchmark", quick));
        if (external == null) {
            CpuMeter.scope(root);
        }
        // The apps run in sessions of their own and the servers outlive this JVM unless told: Ctrl-C or a kill
        // stops them as the end of a run does.
        Thread stopOnExit = new Thread(this::stopAll, "benchmark-shutdown");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        try {
            Endpoints endpoints = startServers(root);
            Workload workload = Workload.create(400, ACTIONS_PER_BATCH, 2000, 42);
            Rig rig = new Rig(out, report, endpoints, apps, workload, root);
            report.note(String.format(Locale.ROOT, "workload: %d actions a batch (80%% pointer moves), %,d bytes a body, %d sessions",
                    workload.actionsPerBatch(), workload.meanBodyBytes(), 2000));
            if (secureKafka) {
                report.note("Kafka: SASL_SSL only, SCRAM-SHA-512 over TLS (--secure-kafka)");
            }
            // The processor registered the derived tables the repository ships when it first started.
            List<String> registered = TableSet.registered(endpoints);
            report.header(report.header() + "; derived tables on (as shipped): "
                    + String.join(", ", registered) + (registered.isEmpty() ? "" : ", ")
                    + String.join(", ", TableSet.SESSION_TABLES));
            PeakRssPhase peakRss = new PeakRssPhase(rig, jvm(ingestJvm), jvm(processorJvm));
            if (part.tableCost) {
                tableCost(rig, registered);
                return report;
            }

            if (part.endToEndOnly) {
                rig.apps().of(Apps.PROCESSOR).forEach(ServiceProcess::start);
                rig.apps().of(Apps.PROCESSOR).forEach(ServiceProcess::waitReady);
                EndToEndPhase endToEnd = new EndToEndPhase(rig, endToEndRates, endToEndStep, connections);
                endToEnd.warmUp(E2E_WARMUP_RATE, warmup.multipliedBy(6));
                endToEnd.run(IngestPhase.Result.UNBOUNDED);
                peakRss.processors();
                return report;
            }
            if (part.projectionOnly) {
                corePath(rig);
                peakRss.processors();
                return report;
            }
            Baselines.Rate producer = new ProducerBaselinePhase(rig, producerRecords, partitions).run();
            IngestPhase.Result ingest = new IngestPhase(rig, connections, warmupRate, warmup, ingestRates,
                    Duration.ofSeconds(stepSeconds), halfStep).run(producer);
            new BadInputPhase(rig, badInputRounds).run();
            if (part.ingestOnly) {
                peakRss.ingest();
                return report;
            }
            corePath(rig);
            new EndToEndPhase(rig, endToEndRates, endToEndStep, connections).run(ingest);
            peakRss.ingest();
            peakRss.processors();
            if (part.withTableCost) {
                // Each set's processor takes the first instance's name, group membership and state directory.
                rig.apps().of(Apps.PROCESSOR).forEach(ServiceProcess::stop);
                tableCost(rig, registered);
            }
        } finally {
            report.note(String.format(Locale.ROOT, "benchmark took %.0f s; logs under %s%s",
                    (System.nanoTime() - started) / 1e9, root, keepData ? ", with the servers' data" : ""));
            stopAll();
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnExit);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running or has run.
            }
            if (!keepData && external == null) {
                deleteData(root);
            }
            out.println();
            out.print(report.text());
        }
        return report;
    }

    /** What the derived tables cost: the projection of each set, then end to end with all of them against none. */
    private void tableCost(Rig rig, List<String> registered) throws Exception {
        new TableCostPhase(rig, projectionRecords, costRounds, !quick, quick, jvm(processorJvm)).run();
        new EndToEndCostPhase(rig, costRates, warmup.multipliedBy(3), endToEndStep, connections, quick,
                jvm(processorJvm)).run(registered);
    }

    /**
     * {@code wanted}, or {@code wanted-2}, {@code -3}, ... if a run that started in the same second has it:
     * CI runs the quick benchmark and the table-cost run at the same time, and two runs in one directory
     * would share a PostgreSQL data directory.
     */
    static Path newRunDir(Path parent, String prefix) throws IOException {
        return newRunDir(parent.resolve(prefix + "-" + RUN_TIME.format(Instant.now())));
    }

    static Path newRunDir(Path wanted) throws IOException {
        Files.createDirectories(wanted.getParent());
        for (int n = 1; ; n++) {
            Path dir = n == 1 ? wanted : wanted.resolveSibling(wanted.getFileName() + "-" + n);
            try {
                return Files.createDirectory(dir);
            } catch (FileAlreadyExistsException e) {
                // taken by the other run; try the next name
            }
        }
    }

    /**
     * Finds the external servers, and lets {@code --quick} shrink every setting the command line did not give;
     * picocli has refused two parts of the run and external servers without all three.
     */
    private void settle() {
        external = externalEndpoints();
        if (!quick) {
            return;
        }
        idleBatches = 10;
        producerRecords = 20_000;
        warmupRate = 6_000;
        warmup = Duration.ofMillis(500);
        // 1 s steps: time enough for a step to print every figure, which is all a quick run shows.
        halfStep = Duration.ofSeconds(1);
        badInputRounds = 2;
        endToEndStep = Duration.ofSeconds(1);
        if (!given("--records")) {
            projectionRecords = 10_000;
        }
        if (!given("--step-seconds")) {
            stepSeconds = 1;
        }
        // Apps that live for seconds: C2 would compile for longer than they run, on the cores they are measured on.
        if (!given("--ingest-jvm")) {
            ingestJvm += " " + C1_ONLY;
        }
        if (!given("--processor-jvm")) {
            processorJvm += " " + C1_ONLY;
        }
        if (!given("--rates")) {
            ingestRates = List.of(5_000.0, 10_000.0);
        }
        if (!given("--e2e-rates")) {
            endToEndRates = List.of();
        }
        if (!given("--cost-rounds")) {
            costRounds = 1;
        }
        if (!given("--cost-rates")) {
            costRates = List.of(2_000.0);
        }
    }

    /** The servers --kafka, --jdbc-url and --redis name; null when the benchmark starts its own. */
    Endpoints externalEndpoints() {
        return externalServers == null ? null : Endpoints.external(externalServers.kafka, externalServers.jdbcUrl,
                externalServers.dbUser, externalServers.dbPassword, externalServers.redis);
    }

    private boolean given(String option) {
        return spec().commandLine().getParseResult().hasMatchedOption(option);
    }

    private static List<String> jvm(String options) {
        return List.of(options.trim().split("\\s+"));
    }

    /**
     * The core path, from the raw topic to the tables: the projection of a backlog, the Kafka bytes it
     * wrote, the COPY baseline, the replay, and single batches through an idle pipeline.
     */
    private void corePath(Rig rig) throws Exception {
        ProjectionPhase.Result projected = new ProjectionPhase(rig, projectionRecords).run();
        new CopyBaselinePhase(rig).run(projected);
        report.ratio("projection", CopyBaselinePhase.MEASURE, "target ≥ 80% of COPY");
        if (external != null) {
            report.note("replay not run: against external servers it would replace their tables");
        } else {
            new ReplayPhase(rig, projectionRecords, partitions, jvm(processorJvm)).run();
        }
        report.ratio("replay", CopyBaselinePhase.EMPTY_MEASURE, "target ≥ 80% of COPY");
        new IdleBatchesPhase(rig, idleBatches).run();
    }

    /** Starts the embedded servers unless external ones were given, then the apps; returns where the servers are. */
    private Endpoints startServers(Path root) throws Exception {
        Rig.phase(out, "starting Kafka, PostgreSQL and Redis under " + root);
        Endpoints endpoints;
        if (external == null) {
            LocalInfra.Config config = LocalInfra.Config.inRoot(root);
            infra = LocalInfra.start(secureKafka ? config.withSecureKafka() : config);
            infra.ensureProjectTopics(partitions);
            // The dedupe cache keeps each id for one to two 10-minute TTLs at about 60 bytes (docs/deploy.md): the
            // ingest steps alone send some 10 million, past the embedded Redis' 256 MB from the 125,000 step on,
            // where Redis then evicts and frees a whole bucket in the middle of a step. Sized like a deployment
            // for this rate instead; a step still notes any eviction.
            if (!RedisStats.setMaxMemory(infra.redisUrl(), REDIS_MAX_MEMORY)) {
                throw new IllegalStateException("cannot set maxmemory of the embedded Redis at " + infra.redisUrl());
            }
            grantMonitoring(infra.postgres().port(), infra.dbUser());
            endpoints = new Endpoints(infra.kafkaClientConfig(), infra.jdbcUrl(), infra.dbUser(), infra.dbPassword(),
                    infra.redisUrl(), infra.serviceEnv());
        } else {
            endpoints = external;
        }
        Map<String, String> env = new HashMap<>(endpoints.serviceEnv());
        env.put("UAL_INGEST_ACCESS_STUDIES__BENCH__WRITE_KEY", Workload.KEY);
        // One client address stands for thousands of browsers here; the limiter still runs on every request.
        env.put("UAL_INGEST_RATE_LIMIT_PER_ADDRESS", "100000000");
        env.put("UAL_INGEST_RATE_LIMIT_PER_ADDRESS_BURST", "100000000");
        env.put("UAL_INGEST_RATE_LIMIT_PER_KEY", "100000000");
        env.put("UAL_INGEST_RATE_LIMIT_PER_KEY_BURST", "100000000");
        env.put("UAL_PROCESSOR_TOPICS_PARTITIONS", Integer.toString(partitions));
        // glibc's per-thread malloc arenas otherwise add tens of MB of resident memory to each JVM.
        env.put("MALLOC_ARENA_MAX", "2");
        if (quick) {
            // Session summaries each second (not 5 s), so that a quick run waits for their rows no longer.
            env.put("UAL_PROCESSOR_SESSIONS_EMIT_INTERVAL", "1s");
        }
        apps = new Apps(HOME, root, env, "127.0.0.1", List.of());
        ServiceProcess ingest = apps.add(Apps.INGEST, Ports.freePort(), jvm(ingestJvm));
        ServiceProcess processor = apps.add(Apps.PROCESSOR, Ports.freePort(), jvm(processorJvm));
        for (int i = 1; i < processors; i++) {
            apps.add(Apps.PROCESSOR, Ports.freePort(), jvm(processorJvm));
        }
        ingest.start();
        processor.start();
        ingest.waitReady();
        // The processor migrates the schema at start; it then stops so that ingest is measured alone.
        processor.waitReady();
        processor.stop();
        return endpoints;
    }

    /**
     * Settle, which brings PostgreSQL to rest before each phase that measures it, runs CHECKPOINT as this user;
     * {@link StepTimeline} names the tables autovacuum works on, which only a reader of all statistics sees.
     */
    private static void grantMonitoring(int port, String user) throws SQLException {
        try (Connection superuser = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres",
                "postgres", ""); Statement grant = superuser.createStatement()) {
            grant.execute("grant pg_checkpoint, pg_read_all_stats to \"" + user + "\"");
        }
    }

    /** A full run leaves gigabytes of Kafka and PostgreSQL data; only the logs are kept unless asked. */
    static void deleteData(Path root) {
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

    /** Stops the apps, then the servers; once, whether the run ended or the JVM is exiting. */
    private synchronized void stopAll() {
        if (apps != null) {
            try {
                apps.close();
            } catch (RuntimeException e) {
                out.println("could not stop every app: " + e);
            }
            apps = null;
        }
        if (infra != null) {
            infra.close();
            infra = null;
        }
    }
}
