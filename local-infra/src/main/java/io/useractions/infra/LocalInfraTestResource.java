package io.useractions.infra;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.opentest4j.TestAbortedException;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Real Kafka, PostgreSQL and Redis for {@code @QuarkusTest}s. One set of servers serves every test class
 * of the JVM, so {@link #stop()} leaves them running and a shutdown hook stops them when the JVM exits.
 * They are the embedded servers unless -Pcontainers selects containers ({@link Servers}); their broker is
 * PLAINTEXT unless {@value #KAFKA_SELECTOR}=secure selects SASL_SSL ({@link LocalInfra.Config#withSecureKafka()}).
 * <p>
 * Quarkus loads this class once per test profile, each copy in a class loader of its own, so a static
 * field alone would start a set of servers per profile. The first copy to start the embedded servers
 * writes their root and ports to the system property {@value #SHARED_SERVERS}; every later copy attaches
 * to them ({@link LocalInfra#attach}). Only the servers' owner can stop and restart them: tests that do
 * belong to the profile whose classes run first (a module with more than one profile orders them so).
 */
public class LocalInfraTestResource implements QuarkusTestResourceLifecycleManager {

    public static final int PARTITIONS = 3;

    /** The system property (or UAL_TEST_KAFKA in the environment) that picks the embedded broker's security. */
    public static final String KAFKA_SELECTOR = "ual.test.kafka";
    public static final String PLAINTEXT_KAFKA = "plaintext";
    public static final String SECURE_KAFKA = "secure";

    /** The system property through which the copies of this class in one JVM share the embedded servers. */
    public static final String SHARED_SERVERS = "ual.test.shared-servers";

    private static LocalInfra infra;
    private static Servers containers;

    /** The running servers of the selected kind, started on first use. */
    public static synchronized Servers servers() {
        if (Servers.selected().equals(Servers.EMBEDDED)) {
            return infra();
        }
        if (secureKafkaSelected()) {
            throw new IllegalStateException(KAFKA_SELECTOR + "=" + SECURE_KAFKA + " needs the embedded servers; "
                    + Servers.SELECTOR + "=" + Servers.selected() + " runs a PLAINTEXT broker");
        }
        if (containers == null) {
            Servers started = Servers.start(Path.of("target"));
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "test-servers-shutdown"));
            started.ensureProjectTopics(PARTITIONS);
            containers = started;
        }
        return containers;
    }

    /**
     * The embedded servers, started on first use, for tests that stop and restart them. With -Pcontainers
     * such a test is skipped: containers cannot be restarted at the same address.
     */
    public static synchronized LocalInfra infra() {
        if (!Servers.selected().equals(Servers.EMBEDDED)) {
            throw new TestAbortedException("needs the embedded servers (it stops or restarts them); "
                    + Servers.SELECTOR + "=" + Servers.selected());
        }
        if (infra == null) {
            String shared = System.getProperty(SHARED_SERVERS);
            infra = shared != null ? LocalInfra.attach(sharedConfig(shared)) : startShared();
        }
        return infra;
    }

    private static LocalInfra startShared() {
        Path root = Path.of("target", "local-infra-" + UUID.randomUUID().toString().substring(0, 8));
        LocalInfra.Config config = LocalInfra.Config.inRoot(root);
        LocalInfra started = LocalInfra.start(secureKafkaSelected() ? config.withSecureKafka() : config).closeOnShutdown();
        started.ensureProjectTopics(PARTITIONS);
        System.setProperty(SHARED_SERVERS, String.join(",", started.root().toString(),
                String.valueOf(started.kafka().port()), String.valueOf(started.kafka().controllerPort()),
                String.valueOf(started.postgres().port()), String.valueOf(started.redis().port()),
                String.valueOf(started.kafka().isSecure())));
        return started;
    }

    /** The config of the servers another copy of this class started: root, four ports and whether Kafka is secure. */
    static LocalInfra.Config sharedConfig(String shared) {
        // the root first, as it may hold a comma itself
        Matcher parts = Pattern.compile("(.+),(\\d+),(\\d+),(\\d+),(\\d+),(true|false)").matcher(shared);
        if (!parts.matches()) {
            throw new IllegalStateException(SHARED_SERVERS + " must be root,kafka,controller,postgres,redis,secure, not " + shared);
        }
        LocalInfra.Config config = LocalInfra.Config.inRoot(Path.of(parts.group(1))).withPorts(Integer.parseInt(parts.group(2)),
                Integer.parseInt(parts.group(3)), Integer.parseInt(parts.group(4)), Integer.parseInt(parts.group(5)));
        return Boolean.parseBoolean(parts.group(6)) ? config.withSecureKafka() : config;
    }

    /** Whether {@value #KAFKA_SELECTOR} (or UAL_TEST_KAFKA) asks for the secured broker; plaintext when neither is set. */
    public static boolean secureKafkaSelected() {
        String value = System.getProperty(KAFKA_SELECTOR, System.getenv().getOrDefault("UAL_TEST_KAFKA", PLAINTEXT_KAFKA));
        if (!value.equals(PLAINTEXT_KAFKA) && !value.equals(SECURE_KAFKA)) {
            throw new IllegalArgumentException(KAFKA_SELECTOR + " must be " + PLAINTEXT_KAFKA + " or " + SECURE_KAFKA + ", not " + value);
        }
        return value.equals(SECURE_KAFKA);
    }

    @Override
    public Map<String, String> start() {
        return servers().quarkusConfig();
    }

    @Override
    public void stop() {
        // shared by all test classes of this JVM; the shutdown hook registered in infra() stops the servers
    }
}
