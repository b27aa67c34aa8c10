package io.useractions.infra;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.resource.ResourcePatternFilter;

import io.useractions.model.TopicSpec;
import io.useractions.topics.TopicCreator;

/**
 * A real Kafka broker (KRaft, combined broker and controller) in a child JVM, so that fault tests can
 * kill -9 it and start it again on the same data directory. Its client listener is PLAINTEXT, or SASL_SSL
 * with SCRAM users and ACLs when built {@code secure} ({@link KafkaSecurity}); then
 * {@link #putUser} adds users with exactly the ACLs a test gives them.
 */
public final class KafkaBroker extends ChildProcess {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);
    /** The least Kafka accepts for SCRAM-SHA-512. */
    private static final int SCRAM_ITERATIONS = 4096;
    private static final String CLASSPATH_RESOURCE = "kafka-broker.classpath";
    private static final String LOG4J_RESOURCE = "kafka-broker-log4j2.xml";
    private static final Map<String, byte[]> RESOURCES = new ConcurrentHashMap<>();

    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private final String maxHeap;
    private final Map<String, String> extraProperties;
    private final boolean secure;
    private KafkaSecurity security;

    /**
     * A broker keeping its data in {@code dataDir}; ports of 0 pick free ones now, so a restart reuses them.
     *
     * @param maxHeap -Xmx of the broker JVM, e.g. "512m"
     * @param properties broker properties that override the defaults of {@link #writeServerProperties}
     * @param secure SASL_SSL with SCRAM-SHA-512 and ACLs instead of PLAINTEXT on the client port; the
     *        controller port takes SASL_SSL too, with PLAIN for the admin user only
     */
    public KafkaBroker(Path dataDir, int port, int controllerPort, String maxHeap, Map<String, String> properties,
            boolean secure) {
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.port = Ports.orFree(port);
        this.controllerPort = Ports.orFree(controllerPort);
        this.maxHeap = maxHeap;
        this.extraProperties = Map.copyOf(properties);
        this.secure = secure;
    }

    /** Formats the log directory on first use, starts the broker and blocks until it answers an admin request. */
    public synchronized KafkaBroker start() {
        if (isRunning()) {
            return this;
        }
        Ports.requireFree(port, "Kafka broker");
        Ports.requireFree(controllerPort, "Kafka controller");
        Processes.createDirectories(logDirs());
        Path serverProperties = writeServerProperties();
        Path log4jConfig = writeLog4jConfig();
        String classpath = brokerClasspath();
        if (!isFormatted()) {
            format(classpath, log4jConfig, serverProperties);
        }
        List<String> command = javaCommand(classpath, log4jConfig, maxHeap);
        command.add("kafka.Kafka");
        command.add(serverProperties.toString());
        process = launch(command);
        awaitReady();
        if (secure) {
            // also on storage secured before the broker authorized, whose metadata has no ACLs yet
            try (Admin admin = admin()) {
                replaceAcls(admin, KafkaSecurity.SERVICE_USER, KafkaSecurity.serviceUserAcls());
            }
        }
        return this;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public int controllerPort() {
        return controllerPort;
    }

    public Path logFile() {
        return dataDir.resolve("broker.log");
    }

    public boolean isSecure() {
        return secure;
    }

    /**
     * What every Kafka client of this broker needs: bootstrap.servers and, when secure, SASL_SSL with the
     * {@value KafkaSecurity#SERVICE_USER} user's SCRAM credentials and a truststore holding the broker's certificate.
     */
    public Map<String, Object> clientConfig() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        if (secure) {
            config.putAll(security().clientSettings());
        }
        return Collections.unmodifiableMap(config);
    }

    /**
     * The settings of a client that logs in as {@code user}: {@value KafkaSecurity#ADMIN_USER},
     * {@value KafkaSecurity#SERVICE_USER} or one made by {@link #putUser}. Only a secure broker has users.
     */
    public Map<String, Object> clientConfig(String user) {
        requireSecure();
        Map<String, Object> config = new LinkedHashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        config.putAll(security().clientSettings(user));
        return Collections.unmodifiableMap(config);
    }

    /**
     * Makes a SCRAM-SHA-512 user with a random password (kept beside the broker's other credentials, so it
     * outlives restarts) and gives it exactly these ACLs, removing any others it had; returns its
     * {@link #clientConfig(String) client settings}. Blocks until the broker takes the user's login and its
     * authorizer holds the ACLs. Every ACL must be for {@code User:<user>}.
     */
    public Map<String, Object> putUser(String user, Collection<AclBinding> acls) {
        requireSecure();
        KafkaSecurity.requireUserName(user);
        if (user.equals(KafkaSecurity.ADMIN_USER) || user.equals(KafkaSecurity.SERVICE_USER)) {
            throw new IllegalArgumentException(user + " is one of the broker's own users");
        }
        String password = security().passwordOrNew(user);
        try (Admin admin = admin()) {
            await(admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS), password))).all(),
                    "making the Kafka user " + user);
            replaceAcls(admin, user, acls);
        }
        awaitLogin(user);
        return clientConfig(user);
    }

    private void requireSecure() {
        if (!secure) {
            throw new IllegalStateException("a PLAINTEXT broker has no users or ACLs; build it secure");
        }
    }

    /**
     * Leaves the user with exactly these ACLs. The controller has them when the calls return; the wait is
     * for the broker, whose authorizer answers DescribeAcls from the metadata it has replayed so far.
     */
    private static void replaceAcls(Admin admin, String user, Collection<AclBinding> acls) {
        String principal = "User:" + user;
        for (AclBinding acl : acls) {
            if (!acl.entry().principal().equals(principal)) {
                throw new IllegalArgumentException("an ACL of " + principal + " names " + acl.entry().principal() + ": " + acl);
            }
        }
        Set<AclBinding> wanted = Set.copyOf(acls);
        AclBindingFilter ofUser = new AclBindingFilter(ResourcePatternFilter.ANY,
                new AccessControlEntryFilter(principal, null, AclOperation.ANY, AclPermissionType.ANY));
        String doing = "setting the ACLs of " + principal;
        Set<AclBinding> present = new HashSet<>(await(admin.describeAcls(ofUser).values(), doing));
        List<AclBindingFilter> stale = present.stream().filter(acl -> !wanted.contains(acl))
                .map(AclBinding::toFilter).collect(Collectors.toList());
        if (!stale.isEmpty()) {
            await(admin.deleteAcls(stale).all(), doing);
        }
        if (!present.containsAll(wanted)) {
            await(admin.createAcls(wanted).all(), doing);
        }
        long deadline = System.nanoTime() + METADATA_TIMEOUT.toNanos();
        while (!new HashSet<>(await(admin.describeAcls(ofUser).values(), doing)).equals(wanted)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the broker did not apply the ACLs of " + principal + " within "
                        + METADATA_TIMEOUT.toSeconds() + " s");
            }
            Processes.sleep(Duration.ofMillis(50));
        }
    }

    /** The future's value within the metadata timeout; a failure, an interrupt or the timeout names what was being done. */
    private static <T> T await(KafkaFuture<T> future, String doing) {
        try {
            return future.get(METADATA_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(doing + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + doing, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException(doing + " timed out", e);
        }
    }

    /** A new SCRAM credential reaches the broker's authenticator a moment after the controller took it. */
    private void awaitLogin(String user) {
        Map<String, Object> props = new HashMap<>(clientConfig(user));
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "local-infra-login-" + user);
        long deadline = System.nanoTime() + METADATA_TIMEOUT.toNanos();
        while (true) {
            // DescribeCluster needs no ACL, so only the login can fail
            try (Admin admin = Admin.create(props)) {
                admin.describeCluster().nodes().get(10, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof AuthenticationException) || System.nanoTime() > deadline) {
                    throw new IllegalStateException("the Kafka user " + user + " cannot log in", e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while logging in as " + user, e);
            } catch (TimeoutException e) {
                throw new IllegalStateException("logging in as " + user + " timed out", e);
            }
            Processes.sleep(Duration.ofMillis(100));
        }
    }

    /** Creates a topic unless it exists, through the pipeline's creator; an existing topic is left as it is. */
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        try (Admin admin = admin()) {
            TopicCreator.createMissing(admin, List.of(new TopicSpec(name, true, configs)), partitions, Optional.empty());
        }
    }

    /** An admin client for this broker with short timeouts, as the super user when secure; the caller closes it. */
    public Admin admin() {
        Properties props = new Properties();
        props.putAll(secure ? clientConfig(KafkaSecurity.ADMIN_USER) : clientConfig());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "local-infra-admin");
        return Admin.create(props);
    }

    private Path logDirs() {
        return dataDir.resolve("kraft-logs");
    }

    private boolean isFormatted() {
        return Files.exists(logDirs().resolve("meta.properties"));
    }

    /** Kept beside the log directory and reused, so that a restart on the same data takes the same clients. */
    private synchronized KafkaSecurity security() {
        if (security == null) {
            security = KafkaSecurity.prepare(dataDir.resolve("security"), !isFormatted());
        }
        return security;
    }

    private Path writeServerProperties() {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        String listener = secure ? KafkaSecurity.PROTOCOL : "PLAINTEXT";
        props.put("listeners", listener + "://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", listener + "://127.0.0.1:" + port);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", listener);
        props.put("listener.security.protocol.map", listener + ":" + listener + ",CONTROLLER:" + listener);
        props.put("log.dirs", logDirs().toString());
        props.put("num.partitions", "1");
        props.put("default.replication.factor", "1");
        props.put("offsets.topic.replication.factor", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("min.insync.replicas", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", "false");
        // A processor killed mid-transaction blocks read_committed readers until its transaction times
        // out; checking for that every second instead of every ten shortens the wait to about the timeout.
        props.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
        if (secure) {
            props.putAll(security().brokerProperties());
        }
        props.putAll(extraProperties);

        Path file = dataDir.resolve("server.properties");
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (var e : props.entrySet()) {
                out.write(e.getKey() + "=" + e.getValue() + "\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }

    private Path writeLog4jConfig() {
        Path file = dataDir.resolve("broker-log4j2.xml");
        try {
            Files.write(file, resource(LOG4J_RESOURCE, ""));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }

    /**
     * A resource of this jar, read once per JVM: a broker restarted hours later must not depend on the
     * jar file still being the one the JVM opened (a rebuild replaces it, and reading the old entry then
     * fails with "invalid LOC header").
     */
    private static byte[] resource(String name, String hint) {
        return RESOURCES.computeIfAbsent(name, ignored -> {
            try (InputStream in = KafkaBroker.class.getResourceAsStream(name)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + name + hint);
                }
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + name, e);
            }
        });
    }

    private void format(String classpath, Path log4jConfig, Path serverProperties) {
        List<String> command = javaCommand(classpath, log4jConfig, "256m");
        // a few seconds of work: C2 would only compile for a process that is about to exit
        command.add(1, "-XX:TieredStopAtLevel=1");
        command.addAll(List.of("kafka.tools.StorageTool", "format", "--ignore-formatted",
                "--cluster-id", Uuid.randomUuid().toString(), "--config", serverProperties.toString()));
        if (secure) {
            // SCRAM users live in the cluster metadata; writing them at format time means the broker
            // authenticates them from its first start on.
            command.addAll(security().scramFormatArguments());
        }
        Process formatter = launch(command);
        try {
            if (!formatter.waitFor(60, TimeUnit.SECONDS)) {
                Processes.kill(formatter);
                throw new IllegalStateException("formatting " + logDirs() + " timed out\n" + Processes.tail(logFile(), 30));
            }
            if (formatter.exitValue() != 0) {
                throw new IllegalStateException("formatting " + logDirs() + " failed with exit code "
                        + formatter.exitValue() + "\n" + Processes.tail(logFile(), 30));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Processes.kill(formatter);
            throw new IllegalStateException("interrupted while formatting " + logDirs(), e);
        }
    }

    private List<String> javaCommand(String classpath, Path log4jConfig, String heap) {
        List<String> command = new ArrayList<>();
        command.add(Processes.javaExecutable());
        command.add("-Xmx" + heap);
        command.add("-XX:+UseG1GC");
        command.add("-XX:MaxGCPauseMillis=20");
        command.add("-Djava.awt.headless=true");
        command.add("-Dlog4j2.configurationFile=" + log4jConfig);
        command.add("-Dual.broker.log=" + logFile());
        command.add("-cp");
        command.add(classpath);
        return command;
    }

    /** stdout and stderr share broker.log with log4j, so a JVM that fails to boot leaves its reason there. */
    private Process launch(List<String> command) {
        try {
            return new ProcessBuilder(Processes.inOwnSession(command))
                    .directory(dataDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot launch " + command.get(0), e);
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!Ports.isListening(port)) {
            failIfGoneOrLate(deadline);
            Processes.sleep(Duration.ofMillis(200));
        }
        try (Admin admin = admin()) {
            while (true) {
                failIfGoneOrLate(deadline);
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof AuthenticationException refused) {
                        kill();
                        throw new IllegalStateException("the Kafka broker refuses the credentials in " + dataDir.resolve("security")
                                + ": " + refused.getMessage(), refused);
                    }
                } catch (TimeoutException e) {
                    // not ready yet
                }
                Processes.sleep(Duration.ofMillis(200));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the broker", e);
        }
    }

    private void failIfGoneOrLate(long deadline) {
        if (!process.isAlive()) {
            int code = process.exitValue();
            process = null;
            throw new IllegalStateException("Kafka broker exited with code " + code + " during start; tail of "
                    + logFile() + ":\n" + Processes.tail(logFile(), 40));
        }
        if (System.nanoTime() > deadline) {
            kill();
            throw new IllegalStateException("Kafka broker did not answer within " + START_TIMEOUT.toSeconds()
                    + " s; tail of " + logFile() + ":\n" + Processes.tail(logFile(), 40));
        }
    }

    /**
     * The broker's classpath is this module's runtime classpath, written at build time. When the jars it
     * names are gone (the module was copied elsewhere), the lib/ directory beside the module jar is used.
     */
    static String brokerClasspath() {
        List<String> entries = List.of(new String(resource(CLASSPATH_RESOURCE, "; build local-infra with Maven"),
                StandardCharsets.UTF_8).trim().split(File.pathSeparator));
        List<String> missing = entries.stream().filter(e -> !Files.exists(Path.of(e))).collect(Collectors.toList());
        if (missing.isEmpty()) {
            return String.join(File.pathSeparator, entries);
        }
        Path lib = libBesideModuleJar();
        if (lib != null) {
            try (Stream<Path> jars = Files.list(lib)) {
                return jars.filter(p -> p.toString().endsWith(".jar")).map(Path::toString)
                        .sorted().collect(Collectors.joining(File.pathSeparator));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + lib, e);
            }
        }
        throw new IllegalStateException("the Kafka broker's classpath names jars that do not exist, e.g. " + missing.get(0)
                + "; rebuild local-infra with Maven");
    }

    private static Path libBesideModuleJar() {
        try {
            Path location = Path.of(KafkaBroker.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path lib = location.resolveSibling("lib");
            return Files.isRegularFile(location) && Files.isDirectory(lib) ? lib : null;
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            return null;
        }
    }
}
