package io.useractions.processor;

import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import javax.sql.DataSource;

import org.apache.kafka.clients.producer.KafkaProducer;

import io.useractions.infra.LocalInfraTestResource;
import io.useractions.model.Topics;
import io.useractions.testing.Queries;
import io.useractions.testing.TopicReader;
import io.useractions.testing.TopicWriter;

/** What the processor's tests against the real broker and PostgreSQL share: a producer and queries. */
public final class TestSupport {
    private TestSupport() {
    }

    private static KafkaProducer<String, byte[]> producer;

    /** One producer to the test broker for every test class of this JVM, waiting for every replica; closed at exit. */
    public static synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            KafkaProducer<String, byte[]> created = TopicWriter.producer(LocalInfraTestResource.infra().kafkaClientConfig());
            Runtime.getRuntime().addShutdownHook(new Thread(created::close, "test-producer-close"));
            producer = created;
        }
        return producer;
    }

    /** The raw topic's end offsets now, as a read_committed consumer sees them: a replay's snapshot. */
    public static Map<Integer, Long> rawEndOffsets() {
        Map<Integer, Long> offsets = new HashMap<>();
        TopicReader.of(LocalInfraTestResource.infra().kafkaClientConfig()).endOffsets(Topics.RAW)
                .forEach((partition, offset) -> offsets.put(partition.partition(), offset));
        return offsets;
    }

    /** The first column of the first row of a query, as a long (a count). */
    public static long count(DataSource dataSource, String sql, Object... args) {
        try (Connection c = dataSource.getConnection()) {
            return Queries.count(c, sql, args);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Returns once another session waits for a lock that {@code holder}'s open transaction holds: the
     * moment a race test has been waiting for, seen in PostgreSQL instead of guessed with a sleep.
     */
    public static void awaitSessionBlockedBy(DataSource dataSource, Connection holder) throws SQLException {
        int pid = backendPid(holder);
        await("a session waiting for a lock of backend " + pid).atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> count(dataSource, "select count(*) from pg_stat_activity where ? = any(pg_blocking_pids(pid))", pid) > 0);
    }

    /**
     * Returns once a replay waits for a lock that {@code holder}'s open transaction holds: the session that
     * holds an advisory lock (a replay holds its own for all its run, to keep two replays apart), not a
     * live sink transaction that waits for the same lock. A replay may read the whole raw topic first.
     */
    public static void awaitReplayBlockedBy(DataSource dataSource, Connection holder) throws SQLException {
        int pid = backendPid(holder);
        await("a replay waiting for a lock of backend " + pid).atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> count(dataSource, "select count(*) from pg_locks l where l.locktype = 'advisory'"
                        + " and l.granted and ? = any(pg_blocking_pids(l.pid))", pid) > 0);
    }

    private static int backendPid(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("select pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
