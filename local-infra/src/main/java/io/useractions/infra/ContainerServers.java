package io.useractions.infra;

import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.CommonClientConfigs;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The servers as containers of the docker-compose.yml images, for machines with Docker (-Pcontainers).
 * NOT exercised by this repository's CI, which has no Docker: it compiles there, and runs only where a
 * developer selects it.
 */
public final class ContainerServers implements Servers {
    private final KafkaContainer kafka;
    private final PostgreSQLContainer postgres;
    private final GenericContainer<?> redis;

    private ContainerServers() {
        // one node: the transaction log that exactly_once_v2 needs must fit on it
        this.kafka = new KafkaContainer(DockerImageName.parse(ContainerImages.KAFKA))
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
                .withEnv("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
                .withEnv("KAFKA_TRANSACTION_ABORT_TIMED_OUT_TRANSACTION_CLEANUP_INTERVAL_MS", "1000");
        this.postgres = new PostgreSQLContainer(DockerImageName.parse(ContainerImages.POSTGRES))
                .withDatabaseName(Postgres.DATABASE).withUsername(Postgres.USER).withPassword(Postgres.PASSWORD);
        this.redis = new GenericContainer<>(DockerImageName.parse(ContainerImages.REDIS)).withExposedPorts(6379);
    }

    /** Starts the three containers; if one fails, the others are stopped again. */
    public static ContainerServers start() {
        ContainerServers servers = new ContainerServers();
        try {
            servers.kafka.start();
            servers.postgres.start();
            servers.redis.start();
        } catch (RuntimeException e) {
            servers.close();
            throw e;
        }
        return servers;
    }

    @Override
    public Map<String, Object> kafkaClientConfig() {
        return Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.getBootstrapServers());
    }

    @Override
    public String jdbcUrl() {
        return postgres.getJdbcUrl();
    }

    @Override
    public String redisUrl() {
        return "redis://" + redis.getHost() + ":" + redis.getMappedPort(6379);
    }

    @Override
    public void close() {
        Processes.stopAll(List.of(redis::stop, kafka::stop, postgres::stop));
    }
}
