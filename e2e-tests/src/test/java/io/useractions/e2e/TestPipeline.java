package io.useractions.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import org.postgresql.ds.PGSimpleDataSource;

import io.useractions.infra.Apps;
import io.useractions.infra.LocalInfra;
import io.useractions.infra.Ports;
import io.useractions.infra.ServiceProcess;
import io.useractions.model.crypto.KeyWrapper;
import io.useractions.model.crypto.ParticipantKeys;
import io.useractions.model.crypto.SealedRecords;
import io.useractions.testing.Queries;

/** Real servers plus the packaged apps as processes, as the local run starts them, for one test class. */
final class TestPipeline implements AutoCloseable {
    static final Path HOME = Path.of(System.getProperty("ual.home", "..")).toAbsolutePath().normalize();
    /** The study the e2e tests post to, registered through the environment as an operator would. */
    static final String STUDY = "e2e";
    static final String KEY = "e2e-write-key";
    /** The apps' local-development master key (their application.properties), unless UAL_MASTER_KEY is set. */
    static final String LOCAL_DEV_MASTER_KEY = "dWFsLWxvY2FsLWRldi1tYXN0ZXIta2V5LTMyYnl0ZXM=";
    /** The processor's replay command, as an app of {@link #withAppEnv}. */
    static final String REPLAY = "replay";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /**
     * The apps' JVM options here. C1 only: a test's app lives a minute or two at a few thousand actions a
     * second at most, so C2's compilations would cost more CPU than they save, on 2 cores shared by two
     * suites (a third less CPU for WithdrawalIT and StudyLifecycleIT). What the tests check does not depend
     * on the JIT; the benchmark keeps the images' options.
     */
    private static final List<String> APP_JVM = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1");
    /**
     * The broker's internal topics with 3 partitions each (50 by default): one broker holds every group's and
     * transaction's coordinator anyway, and each of its starts and restarts (a fault run's, the restart of
     * everything) makes or loads a hundred partitions less. Which partition holds a coordinator changes
     * nothing the tests check.
     */
    private static final Map<String, String> BROKER = Map.of("offsets.topic.num.partitions", "3",
            "transaction.state.log.num.partitions", "3");
    /** The processors' group session timeout in a fault run ({@link #forFaults}). */
    static final Duration FAULT_SESSION_TIMEOUT = Duration.ofSeconds(10);

    final Path root;
    private final Map<String, String> extraEnv = new HashMap<>();
    private final Map<String, Function<LocalInfra, Map<String, String>>> appEnv = new HashMap<>();
    /** JVM options of the processors over {@link #APP_JVM}. */
    private final List<String> processorJvm = new ArrayList<>();
    private boolean secureKafka;
    private int ingestInstances = 1;
    private int processorInstances = 1;
    private int partitions = 3;
    LocalInfra infra;
    Apps apps;
    private long setupMillis;

    TestPipeline() {
        root = HOME.resolve("e2e-tests").resolve("target").resolve("e2e-" + UUID.randomUUID().toString().substring(0, 8));
    }

    /**
     * A pipeline for fault runs: a short wait for Kafka's acknowledgement and a short Retry-After make an
     * outage show as 503s within seconds and let clients come back quickly; both are ordinary settings.
     */
    static TestPipeline forFaults() {
        return new TestPipeline().withEnv("UAL_INGEST_ACK_TIMEOUT", "3s").withEnv("UAL_INGEST_RETRY_AFTER_SECONDS", "1")
                .withFaultTimeouts();
    }

    /**
     * Shorter timeouts for the processors of a fault run, which otherwise spends most of its time waiting
     * for them: a processor killed mid-transaction holds back the projection's read_committed readers until
     * the broker aborts its transaction (Streams' transaction timeout, 10 s, here 5 s), and one stopped for
     * good keeps its partitions until its session times out (20 s, here 10 s: Streams' and the sink's, so
     * that scaling down shows the same cost in both groups). Changed session summaries are written every
     * second instead of every 5 s, so the audit finds them soon after the drain. What the runs check holds
     * for any values; the production defaults stay in application.properties.
     */
    private TestPipeline withFaultTimeouts() {
        withEnv("UAL_PROCESSOR_SINK_SESSION_TIMEOUT", FAULT_SESSION_TIMEOUT.toSeconds() + "s");
        withEnv("UAL_PROCESSOR_SESSIONS_EMIT_INTERVAL", "1s");
        // Kafka Streams takes its settings by the names of all properties, which an environment variable
        // only has when the property is declared; system properties have theirs.
        processorJvm.add("-Dkafka-streams.main.consumer.session.timeout.ms=" + FAULT_SESSION_TIMEOUT.toMillis());
        processorJvm.add("-Dkafka-streams.producer.transaction.timeout.ms=5000");
        return this;
    }

    /** The broker only speaks SASL_SSL (SCRAM-SHA-512 over TLS); the apps get its settings as KAFKA_* variables. */
    TestPipeline withSecureKafka() {
        secureKafka = true;
        return this;
    }

    TestPipeline withEnv(String name, String value) {
        extraEnv.put(name, value);
        return this;
    }

    /**
     * Variables of one app over all others, made from the running servers before the apps start (e.g. a
     * Kafka user of its own). The app is a module name, or {@link #REPLAY} for the replay command.
     */
    TestPipeline withAppEnv(String app, Function<LocalInfra, Map<String, String>> env) {
        appEnv.put(app, env);
        return this;
    }

    /** Several ingest services and processors on one machine, as several pods would run. */
    TestPipeline withInstances(int ingest, int processors) {
        ingestInstances = ingest;
        processorInstances = processors;
        return this;
    }

    /** Partitions of the raw and projection topics (3 unless set). */
    TestPipeline withPartitions(int count) {
        partitions = count;
        return this;
    }

    /** Starts the servers and the ingest services and processors (and the study app and console if asked). */
    TestPipeline start(boolean withStudyApp) {
        long begin = System.nanoTime();
        LocalInfra.Config config = LocalInfra.Config.inRoot(root).withKafkaProperties(BROKER);
        infra = LocalInfra.start(secureKafka ? config.withSecureKafka() : config);
        phase("servers started", begin);
        long topics = System.nanoTime();
        infra.ensureProjectTopics(partitions);
        phase("topics created", topics);
        int studyPort = Ports.freePort();
        int ingestPort = Ports.freePort();
        extraEnv.putIfAbsent("UAL_INGEST_ACCESS_STUDIES__E2E__WRITE_KEY", KEY);
        extraEnv.putIfAbsent("UAL_INGEST_ACCESS_STUDIES__DEMO__ORIGINS", "http://127.0.0.1:" + studyPort);
        extraEnv.putIfAbsent("UAL_STUDY_INGEST_URL", "http://127.0.0.1:" + ingestPort + "/v1/batches");
        // One address stands for many participants here; the limit itself has its own test.
        extraEnv.putIfAbsent("UAL_INGEST_RATE_LIMIT_PER_ADDRESS", "100000");
        extraEnv.putIfAbsent("UAL_INGEST_RATE_LIMIT_PER_ADDRESS_BURST", "100000");
        Map<String, String> env = new HashMap<>(infra.serviceEnv());
        env.putAll(extraEnv);
        AppCds.prepare();
        apps = new Apps(HOME, root, env, "127.0.0.1", APP_JVM);
        appEnv.forEach((app, made) -> {
            long asked = System.nanoTime();
            apps.env(app, made.apply(infra));
            phase("environment of " + app, asked);
        });
        for (int i = 0; i < ingestInstances; i++) {
            apps.add(Apps.INGEST, i == 0 ? ingestPort : Ports.freePort(), AppCds.options(Apps.INGEST, APP_JVM));
        }
        List<String> processorJvmAll = new ArrayList<>(APP_JVM);
        processorJvmAll.addAll(processorJvm);
        for (int i = 0; i < processorInstances; i++) {
            apps.add(Apps.PROCESSOR, Ports.freePort(), AppCds.options(Apps.PROCESSOR, processorJvmAll));
        }
        if (withStudyApp) {
            apps.add(Apps.STUDY_APP, studyPort, AppCds.options(Apps.STUDY_APP, APP_JVM));
            apps.add(Apps.CONSOLE, Ports.freePort(), AppCds.options(Apps.CONSOLE, APP_JVM));
        }
        long appsStart = System.nanoTime();
        apps.all().forEach(ServiceProcess::start);
        for (ServiceProcess app : apps.all()) {
            app.waitReady(ServiceProcess.DEFAULT_READY_TIMEOUT);
            phase(app.spec().name() + " ready", appsStart);
        }
        setupMillis = Duration.ofNanos(System.nanoTime() - begin).toMillis();
        phase("pipeline started", begin);
        return this;
    }

    /** Prints how long a phase took, so that a suite's output shows where its time goes. */
    static void phase(String what, long beginNanos) {
        System.out.printf("phase: %-44s %6.1f s%n", what, (System.nanoTime() - beginNanos) / 1e9);
    }

    /** How long {@link #start} took. */
    long setupMillis() {
        return setupMillis;
    }

    ServiceProcess ingest() {
        return apps.first(Apps.INGEST);
    }

    ServiceProcess processor() {
        return apps.first(Apps.PROCESSOR);
    }

    ServiceProcess studyApp() {
        return apps.first(Apps.STUDY_APP);
    }

    ServiceProcess console() {
        return apps.first(Apps.CONSOLE);
    }

    List<ServiceProcess> ingests() {
        return apps.of(Apps.INGEST);
    }

    List<ServiceProcess> processors() {
        return apps.of(Apps.PROCESSOR);
    }

    /** Stops the ingest services, processors and servers, and starts them again on the same data and ports. */
    void restart() {
        LocalInfra.Config same = LocalInfra.Config.inRoot(root).withKafkaProperties(BROKER)
                .withPorts(infra.kafka().port(), infra.kafka().controllerPort(), infra.postgres().port(),
                        infra.redis().port());
        List<ServiceProcess> restarted = new ArrayList<>(ingests());
        restarted.addAll(processors());
        restarted.forEach(ServiceProcess::stop);
        AppCds.keepMade(Apps.INGEST);
        AppCds.keepMade(Apps.PROCESSOR);
        infra.close();
        infra = LocalInfra.start(secureKafka ? same.withSecureKafka() : same);
        restarted.forEach(ServiceProcess::start);
        restarted.forEach(ServiceProcess::waitReady);
    }

    /** Stops the processors and starts them again on the same servers, as a new definition needs; ingest keeps running. */
    void restartProcessors() {
        processors().forEach(ServiceProcess::stop);
        AppCds.keepMade(Apps.PROCESSOR);
        processors().forEach(ServiceProcess::start);
        processors().forEach(ServiceProcess::waitReady);
    }

    /**
     * Runs the packaged processor's replay command against the same servers, as {@code ./ual replay} does,
     * with {@code options} such as {@code --table click}; returns its output.
     */
    String replay(String... options) {
        List<String> args = new ArrayList<>(List.of("replay"));
        args.addAll(List.of(options));
        return apps.command(Apps.PROCESSOR, REPLAY, AppCds.commandOptions(Apps.PROCESSOR, APP_JVM))
                .runCommand(args, Duration.ofMinutes(3));
    }

    /** POSTs a batch to the running ingest service with the e2e study's key. */
    HttpResponse<String> post(String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(batchesUrl()))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** POST /v1/batches of the running ingest service, with the e2e study's key. */
    String batchesUrl() {
        return batchesUrl(ingest());
    }

    /** POST /v1/batches of one ingest instance, with the e2e study's key. */
    static String batchesUrl(ServiceProcess ingest) {
        return ingest.url() + "/v1/batches?key=" + KEY;
    }

    /** The first column of the first row of a query, as a long (a count). */
    long query(String sql, Object... args) {
        try (Connection c = infra.postgres().connect()) {
            return Queries.count(c, sql, args);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Rows of a query, each as column name → value. */
    List<Map<String, Object>> rows(String sql, Object... args) {
        try (Connection c = infra.postgres().connect()) {
            return Queries.rows(c, sql, args);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The participants' data keys as the apps read them (the master key they were given, else the
     * local-development default), without a cache: a key deleted is gone at once.
     */
    SealedRecords.Keys keys() {
        return keys(Duration.ZERO);
    }

    /**
     * The same keys with each kept for {@code cache} once read: a reader of thousands of records after the
     * run (the audit) would otherwise open a database connection for every one.
     */
    SealedRecords.Keys keys(Duration cache) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(infra.postgres().jdbcUrl());
        dataSource.setUser(infra.dbUser());
        dataSource.setPassword(infra.dbPassword());
        String master = extraEnv.getOrDefault("UAL_MASTER_KEY", LOCAL_DEV_MASTER_KEY);
        return new ParticipantKeys(dataSource, KeyWrapper.fromBase64(ParticipantKeys.MASTER_KEY_ID, master), cache);
    }

    @Override
    public void close() {
        long begin = System.nanoTime();
        if (apps != null) {
            apps.close();
            AppCds.keepMade();
            phase("apps stopped", begin);
        }
        if (infra != null) {
            long servers = System.nanoTime();
            infra.close();
            phase("servers stopped", servers);
        }
    }
}
