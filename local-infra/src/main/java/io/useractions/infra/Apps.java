package io.useractions.infra;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The packaged apps of the pipeline run as processes against one set of servers, any number of instances
 * of each: the local run ({@link Pipeline}), the end-to-end tests and the benchmark start them here. Instances of one app
 * differ by port, log file and the settings that must be unique per member of a Kafka group: the
 * processor's instance id (its static group membership) and its Kafka Streams state directory.
 */
public final class Apps implements AutoCloseable {
    public static final String INGEST = "ingest-service";
    public static final String PROCESSOR = "stream-processor";
    public static final String STUDY_APP = "study-app";
    public static final String CONSOLE = "console";
    /** The processor's directory of derived tables; the repository's {@code tables/} unless set. */
    public static final String TABLES_DIR = "UAL_PROCESSOR_TABLES_DIR";
    /** Stopped in this order: nothing writes to Kafka once the processors stop. */
    private static final List<String> STOP_ORDER = List.of(CONSOLE, STUDY_APP, INGEST, PROCESSOR);

    private final Path home;
    private final Path dataDir;
    private final Map<String, String> env;
    private final String host;
    private final List<String> jvmArgs;
    private final Map<String, List<ServiceProcess>> instances = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> appEnv = new HashMap<>();
    /** The commands' processes, stopped with the instances: a command may still run when the owner closes. */
    private final List<ServiceProcess> commands = new CopyOnWriteArrayList<>();

    /**
     * @param home    the repository, whose modules hold the packaged apps
     * @param dataDir where the logs ({@code logs/<instance>.log}) and the Streams state go
     * @param env     the environment of every app: the servers ({@link Servers#serviceEnv()}) and any setting
     */
    public Apps(Path home, Path dataDir, Map<String, String> env, String host, List<String> jvmArgs) {
        this.home = home;
        this.dataDir = dataDir;
        this.env = Map.copyOf(env);
        this.host = host;
        this.jvmArgs = List.copyOf(jvmArgs);
    }

    /**
     * Variables of one app over the common ones, for the processes added from now on: {@code app} is a
     * module (all its instances, and its commands without variables of their own) or a command's name.
     */
    public Apps env(String app, Map<String, String> env) {
        appEnv.put(app, Map.copyOf(env));
        return this;
    }

    /** The probe that says an app is ready: Quarkus' readiness, or the study page (it has no health endpoint). */
    public static String healthPath(String module) {
        return STUDY_APP.equals(module) ? "/" : ServiceSpec.QUARKUS_READY;
    }

    /**
     * Adds the next instance of {@code module} on {@code port}, not started. The first is named after the
     * module, the later ones {@code module-2}, {@code module-3}, ...
     */
    public ServiceProcess add(String module, int port) {
        return add(module, port, jvmArgs);
    }

    /** {@link #add(String, int)} with JVM options of its own in place of those every app gets. */
    public ServiceProcess add(String module, int port, List<String> jvm) {
        List<ServiceProcess> list = instances.computeIfAbsent(module, m -> new ArrayList<>());
        ServiceProcess process = process(module, list.isEmpty() ? module : module + "-" + (list.size() + 1), port, jvm);
        list.add(process);
        return process;
    }

    /** One more process of {@code module} that is not one of the instances, to run a command such as the replay. */
    public ServiceProcess command(String module, String name) {
        return command(module, name, jvmArgs);
    }

    /** {@link #command(String, String)} with JVM options of its own. */
    public ServiceProcess command(String module, String name, List<String> jvm) {
        ServiceProcess command = process(module, name, Ports.freePort(), jvm);
        commands.add(command);
        return command;
    }

    private ServiceProcess process(String module, String name, int port, List<String> jvm) {
        ServiceSpec spec = new ServiceSpec(name, ServiceSpec.quarkusJar(home, module), port, healthPath(module));
        return ServiceProcess.builder(spec).host(host).env(processEnv(module, name)).jvmArgs(jvm)
                .logFile(dataDir.resolve("logs").resolve(name + ".log")).build();
    }

    /**
     * The environment of one process: its app's defaults ({@link #defaults}), the common variables, its
     * app's ({@link #env}), then its instance's; each goes over the one before.
     */
    Map<String, String> processEnv(String module, String name) {
        Map<String, String> processEnv = new HashMap<>(defaults(module));
        processEnv.putAll(env);
        processEnv.putAll(appEnv.getOrDefault(name, appEnv.getOrDefault(module, Map.of())));
        processEnv.putAll(instanceEnv(module, name));
        return processEnv;
    }

    /** What an app gets unless the common variables or its own say otherwise. */
    Map<String, String> defaults(String module) {
        if (!PROCESSOR.equals(module)) {
            return Map.of();
        }
        // The derived tables the repository declares (docs/derived-tables.md).
        return Map.of(TABLES_DIR, home.resolve("tables").toString());
    }

    /** What sets one instance apart from the others of its app on the same machine. */
    Map<String, String> instanceEnv(String module, String name) {
        if (!PROCESSOR.equals(module)) {
            return Map.of();
        }
        return Map.of(
                "UAL_PROCESSOR_INSTANCE_ID", name,
                "KAFKA_STREAMS_STATE_DIR", dataDir.resolve("streams-state").resolve(name).toString());
    }

    /** The instances of one app in the order they were added; empty if none. */
    public List<ServiceProcess> of(String module) {
        return List.copyOf(instances.getOrDefault(module, List.of()));
    }

    /** The first instance of one app. */
    public ServiceProcess first(String module) {
        List<ServiceProcess> list = instances.get(module);
        if (list == null || list.isEmpty()) {
            throw new IllegalStateException("no instance of " + module);
        }
        return list.get(0);
    }

    public List<ServiceProcess> all() {
        return instances.values().stream().flatMap(List::stream).toList();
    }

    /** Starts every instance at once, then waits for each to be ready. */
    public void startAll(Duration readyTimeout) {
        all().forEach(ServiceProcess::start);
        all().forEach(service -> service.waitReady(readyTimeout));
    }

    /**
     * A command still running (the replay), then console and study app, then ingest, then processors (any other
     * app first); each SIGTERM, then a grace period.
     */
    @Override
    public void close() {
        List<String> modules = new ArrayList<>(instances.keySet());
        modules.sort(Comparator.comparingInt(m -> STOP_ORDER.contains(m) ? STOP_ORDER.indexOf(m) : -1));
        List<Runnable> stops = new ArrayList<>();
        commands.forEach(command -> stops.add(command::stop));
        for (String module : modules) {
            of(module).forEach(service -> stops.add(service::stop));
        }
        Processes.stopAll(stops);
    }
}
