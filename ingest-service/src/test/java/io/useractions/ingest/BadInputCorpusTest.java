package io.useractions.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.useractions.infra.LocalInfraTestResource;

/**
 * The bad-input corpus: every case must get its 4xx with a JSON body naming the problem, never a 5xx,
 * while valid batches sent between the cases are all stored. Latency figures are printed, not asserted.
 */
@QuarkusTest
@WithTestResource(LocalInfraTestResource.class)
class BadInputCorpusTest {
    private static final String ID = "0b6c3c1e-8a4f-4a53-9d3e-2f1f6f7c0a01";
    private static final ObjectMapper JSON = new ObjectMapper();

    record Case(String name, String contentType, Supplier<byte[]> body, String key, String origin, int status,
            String error, String field) {
    }

    private static Supplier<byte[]> text(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return () -> bytes;
    }

    private static String valid() {
        return TestBatches.batch("corpus", List.of(UUID.fromString(ID)));
    }

    private static String withAction(String replace, String with) {
        String body = valid();
        assertTrue(body.contains(replace), replace);
        return body.replace(replace, with);
    }

    private static Case bad(String name, String body, int status, String error, String field) {
        return new Case(name, "application/json", text(body), TestBatches.KEY, null, status, error, field);
    }

    static List<Case> corpus() {
        List<Case> cases = new ArrayList<>();
        cases.add(bad("malformed JSON", "{\"study\":", 400, "invalid_batch", null));
        cases.add(bad("not JSON at all", "hello", 400, "invalid_batch", null));
        cases.add(bad("trailing garbage", valid() + "}", 400, "invalid_batch", null));
        cases.add(bad("JSON array root", "[1,2,3]", 400, "invalid_batch", null));
        cases.add(bad("JSON string root", "\"batch\"", 400, "invalid_batch", null));
        cases.add(bad("null root", "null", 400, "invalid_batch", null));
        cases.add(bad("empty object", "{}", 400, "invalid_batch", "study"));
        cases.add(bad("study wrong type", valid().replace("\"study\":\"demo\"", "\"study\":7"), 400, "invalid_batch", "study"));
        cases.add(bad("study empty", valid().replace("\"study\":\"demo\"", "\"study\":\"\""), 400, "invalid_batch", "study"));
        cases.add(bad("participant missing", valid().replace("\"participant\":\"p-001\",", ""), 400, "invalid_batch", "participant"));
        cases.add(bad("participant control chars", valid().replace("p-001", "p\\u0007x"), 400, "invalid_batch", "participant"));
        cases.add(bad("session with spaces", valid().replace("\"session\":\"corpus\"", "\"session\":\"a b\""), 400, "invalid_batch", "session"));
        cases.add(bad("sent_at as string", valid().replace("\"sent_at\":1764412800999", "\"sent_at\":\"now\""), 400, "invalid_batch", "sent_at"));
        cases.add(bad("sent_at fractional", valid().replace("\"sent_at\":1764412800999", "\"sent_at\":1.5"), 400, "invalid_batch", "sent_at"));
        cases.add(bad("actions missing", valid().replaceAll("(?s),\"actions\":\\[.*\\]}$", "}"), 400, "invalid_batch", "actions"));
        cases.add(bad("actions not an array", valid().replaceAll("(?s)\"actions\":\\[.*\\]}$", "\"actions\":{}}"), 400, "invalid_batch", "actions"));
        cases.add(bad("empty batch", valid().replaceAll("(?s)\"actions\":\\[.*\\]}$", "\"actions\":[]}"), 400, "invalid_batch", "actions"));
        cases.add(bad("action not an object", valid().replaceAll("(?s)\"actions\":\\[.*\\]}$", "\"actions\":[42]}"), 400, "invalid_batch", "actions[0]"));
        cases.add(bad("id missing", withAction("\"id\":\"" + ID + "\",", ""), 400, "invalid_batch", "actions[0].id"));
        cases.add(bad("id empty", withAction(ID, ""), 400, "invalid_batch", "actions[0].id"));
        cases.add(bad("id not a UUID", withAction(ID, "12345"), 400, "invalid_batch", "actions[0].id"));
        cases.add(bad("duplicate ids in one batch", valid().replaceAll("(?s)\\]}$", "," + TestBatches.action(UUID.fromString(ID), 2) + "]}"),
                400, "invalid_batch", "actions[1].id"));
        cases.add(bad("seq negative", withAction("\"seq\":1", "\"seq\":-1"), 400, "invalid_batch", "actions[0].seq"));
        cases.add(bad("seq huge", withAction("\"seq\":1", "\"seq\":99999999999999999999"), 400, "invalid_batch", "actions[0].seq"));
        cases.add(bad("type with spaces", withAction("\"type\":\"pointermove\"", "\"type\":\"mouse move\""), 400, "invalid_batch", "actions[0].type"));
        cases.add(bad("t before 1970", withAction("\"t\":1764412800001", "\"t\":-1"), 400, "invalid_batch", "actions[0].t"));
        cases.add(bad("t after year 9999", withAction("\"t\":1764412800001", "\"t\":999999999999999"), 400, "invalid_batch", "actions[0].t"));
        cases.add(bad("t as ISO string", withAction("\"t\":1764412800001", "\"t\":\"2025-11-29T10:00:00Z\""), 400, "invalid_batch", "actions[0].t"));
        cases.add(bad("x as string", withAction("\"x\":1,", "\"x\":\"1\","), 400, "invalid_batch", "actions[0].x"));
        cases.add(bad("x without y", withAction("\"y\":2,", ""), 400, "invalid_batch", "actions[0].y"));
        cases.add(bad("coordinate out of range", withAction("\"x\":1,", "\"x\":1e300,"), 400, "invalid_batch", "actions[0].x"));
        cases.add(bad("unknown action field", withAction("\"vh\":800", "\"vh\":800,\"timestamp\":1"), 400, "invalid_batch", "actions[0].timestamp"));
        cases.add(bad("unknown batch field", valid().replace("\"study\":\"demo\",", "\"study\":\"demo\",\"user\":\"x\","), 400, "invalid_batch", "user"));
        cases.add(bad("duplicate key", valid().replace("\"study\":\"demo\",", "\"study\":\"demo\",\"study\":\"demo\","), 400, "invalid_batch", null));
        cases.add(bad("NUL in data", withAction("\"vh\":800", "\"vh\":800,\"data\":{\"q\":\"a\\u0000b\"}"), 400, "invalid_batch", "actions[0].data.q"));
        cases.add(bad("NUL in a data key", withAction("\"vh\":800", "\"vh\":800,\"data\":{\"a\\u0000\":1}"), 400, "invalid_batch", null));
        cases.add(bad("lone high surrogate", withAction("\"vh\":800", "\"vh\":800,\"data\":{\"q\":\"\\ud800\"}"), 400, "invalid_batch", "actions[0].data.q"));
        cases.add(bad("lone low surrogate in url", withAction("\"url\":\"http://127.0.0.1:8090/\"", "\"url\":\"\\udc00\""), 400, "invalid_batch", "actions[0].url"));
        cases.add(bad("data not an object", withAction("\"vh\":800", "\"vh\":800,\"data\":[1]"), 400, "invalid_batch", "actions[0].data"));
        cases.add(bad("data nested 9 levels", withAction("\"vh\":800", "\"vh\":800,\"data\":" + "{\"a\":".repeat(9) + "1" + "}".repeat(9)),
                400, "invalid_batch", null));
        cases.add(bad("100-level nesting", withAction("\"vh\":800", "\"vh\":800,\"data\":{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}"),
                400, "invalid_batch", null));
        cases.add(bad("target attrs not strings", withAction("\"vh\":800", "\"vh\":800,\"target\":{\"attrs\":{\"n\":3}}"), 400, "invalid_batch", "actions[0].target.attrs.n"));
        byte[] invalidUtf8 = valid().getBytes(StandardCharsets.UTF_8);
        int at = valid().indexOf("p-001");
        invalidUtf8[at] = (byte) 0xC3;
        invalidUtf8[at + 1] = (byte) 0x28;
        cases.add(new Case("invalid UTF-8", "application/json", () -> invalidUtf8, TestBatches.KEY, null, 400, "invalid_batch", null));
        cases.add(new Case("empty body", "application/json", () -> new byte[0], TestBatches.KEY, null, 400, "invalid_batch", null));
        cases.add(bad("10k-element array in data", withAction("\"vh\":800", "\"vh\":800,\"data\":{\"a\":[" + "1,".repeat(9999) + "1]}"),
                413, "payload_too_large", "actions[0]"));
        String many = String.join(",", TestBatches.ids(2001).stream().map(id -> TestBatches.action(id, 1)).toList());
        cases.add(bad("too many actions", valid().replaceAll("(?s)\"actions\":\\[.*\\]}$", "\"actions\":[" + many + "]}"), 413, "payload_too_large", "actions"));
        cases.add(bad("oversized action", withAction("\"vh\":800", "\"vh\":800,\"data\":{\"a\":\"" + "x".repeat(20_000) + "\"}"), 413, "payload_too_large", "actions[0]"));
        byte[] huge = new byte[1_100_000];
        Arrays.fill(huge, (byte) ' ');
        cases.add(new Case("oversized body", "application/json", () -> huge, TestBatches.KEY, null, 413, "payload_too_large", null));
        cases.add(new Case("wrong content type", "application/xml", text("<batch/>"), TestBatches.KEY, null, 415, "unsupported_media_type", null));
        cases.add(new Case("binary content type", "application/octet-stream", text("a=b"), TestBatches.KEY, null, 415, "unsupported_media_type", null));
        cases.add(new Case("missing key", "application/json", text(valid()), null, null, 401, "missing_key", null));
        cases.add(new Case("wrong key", "application/json", text(valid()), "wrong", null, 401, "invalid_key", null));
        cases.add(new Case("unregistered study", "application/json", text(valid().replace("\"study\":\"demo\"", "\"study\":\"nope\"")),
                TestBatches.KEY, null, 403, "unknown_study", null));
        cases.add(new Case("foreign origin", "text/plain", text(valid()), TestBatches.KEY, "https://evil.example", 403, "origin_not_allowed", null));
        return cases;
    }

    /** A plain JDK client, so that the latency measured is the service's and not a test library's. */
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TestHTTPResource("/v1/batches")
    URI endpoint;

    private HttpResponse<String> send(Case c) throws Exception {
        URI uri = c.key() == null ? endpoint : URI.create(endpoint + "?key=" + c.key());
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Content-Type", c.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(c.body().get()));
        if (c.origin() != null) {
            request.header("Origin", c.origin());
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everyBadInputGetsItsJsonErrorAndValidTrafficBetweenIsStored() throws Exception {
        List<Case> cases = corpus();
        assertTrue(cases.size() >= 40, "the corpus has " + cases.size() + " cases");
        List<Long> micros = new ArrayList<>();
        String session = "corpus-valid-" + UUID.randomUUID();
        List<UUID> validIds = new ArrayList<>();
        int rounds = 21;
        for (int round = 0; round < rounds; round++) {
            for (Case c : cases) {
                // Paced under the per-address rate limit (100/s), which AccessTest covers on its own.
                Thread.sleep(12);
                long start = System.nanoTime();
                HttpResponse<String> response = send(c);
                if (round > 0) {
                    // Round 0 warms the JIT up on every error path; latency is taken from the others.
                    micros.add((System.nanoTime() - start) / 1000);
                }
                String where = c.name() + " (round " + round + ")";
                assertEquals(c.status(), response.statusCode(), where + ": " + response.body());
                assertEquals("application/json",
                        response.headers().firstValue("Content-Type").orElse("").split(";")[0], where);
                JsonNode error = JSON.readTree(response.body());
                assertEquals(c.error(), error.path("error").asText(null), where);
                assertEquals(c.status(), error.path("status").asInt(), where);
                assertTrue(error.path("message").asText("").length() > 5, where);
                if (c.field() != null) {
                    assertEquals(c.field(), error.path("field").asText(null), where);
                }
                if (validIds.size() < 200 && (round * cases.size() + cases.indexOf(c)) % 5 == 0) {
                    List<UUID> ids = TestBatches.ids(2);
                    TestBatches.api().contentType("application/json").body(TestBatches.batch(session, ids))
                            .post("/v1/batches").then().statusCode(202);
                    validIds.addAll(ids);
                }
            }
        }
        assertEquals(validIds.size(), TestBatches.recordsOf(session, validIds.size()).size(),
                "valid batches interleaved with bad input are stored completely");
        micros.sort(Long::compare);
        System.out.printf("bad-input corpus: %d cases x %d rounds, %d requests timed after a warm-up round, 0 5xx;"
                + " latency p50 %.1f ms, p99 %.1f ms, max %.1f ms; %d valid actions interleaved, all stored%n",
                cases.size(), rounds, micros.size(),
                micros.get(micros.size() / 2) / 1000.0, micros.get((int) (micros.size() * 0.99)) / 1000.0,
                micros.get(micros.size() - 1) / 1000.0, validIds.size());
    }
}
