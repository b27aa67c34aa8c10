package io.useractions.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.useractions.model.Topics;
import io.useractions.testing.AdminLogin;
import io.useractions.testing.TopicWriter;

/**
 * A study with four participants sending batches through the packaged ingest service and processor; one
 * withdraws in the middle while the others keep sending. Their rows are gone from every table, their
 * later batches (through ingest, and straight to the raw topic) leave none, a replay by the packaged
 * command does not bring them back, and the others' rows are those they sent, row for row: every row
 * stored before the withdrawal is still there unchanged, and the replay re-derives exactly the tables
 * the live path left.
 */
class WithdrawalIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final List<String> PARTICIPANTS = List.of("p-1", "p-2", "p-3", "p-4");
    private static final String WITHDRAWN = "p-2";
    /** Sends one record after the withdrawn participant's last, on their session's key. */
    private static final String MARKER = "p-marker";
    private static final int BATCHES = 30;
    private static final int ACTIONS = 8;
    private static TestPipeline pipeline;

    @BeforeAll
    static void startPipeline() {
        // Summaries every half second, so the test sees them while the participants still send.
        pipeline = new TestPipeline().withEnv("UAL_PROCESSOR_SESSIONS_EMIT_INTERVAL", "500ms").start(false);
    }

    @AfterAll
    static void stopPipeline() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    /** One trial per batch: start, pointer moves, a click, end. */
    private static String batch(String participant, int number) {
        return batch(participant, "s-" + participant, number);
    }

    private static String batch(String participant, String session, int number) {
        StringBuilder actions = new StringBuilder();
        for (int i = 0; i < ACTIONS; i++) {
            int seq = number * ACTIONS + i + 1;
            String type = i == 0 ? "trial:start" : i == ACTIONS - 1 ? "trial:end" : i == ACTIONS - 2 ? "click"
                    : "pointermove";
            String pointer = type.startsWith("trial") ? ",\"data\":{\"trial\":%d}".formatted(number + 1)
                    : ",\"x\":%d.5,\"y\":%d,\"vw\":1280,\"vh\":800".formatted(seq, seq * 2);
            actions.append(i == 0 ? "" : ",").append("{\"id\":\"%s\",\"seq\":%d,\"type\":\"%s\",\"t\":%d,\"t_mono\":%d%s}"
                    .formatted(UUID.randomUUID(), seq, type, 1764412800000L + seq * 16L, seq * 16, pointer));
        }
        return """
                {"study":"%s","participant":"%s","session":"s-%s","condition":"A","sent_at":1764412801000,
                 "context":{"user_agent":"withdrawal-it"},"actions":[%s]}"""
                .formatted(TestPipeline.STUDY, participant, session, actions);
    }

    private static int post(String url, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Every table the sink writes (the core ones, trial and session_summary, the derived ones) and the summaries. */
    private static List<String> tables() {
        List<String> tables = new ArrayList<>(List.of("ui_action", "mouse_position", "trial", "session_summary",
                "session_quality", "session_histogram"));
        pipeline.rows("select name from ual_derived_table order by name")
                .forEach(row -> tables.add((String) row.get("name")));
        return tables;
    }

    /** The participant's rows in every table, as JSON text, sorted, by table. */
    private static Map<String, List<String>> dump(String participant) {
        Map<String, List<String>> dump = new TreeMap<>();
        for (String table : tables()) {
            dump.put(table, pipeline.rows("select to_jsonb(t)::text as row from " + table + " t where study = ? and "
                    + "participant = ? order by 1", TestPipeline.STUDY, participant).stream()
                    .map(row -> (String) row.get("row")).toList());
        }
        return dump;
    }

    private static Map<String, Map<String, List<String>>> others() {
        Map<String, Map<String, List<String>>> others = new TreeMap<>();
        PARTICIPANTS.stream().filter(p -> !p.equals(WITHDRAWN)).forEach(p -> others.put(p, dump(p)));
        return others;
    }

    private static long rowsOf(String participant) {
        return dump(participant).values().stream().mapToLong(List::size).sum();
    }

    @Test
    void aParticipantWithdrawnInTheMiddleIsGoneForGoodAndTheOthersAreIntact() throws Exception {
        long started = System.nanoTime();
        CountDownLatch halfway = new CountDownLatch(PARTICIPANTS.size());
        // The senders wait at halfway until the withdrawal is under way, so that it always falls in the middle
        // of their sending: a slow summary must not let them finish first.
        CountDownLatch goOn = new CountDownLatch(1);
        AtomicBoolean withdrawn = new AtomicBoolean();
        Map<String, Integer> acceptedAfter = new ConcurrentHashMap<>();
        ExecutorService senders = Executors.newFixedThreadPool(PARTICIPANTS.size());
        List<Future<?>> sending = new ArrayList<>();
        for (String participant : PARTICIPANTS) {
            sending.add(senders.submit(() -> {
                for (int number = 0; number < BATCHES; number++) {
                    boolean after = withdrawn.get();
                    int status = post(pipeline.batchesUrl(), batch(participant, number), "Content-Type", "text/plain");
                    // 202; a withdrawn participant's batches may be refused (410) once ingest knows of withdrawals.
                    assertTrue(status == 202 || participant.equals(WITHDRAWN) && after && status == 410,
                            participant + " batch " + number + ": " + status);
                    if (after && status == 202) {
                        acceptedAfter.merge(participant, 1, Integer::sum);
                    }
                    if (number == BATCHES / 2) {
                        halfway.countDown();
                        goOn.await(60, TimeUnit.SECONDS);
                    }
                    Thread.sleep(100);
                }
                return null;
            }));
        }
        halfway.await();
        await("the withdrawn participant's rows so far").atMost(Duration.ofSeconds(20))
                .until(() -> pipeline.query("select count(*) from session_summary where study = ? and participant = ?",
                        TestPipeline.STUDY, WITHDRAWN) == 1);
        Map<String, Map<String, List<String>>> before = others();

        String body = "{\"study\":\"%s\",\"participant\":\"%s\",\"reason\":\"withdrawal-it\"}"
                .formatted(TestPipeline.STUDY, WITHDRAWN);
        // Set first: the ingest may refuse their batches (410) before this request has returned.
        withdrawn.set(true);
        goOn.countDown();
        int status = post(pipeline.processor().url() + "/admin/withdrawals", body, "Content-Type", "application/json",
                "Authorization", AdminLogin.basicAuthorization());
        assertEquals(201, status);
        assertEquals(0, rowsOf(WITHDRAWN), "gone from every table at once: " + dump(WITHDRAWN));

        for (Future<?> sender : sending) {
            sender.get();
        }
        senders.shutdown();
        // A later record of theirs straight to the raw topic, as a client of Kafka would write it, then a marker
        // of another participant on the same session key: in their partitions of both topics after everything
        // of the withdrawn participant, so its row proves those were handled.
        try (KafkaProducer<String, byte[]> producer = TopicWriter.producer(pipeline.infra.kafkaClientConfig())) {
            for (String participant : List.of(WITHDRAWN, MARKER)) {
                String raw = batch(participant, "s-" + WITHDRAWN, BATCHES).replace("{\"study\"",
                        "{\"v\":2,\"received_at\":1764412801500,\"study\"");
                producer.send(new ProducerRecord<>(Topics.RAW, "s-" + WITHDRAWN, raw.getBytes(StandardCharsets.UTF_8)))
                        .get();
            }
        }
        assertTrue(acceptedAfter.keySet().stream().anyMatch(p -> !p.equals(WITHDRAWN)),
                "the others sent batches after the withdrawal: " + acceptedAfter);

        await("every other participant's actions and summaries, and the marker").atMost(Duration.ofSeconds(30))
                .until(() -> pipeline.query("select count(*) from session_summary where study = ? and actions = ? "
                        + "and participant <> ?", TestPipeline.STUDY, BATCHES * ACTIONS, MARKER) == PARTICIPANTS.size() - 1
                        && pipeline.query("select count(*) from ui_action where study = ? and participant = ?",
                        TestPipeline.STUDY, MARKER) == ACTIONS);
        assertEquals(0, rowsOf(WITHDRAWN), "their later batches left no row: " + dump(WITHDRAWN));

        Map<String, Map<String, List<String>>> live = others();
        for (String participant : before.keySet()) {
            for (String table : List.of("ui_action", "mouse_position", "click")) {
                if (before.get(participant).containsKey(table)) {
                    Set<String> now = Set.copyOf(live.get(participant).get(table));
                    assertTrue(now.containsAll(before.get(participant).get(table)),
                            participant + "'s rows of " + table + " from before the withdrawal, unchanged");
                }
            }
            assertEquals(BATCHES * ACTIONS, live.get(participant).get("ui_action").size());
            assertEquals(BATCHES, live.get(participant).get("trial").size(), participant + ": a trial per batch");
        }

        String output = pipeline.replay();
        assertTrue(output.contains("withdrawn="), output);
        assertEquals(0, rowsOf(WITHDRAWN), "the replay did not bring them back: " + dump(WITHDRAWN));
        assertEquals(live, others(), "the replay re-derives the others' rows exactly as the live path stored them");
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        System.out.printf("WithdrawalIT: set-up %d ms, test %d s%n", pipeline.setupMillis(), seconds);
    }
}
