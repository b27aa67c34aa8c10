package io.useractions.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import io.useractions.model.RecordHeaders;
import io.useractions.model.Topics;
import io.useractions.testing.TopicReader;
import io.useractions.testing.TopicWriter;

/**
 * The packaged ingest service and stream processor, run as processes against the real broker,
 * PostgreSQL and Redis: HTTP in, rows out, through crashes and restarts.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(SharedPipeline.class)
class PipelineIT {
    /** What the processor logs once it has loaded lz4-java's native code. */
    private static final String NATIVE_LZ4 = "Kafka's lz4 runs in native code";
    private static TestPipeline pipeline;

    @BeforeAll
    static void startPipeline() {
        pipeline = SharedPipeline.pipeline();
    }

    // ---- helpers ----

    static String batch(String session, List<UUID> ids, int keyEvery) {
        String actions = IntStream.range(0, ids.size()).mapToObj(i -> {
            int seq = i + 1;
            String pointer = keyEvery > 0 && seq % keyEvery == 0 ? ""
                    : ",\"x\":%d.5,\"y\":%d,\"page_x\":%d.5,\"page_y\":%d,\"screen_x\":%d,\"screen_y\":%d,\"vw\":1280,\"vh\":800"
                            .formatted(seq, seq * 2, seq, seq * 2 + 300, seq + 40, seq * 2 + 90);
            String type = pointer.isEmpty() ? "keydown" : "pointermove";
            return "{\"id\":\"%s\",\"seq\":%d,\"type\":\"%s\",\"t\":%d,\"t_mono\":%d.125%s}"
                    .formatted(ids.get(i), seq, type, 1764412800000L + seq * 8L, seq * 8, pointer);
        }).collect(Collectors.joining(","));
        return """
                {"study":"%s","participant":"p-1","session":"%s","condition":"A","sent_at":1764412801000,
                 "context":{"user_agent":"e2e","screen_w":1920,"screen_h":1080,"dpr":1},"actions":[%s]}"""
                .formatted(TestPipeline.STUDY, session, actions);
    }

    static List<UUID> ids(int n) {
        return IntStream.range(0, n).mapToObj(i -> UUID.randomUUID()).toList();
    }

    static HttpResponse<String> post(String body) {
        return pipeline.post(body);
    }

    static long query(String sql, Object... args) {
        return pipeline.query(sql, args);
    }

    static long actionsOf(String session) {
        return query("select count(*) from ui_action where session_id = ?", session);
    }

    static long positionsOf(String session) {
        return query("select count(*) from mouse_position where session_id = ?", session);
    }

    // ---- tests ----

    @Test
    @Order(1)
    void postedBatchesAreRowsInBothTablesWithinSeconds() throws Exception {
        String session = UUID.randomUUID().toString();
        List<UUID> ids = ids(50);
        HttpResponse<String> response = post(batch(session, ids, 10));
        assertEquals(202, response.statusCode(), response.body());
        assertTrue(response.body().contains("\"accepted\":50"), response.body());
        long start = System.nanoTime();
        await("rows of the batch").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(25))
                .until(() -> actionsOf(session) == 50 && positionsOf(session) == 45);
        System.out.printf("e2e: 202 -> 50 rows in ui_action and 45 in mouse_position after %d ms%n",
                Duration.ofNanos(System.nanoTime() - start).toMillis());
        assertEquals(1, query("""
                select count(*) from mouse_position where action_id = ? and x = 1.5 and y = 2 and page_x = 1.5
                 and page_y = 302 and screen_x = 41 and screen_y = 92 and vw = 1280 and vh = 800""", ids.get(0)));
        assertEquals(45, query("select count(distinct seq) from mouse_position where session_id = ?", session));
        // Loaded from Quarkus's class loader, where Kafka's own lookup takes the pure-Java lz4 (NativeLz4).
        assertTrue(Files.readString(pipeline.processor().logFile()).contains(NATIVE_LZ4),
                "the packaged processor runs Kafka's lz4 in native code");
    }

    @Test
    @Order(2)
    void theSameBatchAgainAddsNoRows() throws Exception {
        String session = UUID.randomUUID().toString();
        String body = batch(session, ids(20), 0);
        assertEquals(202, post(body).statusCode());
        await("first copy").atMost(Duration.ofSeconds(30)).until(() -> actionsOf(session) == 20);
        HttpResponse<String> again = post(body);
        assertEquals(202, again.statusCode());
        assertTrue(again.body().contains("\"duplicates_dropped\":20"), again.body());
        String marker = UUID.randomUUID().toString();
        assertEquals(202, post(batch(marker, ids(1), 0)).statusCode());
        await("a later batch").atMost(Duration.ofSeconds(30)).until(() -> actionsOf(marker) == 1);
        assertEquals(20, actionsOf(session));
        assertEquals(20, positionsOf(session));
    }

    @Test
    @Order(3)
    void malformedBatchIs400NamingTheProblem() {
        HttpResponse<String> response = post("{\"study\":\"e2e\",\"actions\":[}");
        assertEquals(400, response.statusCode());
        assertTrue(response.body().contains("\"error\":\"invalid_batch\""), response.body());
        assertTrue(response.body().contains("malformed JSON at line 1"), response.body());
    }

    @Test
    @Order(4)
    void poisonRecordGoesToTheDeadLetterTopicAndLaterRecordsAreProjected() throws Exception {
        String poisonKey = "poison-" + UUID.randomUUID();
        try (KafkaProducer<String, byte[]> producer = TopicWriter.producer(pipeline.infra.kafkaClientConfig())) {
            producer.send(new ProducerRecord<>(Topics.RAW, poisonKey,
                    "{\"v\":1,\"garbage\":".getBytes(StandardCharsets.UTF_8))).get();
        }
        String session = UUID.randomUUID().toString();
        assertEquals(202, post(batch(session, ids(5), 0)).statusCode());
        await("records after the poison").atMost(Duration.ofSeconds(30)).until(() -> actionsOf(session) == 5);
        ConsumerRecord<String, byte[]> dead = deadLetter(poisonKey);
        String reason = new String(dead.headers().lastHeader(RecordHeaders.DLQ_REASON).value(), StandardCharsets.UTF_8);
        assertTrue(reason.startsWith("malformed JSON"), reason);
    }

    @Test
    @Order(5)
    void processorKilledMidStreamLosesAndDuplicatesNothing() throws Exception {
        Set<UUID> acked = ConcurrentHashMap.newKeySet();
        AtomicBoolean sending = new AtomicBoolean(true);
        List<String> sessions = IntStream.range(0, 4).mapToObj(i -> UUID.randomUUID().toString()).toList();
        Thread load = new Thread(() -> {
            int n = 0;
            while (sending.get()) {
                String session = sessions.get(n++ % sessions.size());
                List<UUID> batchIds = ids(50);
                if (post(batch(session, batchIds, 7)).statusCode() == 202) {
                    acked.addAll(batchIds);
                }
            }
        });
        load.start();
        for (int crash = 0; crash < 2; crash++) {
            Thread.sleep(1500);
            pipeline.processor().kill();
            Thread.sleep(500);
            pipeline.processor().start();
            pipeline.processor().waitReady();
        }
        Thread.sleep(1000);
        sending.set(false);
        load.join();
        String inList = sessions.stream().map(s -> "'" + s + "'").collect(Collectors.joining(","));
        await("every acknowledged action").atMost(Duration.ofSeconds(60))
                .until(() -> query("select count(*) from ui_action where session_id in (" + inList + ")") >= acked.size());
        long rows = query("select count(*) from ui_action where session_id in (" + inList + ")");
        long distinct = query("select count(distinct id) from ui_action where session_id in (" + inList + ")");
        System.out.printf("e2e: %d actions acknowledged across 2 processor kills, %d rows, %d distinct%n",
                acked.size(), rows, distinct);
        assertEquals(acked.size(), rows, "no loss, no extra rows");
        assertEquals(rows, distinct);
        long pointerActions = query("select count(*) from ui_action where x is not null and session_id in (" + inList + ")");
        assertEquals(pointerActions, query("select count(*) from mouse_position where session_id in (" + inList + ")"));
    }

    @Test
    @Order(6)
    void restartingEverythingOnTheSameDataKeepsRowsAndResumes() throws Exception {
        long before = query("select count(*) from ui_action");
        long positionsBefore = query("select count(*) from mouse_position");
        pipeline.restart();

        assertEquals(before, query("select count(*) from ui_action"));
        String session = UUID.randomUUID().toString();
        assertEquals(202, post(batch(session, ids(10), 0)).statusCode());
        await("a batch after the restart").atMost(Duration.ofSeconds(60)).until(() -> actionsOf(session) == 10);
        await("nothing replayed twice").during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2))
                .until(() -> query("select count(*) from ui_action") == before + 10);
        assertEquals(positionsBefore + 10, query("select count(*) from mouse_position"));
    }

    @Test
    @Order(7)
    void replayCommandReDerivesDamagedTablesFromTheRawTopic() throws Exception {
        String session = UUID.randomUUID().toString();
        List<UUID> ids = ids(20);
        assertEquals(202, post(batch(session, ids, 4)).statusCode());
        await("the batch").atMost(Duration.ofSeconds(60)).until(() -> actionsOf(session) == 20);
        String tables = "select (select string_agg(to_jsonb(a)::text, E'\\n' order by id) from ui_action a) || E'\\n'"
                + " || (select string_agg(to_jsonb(m)::text, E'\\n' order by action_id) from mouse_position m) as dump";
        Object before = pipeline.rows(tables).get(0).get("dump");

        assertEquals(1, query("with d as (delete from mouse_position where action_id = ? returning 1) select count(*) from d",
                ids.get(0)));
        assertEquals(1, query("with d as (delete from ui_action where id = ? returning 1) select count(*) from d",
                ids.get(0)));
        assertEquals(1, query("with u as (update ui_action set data = '{\"edited\":1}' where id = ? returning 1) "
                + "select count(*) from u", ids.get(2)));
        assertNotEquals(before, pipeline.rows(tables).get(0).get("dump"));

        String output = pipeline.replay();

        assertTrue(output.contains("Replay finished: records="), output);
        assertTrue(output.contains(NATIVE_LZ4), output);
        assertEquals(before, pipeline.rows(tables).get(0).get("dump"));
        assertEquals(0, query("select count(*) from pg_tables where tablename in "
                + "('ui_action_replay', 'mouse_position_replay')"));
    }

    private static ConsumerRecord<String, byte[]> deadLetter(String key) {
        return await("a dead letter with key " + key).atMost(Duration.ofSeconds(20)).until(
                () -> TopicReader.of(pipeline.infra.kafkaClientConfig()).toEnd(Topics.DEAD_LETTER).stream()
                        .filter(record -> key.equals(record.key())).findFirst(), Optional::isPresent).get();
    }
}
