package io.useractions.infra;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.useractions.model.Topics;

/**
 * The local run of the whole pipeline: Kafka, PostgreSQL and Redis, then the four packaged apps.
 * Settings come from UAL_* environment variables; Ctrl-C stops everything, apps first.
 */
public final class Pipeline {

    private final Settings settings;
    private volatile Apps apps;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private volatile LocalInfra infra;

    /**
     * {@code ingestPorts} and {@code processorPorts} hold one port per instance: UAL_INGEST_PORT=8080,8082
     * starts two ingest services, UAL_PROCESSOR_PORT=8081,8083,8084 three processors.
     */
    record Settings(Path home, Path dataDir, String bindHost, int kafkaPort, int kafkaControllerPort,
                    int postgresPort, int redisPort, List<Integer> ingestPorts, List<Integer> processorPorts,
                    int studyAppPort, int consolePort, int rawPartitions, List<String> serviceJvmArgs,
                    boolean secureKafka) {

        static Settings fromEnv(Map<String, String> env) {
            Path cwd = Path.of("").toAbsolutePath();
            return new Settings(
                    cwd.resolve(env.getOrDefault("UAL_HOME", ".")).normalize(),
                    cwd.resolve(env.getOrDefault("UAL_DATA_DIR", "data")).normalize(),
                    env.getOrDefault("UAL_BIND_HOST", "127.0.0.1"),
                    integer(env, "UAL_KAFKA_PORT", 9092),
                    integer(env, "UAL_KAFKA_CONTROLLER_PORT", 9093),
                    integer(env, "UAL_POSTGRES_PORT", 5432),
                    integer(env, "UAL_REDIS_PORT", 6379),
                    integers(env, "UAL_INGEST_PORT", 8080),
                    integers(env, "UAL_PROCESSOR_PORT", 8081),
                    integer(env, "UAL_STUDY_APP_PORT", 8090),
                    integer(env, "UAL_CONSOLE_PORT", 8070),
                    integer(env, "UAL_RAW_PARTITIONS", Topics.DEFAULT_PARTITIONS),
                    Arrays.stream(env.getOrDefault("UAL_SERVICE_JAVA_OPTS", "").trim().split("\\s+"))
                            .filter(s -> !s.isEmpty()).toList(),
                    Boolean.parseBoolean(env.getOrDefault("UAL_KAFKA_SECURE", "false").trim()));
        }

        private static int integer(Map<String, String> env, String name, int defaultValue) {
            String value = env.get(name);
            if (value == null || value.isBlank()) {
                return defaultValue;
            }
            try {
                return Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + "=" + value + " is not a number");
            }
        }

        /** A comma-separated list of ports, one per instance. */
        private static List<Integer> integers(Map<String, String> env, String name, int defaultValue) {
            String value = env.get(name);
            if (value == null || value.isBlank()) {
                return List.of(defaultValue);
            }
            List<Integer> ports = new ArrayList<>();
            for (String part : value.split(",")) {
                try {
                    ports.add(Integer.parseInt(part.trim()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(name + "=" + value + " is not a number or a list of numbers");
                }
            }
            if (ports.stream().distinct().count() < ports.size()) {
                throw new IllegalArgumentException(name + "=" + value + " names a port twice");
            }
            return List.copyOf(ports);
        }

        /** Every app instance as module and port, in start order. */
        List<Map.Entry<String, Integer>> instances() {
            List<Map.Entry<String, Integer>> all = new ArrayList<>();
            ingestPorts.forEach(port -> all.add(Map.entry(Apps.INGEST, port)));
            processorPorts.forEach(port -> all.add(Map.entry(Apps.PROCESSOR, port)));
            all.add(Map.entry(Apps.STUDY_APP, studyAppPort));
            all.add(Map.entry(Apps.CONSOLE, consolePort));
            return all;
        }
    }

    Pipeline(Settings settings) {
        this.settings = settings;
    }

    public static void main(String[] args) throws InterruptedException {
        Pipeline pipeline = new Pipeline(Settings.fromEnv(System.getenv()));
        Runtime.getRuntime().addShutdownHook(new Thread(pipeline::stop, "pipeline-shutdown"));
        try {
            pipeline.start();
        } catch (RuntimeException e) {
            System.err.println();
            System.err.println("The local pipeline did not start: " + e.getMessage());
            pipeline.stop();
            System.exit(1);
        }
        pipeline.printSummary();
        Thread.currentThread().join();
    }

    void start() {
        for (String module : List.of(Apps.INGEST, Apps.PROCESSOR, Apps.STUDY_APP, Apps.CONSOLE)) {
            Path jar = ServiceSpec.quarkusJar(settings.home(), module);
            if (!jar.toFile().isFile()) {
                throw new IllegalStateException(jar + " is missing; build the apps first: mvn -B package -DskipTests");
            }
        }
        System.out.println("Starting Kafka, PostgreSQL and Redis in " + settings.dataDir() + " ...");
        LocalInfra.Config config = LocalInfra.Config.inRoot(settings.dataDir())
                .withPorts(settings.kafkaPort(), settings.kafkaControllerPort(), settings.postgresPort(), settings.redisPort());
        infra = LocalInfra.start(settings.secureKafka() ? config.withSecureKafka() : config);
        infra.ensureProjectTopics(settings.rawPartitions());

        Map<String, String> env = new HashMap<>(infra.serviceEnv());
        String browserHost = "0.0.0.0".equals(settings.bindHost()) ? "127.0.0.1" : settings.bindHost();
        // The study page posts to the (first) ingest service from its own origin; both follow the chosen
        // ports unless set explicitly.
        if (System.getenv("UAL_STUDY_INGEST_URL") == null) {
            env.put("UAL_STUDY_INGEST_URL", "http://" + browserHost + ":" + settings.ingestPorts().get(0) + "/v1/batches");
        }
        if (System.getenv("UAL_INGEST_ACCESS_STUDIES__DEMO__ORIGINS") == null) {
            env.put("UAL_INGEST_ACCESS_STUDIES__DEMO__ORIGINS", "http://" + browserHost + ":" + settings.studyAppPort()
                    + ",http://localhost:" + settings.studyAppPort());
        }
        // The processors' own tables dir, if the shell names one, over the repository's that Apps gives them.
        if (System.getenv(Apps.TABLES_DIR) != null) {
            env.put(Apps.TABLES_DIR, System.getenv(Apps.TABLES_DIR));
        }
        apps = new Apps(settings.home(), infra.root(), env, settings.bindHost(), settings.serviceJvmArgs());
        for (Map.Entry<String, Integer> instance : settings.instances()) {
            ServiceProcess service = apps.add(instance.getKey(), instance.getValue());
            System.out.println("Starting " + service.spec().name() + " on port " + service.spec().port() + " ...");
            service.start();
        }
        for (ServiceProcess service : apps.all()) {
            service.waitReady(ServiceProcess.DEFAULT_READY_TIMEOUT);
            watchForUnexpectedExit(service);
        }
    }

    /** Apps first (SIGTERM, 30 s grace each), then Redis, Kafka and PostgreSQL. Runs once. */
    void stop() {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        System.out.println("Stopping the local pipeline ...");
        if (apps != null) {
            try {
                apps.close();
            } catch (RuntimeException e) {
                System.err.println("Could not stop every app: " + e.getMessage());
            }
        }
        if (infra != null) {
            try {
                infra.close();
            } catch (RuntimeException e) {
                System.err.println("Could not stop the infrastructure cleanly: " + e.getMessage());
            }
        }
        System.out.println("Stopped.");
    }

    private void watchForUnexpectedExit(ServiceProcess service) {
        long pid = service.pid();
        ProcessHandle.of(pid).ifPresent(handle -> handle.onExit().thenRun(() -> {
            if (!stopping.get()) {
                System.err.println(service.spec().name() + " (pid " + pid + ") exited; see " + service.logFile());
            }
        }));
    }

    void printSummary() {
        String line = "-".repeat(72);
        System.out.println();
        System.out.println(line);
        System.out.println(" UserActionsLogging is running locally");
        System.out.println(line);
        for (ServiceProcess ingest : apps.of(Apps.INGEST)) {
            System.out.println(" Ingest          POST " + ingest.url() + "/v1/batches");
        }
        for (ServiceProcess processor : apps.of(Apps.PROCESSOR)) {
            System.out.println(" Processor       " + processor.url() + "  (health: " + processor.healthUri() + ")");
        }
        System.out.println(" Study app       " + apps.first(Apps.STUDY_APP).url() + "/");
        System.out.println(" Console         " + apps.first(Apps.CONSOLE).url() + "/?study=demo  (admin credential)");
        System.out.println(" Kafka           " + infra.kafkaBootstrap());
        if (settings.secureKafka()) {
            Map<String, Object> kafka = infra.kafkaClientConfig();
            System.out.println("                 " + kafka.get("security.protocol") + ", " + kafka.get("sasl.mechanism")
                    + ", user " + KafkaSecurity.SERVICE_USER + "; truststore " + kafka.get("ssl.truststore.location"));
            System.out.println("                 passwords in " + Path.of(kafka.get("ssl.truststore.location").toString())
                    .resolveSibling("credentials.properties") + "  (generated for this data dir)");
        }
        System.out.println(" Redis           " + infra.redisUrl());
        System.out.println(" PostgreSQL      " + infra.jdbcUrl());
        System.out.println("                 user " + infra.dbUser() + ", password " + infra.dbPassword()
                + "  (local-development defaults)");
        System.out.println(" Data dir        " + settings.dataDir());
        System.out.println(" Logs            " + infra.logsDir() + "  (Kafka: " + infra.kafka().logFile() + ")");
        System.out.println(line);
        System.out.println(" Press Ctrl-C to stop");
        System.out.println(line);
    }
}
