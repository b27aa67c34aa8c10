package io.useractions.infra;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Kafka, PostgreSQL and Redis under one root directory: root/kafka, root/postgres, root/redis, and
 * root/logs for whoever runs services next to them.
 */
public record LocalInfra(Path root, KafkaBroker kafka, Postgres postgres, Redis redis) implements Servers {

    /** Ports of 0 are replaced by free ones when the servers are built. */
    public record Config(Path root, int kafkaPort, int kafkaControllerPort, int postgresPort, int redisPort,
                         String kafkaMaxHeap, Map<String, String> kafkaProperties, boolean secureKafka) {

        public Config(Path root, int kafkaPort, int kafkaControllerPort, int postgresPort, int redisPort,
                      String kafkaMaxHeap, Map<String, String> kafkaProperties) {
            this(root, kafkaPort, kafkaControllerPort, postgresPort, redisPort, kafkaMaxHeap, kafkaProperties, false);
        }

        public static Config inRoot(Path root) {
            return new Config(root, 0, 0, 0, 0, "512m", Map.of(), false);
        }

        public Config withPorts(int kafkaPort, int kafkaControllerPort, int postgresPort, int redisPort) {
            return new Config(root, kafkaPort, kafkaControllerPort, postgresPort, redisPort, kafkaMaxHeap, kafkaProperties,
                    secureKafka);
        }

        public Config withKafkaMaxHeap(String kafkaMaxHeap) {
            return new Config(root, kafkaPort, kafkaControllerPort, postgresPort, redisPort, kafkaMaxHeap, kafkaProperties,
                    secureKafka);
        }

        /** Broker properties on top of KafkaBroker's defaults. */
        public Config withKafkaProperties(Map<String, String> kafkaProperties) {
            return new Config(root, kafkaPort, kafkaControllerPort, postgresPort, redisPort, kafkaMaxHeap,
                    Map.copyOf(kafkaProperties), secureKafka);
        }

        /**
         * SASL_SSL (SCRAM-SHA-512 over TLS) on the Kafka client port, with ACLs enforced; clients connect with
         * {@link Servers#kafkaClientConfig()} as a user allowed everything on topics, groups and transactional
         * ids, or as a user of their own ({@link KafkaBroker#putUser}, {@link #kafkaClientConfig(String)}).
         * Start again on the same root with this too: the users and the certificate are made when the
         * broker's storage is first formatted.
         */
        public Config withSecureKafka() {
            return new Config(root, kafkaPort, kafkaControllerPort, postgresPort, redisPort, kafkaMaxHeap, kafkaProperties,
                    true);
        }
    }

    /** The servers of this config, none started. */
    private static LocalInfra of(Config config) {
        Path root = config.root().toAbsolutePath().normalize();
        return new LocalInfra(root,
                new KafkaBroker(root.resolve("kafka"), config.kafkaPort(), config.kafkaControllerPort(),
                        config.kafkaMaxHeap(), config.kafkaProperties(), config.secureKafka()),
                new Postgres(root.resolve("postgres").resolve("data"), config.postgresPort()),
                new Redis(root.resolve("redis"), config.redisPort()));
    }

    /** Starts all three servers; if one fails, the others are stopped again. */
    public static LocalInfra start(Config config) {
        LocalInfra infra = of(config);
        Processes.createDirectories(infra.logsDir());
        try {
            // The broker JVM takes the longest to boot; PostgreSQL and Redis start meanwhile.
            CompletableFuture<KafkaBroker> kafkaStarted = CompletableFuture.supplyAsync(infra.kafka::start, task -> {
                Thread thread = new Thread(task, "local-infra-kafka-start");
                thread.setDaemon(true);
                thread.start();
            });
            infra.postgres.start();
            infra.redis.start();
            try {
                kafkaStarted.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : e;
            }
        } catch (RuntimeException e) {
            try {
                infra.close();
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        return infra;
    }

    /**
     * The servers that another owner in this JVM started with this config's root and ports, to connect to and
     * read from: their processes are the owner's, so stop, kill and start are the owner's too
     * ({@link LocalInfraTestResource}, whose copies in the class loaders of Quarkus' test profiles share one
     * set). Starting one of them again fails, as its port is taken.
     */
    static LocalInfra attach(Config config) {
        return of(config);
    }

    /** Stops the servers when the JVM exits, for owners that cannot call close() themselves. */
    public LocalInfra closeOnShutdown() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "local-infra-shutdown"));
        return this;
    }

    public Path logsDir() {
        return root.resolve("logs");
    }

    @Override
    public Map<String, Object> kafkaClientConfig() {
        return kafka.clientConfig();
    }

    /** The settings of a Kafka client that logs in as one of the secured broker's users ({@link KafkaBroker#clientConfig(String)}). */
    public Map<String, Object> kafkaClientConfig(String user) {
        return kafka.clientConfig(user);
    }

    @Override
    public String jdbcUrl() {
        return postgres.jdbcUrl();
    }

    @Override
    public String redisUrl() {
        return redis.url();
    }

    /** The environment that points the packaged apps at these servers. */
    @Override
    public Map<String, String> serviceEnv() {
        Map<String, String> env = new HashMap<>(Servers.super.serviceEnv());
        env.put("KAFKA_STREAMS_STATE_DIR", root.resolve("streams-state").toString());
        return Map.copyOf(env);
    }

    /** Stops Redis, Kafka, then PostgreSQL; a failure to stop one does not keep the others running. */
    @Override
    public void close() {
        Processes.stopAll(List.of(redis::stop, kafka::stop, postgres::stop));
    }
}
