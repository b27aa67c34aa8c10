package io.useractions.infra;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The local run of the whole pipeline: Kafka, PostgreSQL and Redis, then the four packaged apps.
 * Settings come from UAL_* environment variables; Ctrl-C stops everything, apps first.
 */
public final class Pipeline {

    private final Settings settings;
    private final List<ServiceProcess> services = new ArrayList<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private volatile LocalInfra infra;

    record Settings(Path home, Path dataDir, String bindHost, int kafkaPort, int kafkaControllerPort,
                    int postgresPort, int redisPort, int ingestPort, int processorPort, int studyAppPort,
                    int consolePort, int rawPartitions, List<String> serviceJvmArgs, boolean secureKafka) {

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
                    integer(env, "UAL_INGEST_PORT", 8080),
                    integer(env, "UAL_PROCESSOR_PORT", 8081),
                    integer(env, "UAL_STUDY_APP_PORT", 8090),
                    integer(env, "UAL_CONSOLE_PORT", 8070),
                    integer(env, "UAL_RAW_PARTITIONS", 6),
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

        List<ServiceSpec> services() {
            return ServiceSpec.pipeline(home, ingestPort, processorPort, studyAppPort, consolePort);
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
        for (ServiceSpec spec : settings.services()) {
            if (!spec.jar().toFile().isFile()) {
                throw new IllegalStateException(spec.jar() + " is missing; build the apps first: mvn -B package -DskipTests");
            }
        }
        System.out.println("Starting Kafka, PostgreSQL and Redis in " + settings.dataDir() + " ...");
        LocalInfra.Config config = LocalInfra.Config.inRoot(settings.dataDir())
                .withPorts(settings.kafkaPort(), settings.kafkaControllerPort(), settings.postgresPort(), settings.redisPort());
        infra = LocalInfra.start(settings.secureKafka() ? config.withSecureKafka() : config);
        infra.ensureProjectTopics(settings.rawPartitions());

        Map<String, String> env = new HashMap<>(infra.serviceEnv());
        String browserHost = "0.0.0.0".equals(settings.bindHost()) ? "127.0.0.1" : settings.bindHost();
        // The study page posts to the ingest service from its own origin; both follow the chosen ports
        // unless set explicitly.
        if (System.getenv("UAL_STUDY_INGEST_URL") == null) {
            env.put("UAL_STUDY_INGEST_URL", "http://" + browserHost + ":" + settings.ingestPort() + "/v1/batches");
        }
        if (System.getenv("UAL_INGEST_ACCESS_STUDIES_DEMO_ORIGINS") == null) {
            env.put("UAL_INGEST_ACCESS_STUDIES_DEMO_ORIGINS", "http://" + browserHost + ":" + settings.studyAppPort()
                    + ",http://localhost:" + settings.studyAppPort());
        }
        for (ServiceSpec spec : settings.services()) {
            System.out.println("Starting " + spec.name() + " on port " + spec.port() + " ...");
            ServiceProcess service = ServiceProcess.builder(spec)
                    .host(settings.bindHost())
                    .env(env)
                    .jvmArgs(settings.serviceJvmArgs())
                    .logFile(infra.logsDir().resolve(spec.name() + ".log"))
                    .build();
            services.add(service);
            service.start();
        }
        for (ServiceProcess service : services) {
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
        for (ServiceProcess service : services) {
            try {
                service.stop();
            } catch (RuntimeException e) {
                System.err.println("Could not stop " + service.spec().name() + ": " + e.getMessage());
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
        System.out.println(" Ingest          POST " + url(0) + "/v1/batches");
        System.out.println(" Processor       " + url(1) + "  (health: " + url(1) + ServiceSpec.QUARKUS_READY + ")");
        System.out.println(" Study app       " + url(2) + "/");
        System.out.println(" Console         " + url(3) + "/?study=demo  (admin credential)");
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

    private String url(int index) {
        return services.get(index).url();
    }
}
