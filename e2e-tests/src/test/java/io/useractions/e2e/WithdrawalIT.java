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
import java.util.Arrays;
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

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import io.useractions.model.Topics;
import io.useractions.model.crypto.SealedRecords;
import io.useractions.testing.AdminLogin;
import io.useractions.testing.TopicReader;
import io.useractions.testing.TopicWriter;

/**
 * A study with four participants sending batches through the packaged ingest service and processor; one
 * withdraws in the middle while the others keep sending. Their rows are gone from every table, their
 * later batches (through ingest, and straight to the raw topic) leave none, a replay by the packaged
 * command does not bring them back, and the others' rows are those they sent, row for row: every row
 * stored before the withdrawal is still there unchanged, and the replay re-derives exactly the tables
 * the live path left. After the erasure bound (the key cache's TTL and a poll), nothing of theirs is
 * readable in any topic: their data key is gone, so none of their sealed records opens.
 */
@ExtendWith(SharedPipeline.class)
class WithdrawalIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final List<String> PARTICIPANTS = List.of("p-1", "p-2", "p-3", "p-4");
    private static final String WITHDRAWN = "p-2";
    /** Sends one record after the withdrawn participant's last, on their session's key. */
    private static final String MARKER = "p-marker";
    private static final int BATCHES = 30;
    private static final int ACTIONS = 8;
    private static final Duration KEY_CACHE_TTL = SharedPipeline.KEY_CACHE_TTL;
    /** The session state store's changelog topic (Kafka Streams names it after the application and the store). */
    private static final String SESSION_CHANGELOG = FaultRun.STREAMS_APPLICATION_ID + "-session-state-changelog";
    private static TestPipeline pipeline;

    @BeforeAll
    static void startPipeline() {
        // Summaries every half second (SharedPipeline), so the test sees them while the participants still
        // send; a short key cache, so the erasure bound (the cache's TTL plus a poll) passes within the test.
        pipeline = SharedPipeline.pipeline();
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
            // A page address of their own in every action: text that only they send, for the scan of the topics.
            actions.append(i == 0 ? "" : ",").append(("{\"id\":\"%s\",\"seq\":%d,\"type\":\"%s\",\"t\":%d,\"t_mono\":%d,"
                    + "\"url\":\"http://127.0.0.1:8090/%s\"%s}").formatted(UUID.randomUUID(), seq, type,
                            1764412800000L + seq * 16L, seq * 16, typed(participant), pointer));
        }
        return """
                {"study":"%s","participant":"%s","session":"s-%s","condition":"A","sent_at":1764412801000,
                 "context":{"user_agent":"withdrawal-it"},"actions":[%s]}"""
                .formatted(TestPipeline.STUDY, participant, session, actions);
    }

    /** What only {@code participant} sends. */
    private static String typed(String participant) {
        return "task-of-" + participant + "-xyzzy";
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
        return dump(TestPipeline.STUDY, participant);
    }

    private static Map<String, List<String>> dump(String study, String participant) {
        Map<String, List<String>> dump = new TreeMap<>();
        for (String table : tables()) {
            dump.put(table, pipeline.rows("select to_jsonb(t)::text as row from " + table + " t where study = ? and "
                    + "participant = ? order by 1", study, participant).stream()
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
        return rowsOf(TestPipeline.STUDY, participant);
    }

    private static long rowsOf(String study, String participant) {
        return dump(study, participant).values().stream().mapToLong(List::size).sum();
    }

    /**
     * Scans every record of the raw, projection, dead-letter and session changelog topics (aborted
     * transactions included): none holds the withdrawn participant's distinctive text; each sealed record of
     * theirs no longer opens while each of the others' does; no record in clear names them but the one
     * written straight to the raw topic. Their sealed copies must be found in the raw and projection
     * topics and the changelog, so the scan cannot pass by reading nothing.
     */
    private static void assertNothingOfTheirsReadable(String withdrawn, String distinctive, byte[] straightIn) {
        SealedRecords.Keys keys = pipeline.keys();
        byte[] text = distinctive.getBytes(StandardCharsets.UTF_8);
        // Their code as a JSON field, a COPY field, and a ledger's length-prefixed string.
        List<byte[]> named = List.of(("\"participant\":\"" + withdrawn + "\"").getBytes(StandardCharsets.UTF_8),
                ("\t" + withdrawn + "\t").getBytes(StandardCharsets.UTF_8),
                ("\0" + (char) withdrawn.length() + withdrawn).getBytes(StandardCharsets.UTF_8));
        // Participants withdrawn by other tests of this class are neither theirs nor the others'.
        Set<String> otherWithdrawn = pipeline.rows("select participant from participant_withdrawal").stream()
                .map(row -> (String) row.get("participant")).filter(p -> !p.equals(withdrawn))
                .collect(java.util.stream.Collectors.toSet());
        Map<String, Integer> theirsSealed = new TreeMap<>();
        Map<String, Integer> othersOpened = new TreeMap<>();
        TopicReader reader = TopicReader.of(pipeline.infra.kafkaClientConfig()).readUncommitted();
        for (String topic : List.of(Topics.RAW, Topics.PROJECTION, Topics.DEAD_LETTER, SESSION_CHANGELOG)) {
            for (ConsumerRecord<String, byte[]> record : reader.toEnd(topic)) {
                byte[] value = record.value();
                String where = topic + "-" + record.partition() + "@" + record.offset();
                if (value == null) {
                    continue;
                }
                assertEquals(-1, indexOf(value, text), "their text in " + where);
                if (SealedRecords.isSealed(value)) {
                    String participant = SealedRecords.envelope(value).participant();
                    if (otherWithdrawn.contains(participant)) {
                        continue;
                    }
                    boolean theirs = participant.equals(withdrawn);
                    byte[] opened = SealedRecords.open(value, keys);
                    assertEquals(theirs, opened == null, where + (theirs ? " of theirs opens" : " of another does not"));
                    (theirs ? theirsSealed : othersOpened).merge(topic, 1, Integer::sum);
                } else if (!Arrays.equals(value, straightIn)) {
                    for (byte[] name : named) {
                        assertEquals(-1, indexOf(value, name), "a record in clear naming them: " + where);
                    }
                }
            }
        }
        for (String topic : List.of(Topics.RAW, Topics.PROJECTION, SESSION_CHANGELOG)) {
            assertTrue(theirsSealed.getOrDefault(topic, 0) > 0, "their sealed copies found in " + topic + ": "
                    + theirsSealed);
            assertTrue(othersOpened.getOrDefault(topic, 0) > 0, "the others' open in " + topic + ": " + othersOpened);
        }
        System.out.printf("WithdrawalIT: sealed records of %s unreadable %s, of the others readable %s%n",
                withdrawn, theirsSealed, othersOpened);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
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
        long withdrawnAt = System.nanoTime();
        assertEquals(0, pipeline.query("select count(*) from participant_key where study = ? and participant = ?",
                TestPipeline.STUDY, WITHDRAWN), "their data key deleted with their rows");
        assertEquals(0, rowsOf(WITHDRAWN), "gone from every table at once: " + dump(WITHDRAWN));

        for (Future<?> sender : sending) {
            sender.get();
        }
        senders.shutdown();
        // A later record of theirs straight to the raw topic, as a client of Kafka would write it, then a marker
        // of another participant on the same session key: in their partitions of both topics after everything
        // of the withdrawn participant, so its row proves those were handled.
        // Written in clear by a client that has no key: the one record of theirs this design cannot make unreadable,
        // so it carries none of their distinctive text.
        byte[] straightIn = null;
        try (KafkaProducer<String, byte[]> producer = TopicWriter.producer(pipeline.infra.kafkaClientConfig())) {
            for (String participant : List.of(WITHDRAWN, MARKER)) {
                String raw = batch(participant, "s-" + WITHDRAWN, BATCHES).replace("{\"study\"",
                        "{\"v\":2,\"received_at\":1764412801500,\"study\"").replace(typed(participant), "straight-in");
                byte[] value = raw.getBytes(StandardCharsets.UTF_8);
                producer.send(new ProducerRecord<>(Topics.RAW, "s-" + WITHDRAWN, value)).get();
                straightIn = straightIn == null ? value : straightIn;
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

        // The bound: every cache of their key has expired (TTL), and a poll in flight has ended.
        long bound = KEY_CACHE_TTL.plusSeconds(2).toNanos() - (System.nanoTime() - withdrawnAt);
        if (bound > 0) {
            Thread.sleep(bound / 1_000_000);
        }
        assertNothingOfTheirsReadable(WITHDRAWN, typed(WITHDRAWN), straightIn);
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        System.out.printf("WithdrawalIT: set-up %d ms, test %d s%n", pipeline.setupMillis(), seconds);
    }

    /**
     * A participant in Chromium going through the study app withdraws in the middle of it, while another
     * participant's browser goes on: the rows of the first are gone, the batches their logger sends after it
     * are refused (410), a replay does not bring them back, the other's rows are intact, and after the bound
     * nothing of theirs is readable in any topic: not the page address they were given (their code in its
     * query), which every action of theirs carried.
     */
    @Test
    void aBrowserParticipantWithdrawnMidStudyIsGoneWhileAnotherBrowserGoesOn() throws Exception {
        String gone = "browser-withdrawn-1";
        String other = "browser-other-1";
        long withdrawnAt;
        Map<String, List<String>> otherBefore;
        try (BrowserScript withdrawing = new BrowserScript(pipeline, "outage", gone, 40);
                BrowserScript going = new BrowserScript(pipeline, "run", other, 40)) {
            withdrawing.until("session");
            going.until("session");
            withdrawing.phase("before-outage");
            await("their consent and start as rows").atMost(Duration.ofSeconds(30))
                    .until(() -> pipeline.query("select count(*) from ui_action where study = 'demo' and participant = ?",
                            gone) > 0 && pipeline.query("select count(*) from session_summary where study = 'demo' "
                            + "and participant = ?", gone) == 1);
            otherBefore = dump("demo", other);

            int status = post(pipeline.processor().url() + "/admin/withdrawals",
                    "{\"study\":\"demo\",\"participant\":\"%s\",\"reason\":\"withdrawal-it\"}".formatted(gone),
                    "Content-Type", "application/json", "Authorization", AdminLogin.basicAuthorization());
            assertEquals(201, status);
            withdrawnAt = System.nanoTime();
            assertEquals(0, rowsOf("demo", gone), "gone from every table at once: " + dump("demo", gone));
            // Every ingest instance learns of it within seconds; from then on their logger's batches get 410.
            String probe = """
                    {"study":"demo","participant":"%s","session":"%s","sent_at":%d,"actions":[{"id":"%s","seq":1,
                     "type":"click","t":%d}]}""".formatted(gone, UUID.randomUUID(), System.currentTimeMillis(),
                    UUID.randomUUID(), System.currentTimeMillis());
            await("the ingest to refuse them").atMost(Duration.ofSeconds(10)).until(() -> {
                // The demo study's local-development key, as the study app's logger sends it.
                int answer = post(pipeline.ingest().url() + "/v1/batches?key=demo-local-dev-key", probe,
                        "Content-Type", "text/plain", "Origin", pipeline.studyApp().url());
                System.out.println("WithdrawalIT: a batch of theirs now gets " + answer);
                return answer == 410;
            });

            withdrawing.proceed();
            withdrawing.until("offlinePath");
            withdrawing.phase("offline-actions-done");
            withdrawing.proceed();
            JsonNode stats = withdrawing.until("drainedMs").get("stats");
            assertTrue(stats.get("rejected").asLong() > 0, "their logger's later batches were refused: " + stats);
            withdrawing.finish();
            going.until("typed");
            going.finishOnce("the other browser's last actions", () -> pipeline.query("select count(*) from ui_action"
                    + " where study = 'demo' and participant = ? and type = 'closing'", other) == 1);
        }
        assertEquals(0, rowsOf("demo", gone), "their later batches left no row: " + dump("demo", gone));
        Map<String, List<String>> otherLive = dump("demo", other);
        for (String table : List.of("ui_action", "mouse_position")) {
            assertTrue(Set.copyOf(otherLive.get(table)).containsAll(otherBefore.get(table)),
                    other + "'s rows of " + table + " from before the withdrawal, unchanged");
        }

        pipeline.replay();
        assertEquals(0, rowsOf("demo", gone), "the replay did not bring them back: " + dump("demo", gone));
        assertEquals(otherLive, dump("demo", other), "the replay re-derives the other's rows as the live path stored them");

        long bound = KEY_CACHE_TTL.plusSeconds(2).toNanos() - (System.nanoTime() - withdrawnAt);
        if (bound > 0) {
            Thread.sleep(bound / 1_000_000);
        }
        assertNothingOfTheirsReadable(gone, "participant=" + gone, null);
    }
}
