package io.useractions.infra;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Real Kafka, PostgreSQL and Redis for {@code @QuarkusTest}s. One set of servers serves every test class
 * of the JVM, so {@link #stop()} leaves them running and a shutdown hook stops them when the JVM exits.
 */
public class LocalInfraTestResource implements QuarkusTestResourceLifecycleManager {

    public static final int PARTITIONS = 3;

    private static LocalInfra infra;

    /** The running servers, started on first use. */
    public static synchronized LocalInfra infra() {
        if (infra == null) {
            Path root = Path.of("target", "local-infra-" + UUID.randomUUID().toString().substring(0, 8));
            infra = LocalInfra.start(LocalInfra.Config.inRoot(root)).closeOnShutdown();
            infra.ensureProjectTopics(PARTITIONS);
        }
        return infra;
    }

    @Override
    public Map<String, String> start() {
        LocalInfra running = infra();
        return Map.of(
                "kafka.bootstrap.servers", running.kafkaBootstrap(),
                "quarkus.datasource.jdbc.url", running.jdbcUrl(),
                "quarkus.datasource.username", running.dbUser(),
                "quarkus.datasource.password", running.dbPassword(),
                "quarkus.redis.hosts", running.redisUrl());
    }

    @Override
    public void stop() {
        // shared by all test classes of this JVM; the shutdown hook registered in infra() stops the servers
    }
}
