package io.useractions.infra;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
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
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
        // LOCAL-DEVELOPMENT DEFAULTS, as in docker-compose.yml
        this.postgres = new PostgreSQLContainer(DockerImageName.parse(ContainerImages.POSTGRES))
                .withDatabaseName("ual").withUsername("ual").withPassword("ual");
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
    public String kafkaBootstrap() {
        return kafka.getBootstrapServers();
    }

    @Override
    public String jdbcUrl() {
        return postgres.getJdbcUrl();
    }

    @Override
    public String dbUser() {
        return postgres.getUsername();
    }

    @Override
    public String dbPassword() {
        return postgres.getPassword();
    }

    @Override
    public String redisUrl() {
        return "redis://" + redis.getHost() + ":" + redis.getMappedPort(6379);
    }

    @Override
    public void ensureProjectTopics(int partitions) {
        Map<String, String> keepForever = Map.of("retention.ms", "-1", "retention.bytes", "-1");
        List<NewTopic> topics = List.of(
                new NewTopic(LocalInfra.RAW_TOPIC, partitions, (short) 1).configs(keepForever),
                new NewTopic(LocalInfra.PROJECTION_TOPIC, partitions, (short) 1),
                new NewTopic(LocalInfra.DLQ_TOPIC, 1, (short) 1).configs(keepForever));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap()))) {
            for (NewTopic topic : topics) {
                try {
                    admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("could not create " + topic.name(), e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not create the topics in 30 s", e);
        }
    }

    @Override
    public Map<String, String> serviceEnv() {
        return Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrap(),
                "QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl(),
                "QUARKUS_DATASOURCE_USERNAME", dbUser(),
                "QUARKUS_DATASOURCE_PASSWORD", dbPassword(),
                "QUARKUS_REDIS_HOSTS", redisUrl());
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (GenericContainer<?> container : List.<GenericContainer<?>>of(redis, kafka, postgres)) {
            try {
                container.stop();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
