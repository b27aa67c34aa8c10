package io.useractions.processor;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;

import javax.sql.DataSource;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.useractions.infra.LocalInfraTestResource;

/** What the processor's tests against the real broker and PostgreSQL share: a producer and queries. */
public final class TestSupport {
    private TestSupport() {
    }

    private static KafkaProducer<String, byte[]> producer;

    /** One producer to the test broker for every test class of this JVM, waiting for every replica; closed at exit. */
    public static synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            Properties props = new Properties();
            props.putAll(LocalInfraTestResource.infra().kafkaClientConfig());
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            KafkaProducer<String, byte[]> created = new KafkaProducer<>(props, new StringSerializer(),
                    new ByteArraySerializer());
            Runtime.getRuntime().addShutdownHook(new Thread(created::close, "test-producer-close"));
            producer = created;
        }
        return producer;
    }

    /** The first column of the first row of a query, as a long (a count). */
    public static long count(DataSource dataSource, String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
