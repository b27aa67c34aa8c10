package io.useractions.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.useractions.infra.Servers;
import io.useractions.model.KafkaSettings;

/**
 * Where the servers are: started by the benchmark, or external ones given on the command line.
 * {@code kafka}: the settings of every Kafka client (bootstrap, and TLS/SASL when the broker wants them).
 */
record Endpoints(Map<String, Object> kafka, String jdbcUrl, String dbUser, String dbPassword, String redis,
                 Map<String, String> serviceEnv) {

    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, dbUser, dbPassword);
    }

    /** The one number a query such as {@code select count(*) ...} returns, on a connection of its own. */
    long count(String sql) throws SQLException {
        try (Connection connection = connect()) {
            return count(connection, sql);
        }
    }

    static long count(Connection connection, String sql) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rows = s.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** External servers; Kafka's security settings come from the same KAFKA_* variables the services read. */
    static Endpoints external(String kafka, String jdbcUrl, String dbUser, String dbPassword, String redis) {
        Map<String, Object> settings = KafkaSettings.read(name -> name.equals("kafka.bootstrap.servers")
                ? Optional.of(kafka) : Optional.ofNullable(System.getenv(name.toUpperCase(Locale.ROOT).replace('.', '_'))));
        Map<String, String> env = new HashMap<>(Servers.serviceEnv(kafka, jdbcUrl, dbUser, dbPassword, redis));
        env.putAll(Servers.kafkaEnv(settings));
        return new Endpoints(settings, jdbcUrl, dbUser, dbPassword, redis, env);
    }
}
