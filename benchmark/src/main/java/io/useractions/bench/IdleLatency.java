package io.useractions.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;

import org.HdrHistogram.Histogram;

/**
 * Latency at a low rate: single batches sent one at a time to an idle pipeline, each timed from its 202
 * to the moment its last action is a row. This is what a participant's batch waits when nothing else is
 * going on, bounded below by the processor's commit interval, the sink's fetch wait and poll timeout, and
 * the producers' linger; the throughput settings trade against it.
 */
final class IdleLatency {
    /** Resolution of the row check. */
    private static final Duration POLL = Duration.ofMillis(2);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI endpoint;
    private final Workload workload;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** The slowest batch's number (from 0) and its time in µs, after {@link #run}. */
    int slowest;
    long slowestMicros;

    IdleLatency(URI endpoint, Workload workload) {
        this.endpoint = URI.create(endpoint + "?key=" + Workload.KEY);
        this.workload = workload;
    }

    /** Sends {@code batches} batches one at a time, with a pause between them; the 202 → row times in µs. */
    Histogram run(Connection connection, int batches, Duration pause) throws Exception {
        Histogram micros = new Histogram(3);
        try (PreparedStatement visible = connection.prepareStatement("select 1 from ui_action where id = ?")) {
            for (int i = 0; i < batches; i++) {
                char[] lastId = new char[36];
                byte[] body = workload.next(i, lastId);
                HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(endpoint)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.discarding());
                long acked = System.nanoTime();
                if (answer.statusCode() != 202) {
                    throw new IllegalStateException("batch " + i + " answered " + answer.statusCode());
                }
                visible.setObject(1, UUID.fromString(new String(lastId)));
                long waited = awaitRow(visible, acked) / 1000;
                micros.recordValue(waited);
                if (waited > slowestMicros) {
                    slowestMicros = waited;
                    slowest = i;
                }
                Thread.sleep(pause.toMillis());
            }
        }
        return micros;
    }

    /** Nanoseconds from {@code acked} until the row is there. */
    private static long awaitRow(PreparedStatement visible, long acked) throws SQLException, InterruptedException {
        while (true) {
            try (ResultSet row = visible.executeQuery()) {
                long now = System.nanoTime();
                if (row.next()) {
                    return now - acked;
                }
                if (now - acked > TIMEOUT.toNanos()) {
                    throw new IllegalStateException("a single batch was not a row after " + TIMEOUT.toSeconds() + " s");
                }
            }
            Thread.sleep(POLL.toMillis());
        }
    }
}
