package io.useractions.infra;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;

import io.useractions.topics.TopicCreator;

/**
 * Kafka, PostgreSQL and Redis for the tests, wherever they run: the embedded servers of {@link LocalInfra}
 * (the default, no Docker needed) or containers of the docker-compose.yml images ({@link #CONTAINERS}, the
 * Maven profile -Pcontainers). Only the embedded servers can be stopped and restarted by a test.
 */
public interface Servers extends AutoCloseable {

    /** The system property (or UAL_TEST_SERVERS in the environment) that picks the implementation. */
    String SELECTOR = "ual.test.servers";
    String EMBEDDED = "embedded";
    String CONTAINERS = "containers";

    /**
     * The settings every Kafka client of the tests and services connects with: bootstrap.servers, plus
     * security.protocol, sasl.* and ssl.truststore.* when the broker is secured. Pass it to a client as it
     * is and add only the client's own settings (serializers, group id, ...).
     */
    Map<String, Object> kafkaClientConfig();

    default String kafkaBootstrap() {
        return String.valueOf(kafkaClientConfig().get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG));
    }

    String jdbcUrl();

    /** The application's role, the same on every implementation ({@link Postgres#USER}). */
    default String dbUser() {
        return Postgres.USER;
    }

    default String dbPassword() {
        return Postgres.PASSWORD;
    }

    String redisUrl();

    /** Creates the pipeline's topics that are missing (TopicCreator), the raw and projection ones with these partitions. */
    default void ensureProjectTopics(int partitions) {
        try (Admin admin = Admin.create(kafkaClientConfig())) {
            TopicCreator.createMissing(admin, partitions);
        }
    }

    /** The environment that points the packaged apps at these servers, with {@link #kafkaEnv} of the Kafka client settings. */
    default Map<String, String> serviceEnv() {
        Map<String, String> env = new HashMap<>(serviceEnv(kafkaBootstrap(), jdbcUrl(), dbUser(), dbPassword(), redisUrl()));
        env.putAll(kafkaEnv(kafkaClientConfig()));
        return Map.copyOf(env);
    }

    /** The environment that points the packaged apps at the given servers. */
    static Map<String, String> serviceEnv(String kafka, String jdbcUrl, String dbUser, String dbPassword, String redisUrl) {
        return Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", kafka,
                "QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl,
                "QUARKUS_DATASOURCE_USERNAME", dbUser,
                "QUARKUS_DATASOURCE_PASSWORD", dbPassword,
                "QUARKUS_REDIS_HOSTS", redisUrl);
    }

    /** The Quarkus properties that point a {@code @QuarkusTest} at these servers, Kafka's as {@link #kafkaProperties}. */
    default Map<String, String> quarkusConfig() {
        Map<String, String> config = new HashMap<>(kafkaProperties(kafkaClientConfig()));
        config.put("quarkus.datasource.jdbc.url", jdbcUrl());
        config.put("quarkus.datasource.username", dbUser());
        config.put("quarkus.datasource.password", dbPassword());
        config.put("quarkus.redis.hosts", redisUrl());
        return Map.copyOf(config);
    }

    /** Kafka client settings as the services' {@code kafka.*} properties: security.protocol becomes kafka.security.protocol. */
    static Map<String, String> kafkaProperties(Map<String, ?> clientConfig) {
        Map<String, String> properties = new LinkedHashMap<>();
        clientConfig.forEach((name, value) -> properties.put("kafka." + name, String.valueOf(value)));
        return properties;
    }

    /** Kafka client settings as the environment variables of those properties: security.protocol becomes KAFKA_SECURITY_PROTOCOL. */
    static Map<String, String> kafkaEnv(Map<String, ?> clientConfig) {
        Map<String, String> env = new LinkedHashMap<>();
        clientConfig.forEach((name, value) ->
                env.put("KAFKA_" + name.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT), String.valueOf(value)));
        return env;
    }

    @Override
    void close();

    /** embedded or containers, from the system property or the environment; embedded when neither is set. */
    static String selected() {
        String value = System.getProperty(SELECTOR, System.getenv().getOrDefault("UAL_TEST_SERVERS", EMBEDDED));
        if (!value.equals(EMBEDDED) && !value.equals(CONTAINERS)) {
            throw new IllegalArgumentException(SELECTOR + " must be " + EMBEDDED + " or " + CONTAINERS + ", not " + value);
        }
        return value;
    }

    /** Starts the selected servers; embedded ones keep their data under root. */
    static Servers start(Path root) {
        if (selected().equals(EMBEDDED)) {
            return LocalInfra.start(LocalInfra.Config.inRoot(root));
        }
        try {
            // by name, so that the default build needs no Testcontainers on the classpath
            return (Servers) Class.forName("io.useractions.infra.ContainerServers").getMethod("start").invoke(null);
        } catch (ClassNotFoundException | NoClassDefFoundError e) {
            throw new IllegalStateException("Testcontainers is not on the classpath: run the tests with -Pcontainers", e);
        } catch (ReflectiveOperationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
        }
    }
}
