package io.useractions.model.corpus;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The bad-input corpus of {@code POST /v1/batches}: each case with the answer it must get. The ingest
 * tests check every answer; the benchmark times them against the packaged service. A replayed batch is
 * here too, and is not an error: a client retrying a batch whose answer it lost must get a 202 again,
 * with its actions counted as duplicates dropped.
 */
public final class BadInputCorpus {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One request and its expected answer. A {@code replayed} case must be sent once before it counts
     * (see {@link #prime()}); {@code error} and {@code field} are the JSON body's, null when not checked.
     */
    public record Case(String name, String contentType, byte[] body, String key, String origin, int status,
            String error, String field, boolean replayed) {

        /** The case's request to {@code endpoint} ({@code POST /v1/batches} of a running service). */
        public HttpRequest request(URI endpoint) {
            URI uri = key == null ? endpoint : URI.create(endpoint + "?key=" + key);
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Content-Type", contentType)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            if (origin != null) {
                request.header("Origin", origin);
            }
            return request.build();
        }

        /** Null when the answer is the expected one, else what is wrong with it. */
        public String problem(int status, String contentType, String body) {
            if (status != this.status) {
                return name + ": status " + status + " instead of " + this.status + ": " + body;
            }
            if (contentType == null || !contentType.split(";")[0].trim().equals("application/json")) {
                return name + ": content type " + contentType;
            }
            JsonNode json;
            try {
                json = JSON.readTree(body);
            } catch (Exception e) {
                return name + ": body is not JSON: " + body;
            }
            if (replayed) {
                return json.path("accepted").asInt(-1) == 0 && json.path("duplicates_dropped").asInt(-1) == 1 ? null
                        : name + ": not counted as a duplicate: " + body;
            }
            if (!error.equals(json.path("error").asText(null)) || json.path("status").asInt() != status
                    || json.path("message").asText("").length() <= 5) {
                return name + ": body " + body;
            }
            if (field != null && !field.equals(json.path("field").asText(null))) {
                return name + ": field " + json.path("field").asText(null) + " instead of " + field;
            }
            return null;
        }
    }

    private final List<Case> cases;
    private final Case replay;

    private BadInputCorpus(List<Case> cases, Case replay) {
        this.cases = List.copyOf(cases);
        this.replay = replay;
    }

    public List<Case> cases() {
        return cases;
    }

    /** The request to send once before the cases, so that the replayed batch is a replay. */
    public Case prime() {
        return replay;
    }

    private static final String ID = "0b6c3c1e-8a4f-4a53-9d3e-2f1f6f7c0a01";

    private static String valid() {
        return SampleBatches.batch("corpus", List.of(UUID.fromString(ID)));
    }

    private static String withAction(String replace, String with) {
        String body = valid();
        if (!body.contains(replace)) {
            throw new IllegalStateException("the sample batch has no " + replace);
        }
        return body.replace(replace, with);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Case bad(String name, String body, int status, String error, String field) {
        return new Case(name, "application/json", utf8(body), SampleBatches.KEY, null, status, error, field, false);
    }

    /** The corpus, with a replayed batch of its own (new ids each time, so that corpora never collide). */
    public static BadInputCorpus create() {
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
        cases.add(bad("duplicate ids in one batch",
                valid().replaceAll("(?s)\\]}$", "," + SampleBatches.action(UUID.fromString(ID), 2) + "]}"),
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
        cases.add(bad("duplicate key inside data", withAction("\"vh\":800", "\"vh\":800,\"data\":{\"k\":1,\"k\":2}"), 400, "invalid_batch", null));
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
        byte[] invalidUtf8 = utf8(valid());
        int at = valid().indexOf("p-001");
        invalidUtf8[at] = (byte) 0xC3;
        invalidUtf8[at + 1] = (byte) 0x28;
        cases.add(new Case("invalid UTF-8", "application/json", invalidUtf8, SampleBatches.KEY, null, 400, "invalid_batch", null, false));
        cases.add(new Case("empty body", "application/json", new byte[0], SampleBatches.KEY, null, 400, "invalid_batch", null, false));
        cases.add(bad("10k-element array in data", withAction("\"vh\":800", "\"vh\":800,\"data\":{\"a\":[" + "1,".repeat(9999) + "1]}"),
                413, "payload_too_large", "actions[0]"));
        String many = String.join(",", SampleBatches.ids(2001).stream().map(id -> SampleBatches.action(id, 1)).toList());
        cases.add(bad("too many actions", valid().replaceAll("(?s)\"actions\":\\[.*\\]}$", "\"actions\":[" + many + "]}"), 413, "payload_too_large", "actions"));
        cases.add(bad("oversized action", withAction("\"vh\":800", "\"vh\":800,\"data\":{\"a\":\"" + "x".repeat(20_000) + "\"}"), 413, "payload_too_large", "actions[0]"));
        byte[] huge = new byte[1_100_000];
        Arrays.fill(huge, (byte) ' ');
        cases.add(new Case("oversized body", "application/json", huge, SampleBatches.KEY, null, 413, "payload_too_large", null, false));
        cases.add(new Case("wrong content type", "application/xml", utf8("<batch/>"), SampleBatches.KEY, null, 415, "unsupported_media_type", null, false));
        cases.add(new Case("binary content type", "application/octet-stream", utf8("a=b"), SampleBatches.KEY, null, 415, "unsupported_media_type", null, false));
        cases.add(new Case("missing key", "application/json", utf8(valid()), null, null, 401, "missing_key", null, false));
        cases.add(new Case("wrong key", "application/json", utf8(valid()), "wrong", null, 401, "invalid_key", null, false));
        cases.add(new Case("unregistered study", "application/json", utf8(valid().replace("\"study\":\"demo\"", "\"study\":\"nope\"")),
                SampleBatches.KEY, null, 403, "unknown_study", null, false));
        cases.add(new Case("foreign origin", "text/plain", utf8(valid()), SampleBatches.KEY, "https://evil.example", 403, "origin_not_allowed", null, false));
        Case replay = new Case("replayed batch", "application/json",
                utf8(SampleBatches.batch("corpus-replay-" + UUID.randomUUID(), SampleBatches.ids(1))), SampleBatches.KEY, null, 202,
                null, null, true);
        cases.add(replay);
        return new BadInputCorpus(cases, replay);
    }
}
