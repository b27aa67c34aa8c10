package io.useractions.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.useractions.infra.ServiceProcess;
import io.useractions.testing.AdminLogin;

/**
 * A study's life at runtime with two ingest services, as two pods would run: registered through the
 * processor's admin API and taken by both within seconds without a restart, its key rotated with an
 * overlap, closed (410 on both), reopened and deleted (410; its rows gone, another study's untouched).
 */
@ExtendWith(SharedPipeline.class)
class StudyLifecycleIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The ingest reads the studies every 2 s by default (every 200 ms here); "within seconds" is this. */
    private static final Duration PICKED_UP = Duration.ofSeconds(8);
    /** The old key's overlap after a rotation: longer than both instances take to learn the new one. */
    private static final Duration OVERLAP = Duration.ofSeconds(4);
    private static TestPipeline pipeline;

    @BeforeAll
    static void startPipeline() {
        pipeline = SharedPipeline.pipeline();
    }

    @Test
    void registerSendRotateCloseReopenDeleteWithTwoIngestInstances() throws Exception {
        List<ServiceProcess> ingests = pipeline.ingests();
        assertEquals(2, ingests.size());
        String study = "life-" + UUID.randomUUID().toString().substring(0, 8);

        JsonNode registered = admin("POST", "", "{\"id\":\"" + study + "\",\"origins\":[\"https://lab.example\"]}", 201);
        String firstKey = registered.get("write_key").asText();
        long start = System.nanoTime();
        for (ServiceProcess ingest : ingests) {
            awaitStatus(ingest, study, firstKey, 202, PICKED_UP);
        }
        System.out.printf("registered study taken by both ingest instances after %d ms%n",
                Duration.ofNanos(System.nanoTime() - start).toMillis());
        for (ServiceProcess ingest : ingests) {
            assertEquals(202, post(ingest, study, firstKey, "p-1", 5).statusCode());
        }

        // Rotation with an overlap: both keys work on both instances, then only the new one.
        JsonNode rotated = admin("POST", "/" + study + "/keys?overlap=" + OVERLAP.toSeconds() + "s", null, 200);
        String secondKey = rotated.get("write_key").asText();
        for (ServiceProcess ingest : ingests) {
            awaitStatus(ingest, study, secondKey, 202, PICKED_UP);
            assertEquals(202, post(ingest, study, firstKey, "p-1", 1).statusCode(), "the old key during the overlap");
        }
        long overlapEnd = java.time.Instant.parse(rotated.get("previous_keys_valid_until").asText()).toEpochMilli();
        Thread.sleep(Math.max(0, overlapEnd - System.currentTimeMillis() + 200));
        for (ServiceProcess ingest : ingests) {
            HttpResponse<String> old = post(ingest, study, firstKey, "p-1", 1);
            assertEquals(401, old.statusCode(), old.body());
            assertTrue(old.body().contains("\"invalid_key\""), old.body());
            assertEquals(202, post(ingest, study, secondKey, "p-1", 1).statusCode());
        }

        // Close: 410 on both instances within seconds, naming the study; reopen: accepted again.
        admin("POST", "/" + study + "/close", null, 200);
        start = System.nanoTime();
        for (ServiceProcess ingest : ingests) {
            HttpResponse<String> gone = awaitStatus(ingest, study, secondKey, 410, PICKED_UP);
            JsonNode body = JSON.readTree(gone.body());
            assertEquals("study_closed", body.get("error").asText());
            assertEquals("study", body.get("field").asText());
            assertTrue(body.get("message").asText().contains(study), gone.body());
        }
        System.out.printf("closed study refused by both instances after %d ms%n",
                Duration.ofNanos(System.nanoTime() - start).toMillis());
        admin("POST", "/" + study + "/reopen", null, 200);
        for (ServiceProcess ingest : ingests) {
            awaitStatus(ingest, study, secondKey, 202, PICKED_UP);
        }

        // Another study's rows, which the deletion must leave alone.
        String other = "keep-" + UUID.randomUUID().toString().substring(0, 8);
        // Registered through ./ual study, as an operator would.
        String otherKey = JSON.readTree(ual("study", "register", other, "--origin", "https://keep.example"))
                .get("write_key").asText();
        assertTrue(ual("study", "list").contains("\"" + other + "\""));
        // A refused request through ./ual: exit status 1, and the API's JSON answer on stderr naming the problem.
        assertEquals("unknown_study", JSON.readTree(ual(1, "study", "show", "no-such-study")).get("error").asText());
        assertEquals("from", JSON.readTree(ual(1, "dlq", "list", "first")).get("field").asText());
        for (ServiceProcess ingest : ingests) {
            awaitStatus(ingest, other, otherKey, 202, PICKED_UP);
        }
        long sent = pipeline.ingests().size() * 5L;
        awaitRows("ui_action", study, n -> n >= sent);
        awaitRows("ui_action", other, n -> n >= 2);
        long otherRows = pipeline.query("select count(*) from ui_action where study = ?", other);
        long otherPositions = pipeline.query("select count(*) from mouse_position where study = ?", other);
        assertTrue(pipeline.query("select count(*) from mouse_position where study = ?", study) > 0);

        // Delete: 410 on both instances, its rows gone from every table, the other study's untouched.
        JsonNode deleted = admin("DELETE", "/" + study, null, 200);
        assertEquals("deleted", deleted.get("study").get("state").asText());
        // The participants' keys go with the study at once: until an instance has read the deletion, a batch
        // that finds no key cached is refused as a withdrawn participant's; from then on as the deleted study's.
        for (ServiceProcess ingest : ingests) {
            long deadline = System.nanoTime() + PICKED_UP.toNanos();
            String error;
            do {
                HttpResponse<String> gone = awaitStatus(ingest, study, secondKey, 410, PICKED_UP);
                error = JSON.readTree(gone.body()).get("error").asText();
                assertTrue(error.equals("study_deleted") || error.equals("participant_withdrawn"), gone.body());
            } while (!error.equals("study_deleted") && System.nanoTime() < deadline);
            assertEquals("study_deleted", error, ingest.url() + ": the deletion read within " + PICKED_UP);
        }
        for (String table : List.of("ui_action", "mouse_position", "session_quality", "session_histogram", "trial",
                "session_summary")) {
            assertEquals(0, pipeline.query("select count(*) from " + table + " where study = ?", study), table);
        }
        assertEquals(otherRows, pipeline.query("select count(*) from ui_action where study = ?", other));
        assertEquals(otherPositions, pipeline.query("select count(*) from mouse_position where study = ?", other));
        JsonNode audit = admin("GET", "/" + study, null, 200).get("audit");
        assertEquals(List.of("register", "rotate_key", "close", "reopen", "delete"),
                java.util.stream.StreamSupport.stream(audit.spliterator(), false).map(a -> a.get("action").asText())
                        .toList());
    }

    /** Runs ./ual against the test's processor; returns its standard output, failing on a non-zero exit. */
    private static String ual(String... args) throws Exception {
        return ual(0, args);
    }

    /** Runs {@code ./ual args}, expecting {@code status}; returns its stdout, or its stderr when it failed. */
    private static String ual(int status, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("bash", TestPipeline.HOME.resolve("ual").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(false);
        builder.environment().put("UAL_PROCESSOR_URL", pipeline.processor().url());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(status, process.waitFor(), String.join(" ", args) + ": " + err + out);
        return status == 0 ? out : err;
    }

    private static JsonNode admin(String method, String path, String body, int expected) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(pipeline.processor().url() + "/admin/studies" + path))
                .header("Authorization", AdminLogin.basicAuthorization()).timeout(Duration.ofSeconds(30));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(expected, response.statusCode(), method + " " + path + ": " + response.body());
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> post(ServiceProcess ingest, String study, String key, String participant,
            int actions) throws Exception {
        String body = """
                {"study":"%s","participant":"%s","session":"%s","sent_at":%d,"actions":[%s]}"""
                .formatted(study, participant, UUID.randomUUID(), System.currentTimeMillis(),
                        IntStream.rangeClosed(1, actions).mapToObj(seq -> """
                                {"id":"%s","seq":%d,"type":"pointermove","t":%d,"x":1,"y":2,"vw":1280,"vh":800}"""
                                .formatted(UUID.randomUUID(), seq, System.currentTimeMillis()))
                                .collect(Collectors.joining(",")));
        HttpRequest request = HttpRequest.newBuilder(URI.create(ingest.url() + "/v1/batches?key=" + key))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(15)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Posts until the answer has the status (each accepted batch is a real one); fails after {@code within}. */
    private static HttpResponse<String> awaitStatus(ServiceProcess ingest, String study, String key, int status,
            Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        HttpResponse<String> last;
        do {
            last = post(ingest, study, key, "p-1", 1);
            if (last.statusCode() == status) {
                return last;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(ingest.url() + ": still " + last.statusCode() + " after " + within + ", not " + status
                + ": " + last.body());
    }

    private static void awaitRows(String table, String study, Predicate<Long> done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        long rows;
        do {
            rows = pipeline.query("select count(*) from " + table + " where study = ?", study);
            if (done.test(rows)) {
                return;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(table + " has " + rows + " rows of " + study);
    }
}
