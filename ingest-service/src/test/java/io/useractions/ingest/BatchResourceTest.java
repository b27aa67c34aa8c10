package io.useractions.ingest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.useractions.infra.LocalInfraTestResource;
import io.useractions.ingest.config.IngestConfig;
import io.useractions.model.corpus.SampleBatches;
import io.useractions.model.Action;
import io.useractions.model.RawRecord;
import io.useractions.model.RawRecords;
import io.useractions.model.Limits;
import io.useractions.model.RecordHeaders;
import io.useractions.testing.AdminLogin;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;

@QuarkusTest
@WithTestResource(LocalInfraTestResource.class)
class BatchResourceTest {
    @Inject
    Redis redis;

    @Inject
    IngestConfig config;

    @TestHTTPResource("/v1/batches")
    URI batches;

    private static final String STUDY_ORIGIN = "http://127.0.0.1:8090";

    private static String session() {
        return UUID.randomUUID().toString();
    }

    @Test
    void validBatchIsAcceptedAsOneV2RecordKeyedBySession() {
        String session = session();
        List<UUID> ids = SampleBatches.ids(5);
        long before = System.currentTimeMillis();
        TestBatches.api().contentType("application/json").body(SampleBatches.batch(session, ids))
                .when().post("/v1/batches")
                .then().statusCode(202)
                .body("accepted", equalTo(5)).body("duplicates_dropped", equalTo(0));

        List<ConsumerRecord<String, byte[]>> records = TestBatches.recordsOf(session, 5);
        assertEquals(1, records.size(), "one record per batch");
        ConsumerRecord<String, byte[]> record = records.get(0);
        RawRecord raw = RawRecords.decode(record.value(), Limits.DEFAULT);
        assertEquals(RawRecord.V2, raw.v());
        assertEquals(ids, raw.actions().stream().map(Action::id).toList(), "the batch's order");
        assertEquals("p-001", raw.participant());
        assertEquals("A", raw.condition());
        assertEquals(1920, raw.context().screenW());
        assertEquals(1764412800999L, raw.sentAt());
        assertEquals(true, raw.receivedAt() >= before);
        assertEquals("v2", new String(record.headers().lastHeader(RecordHeaders.SCHEMA).value(),
                StandardCharsets.UTF_8));
    }

    @Test
    void aSessionsBatchesStayInOnePartitionInOrder() {
        String session = session();
        List<UUID> ids = SampleBatches.ids(6);
        for (int i = 0; i < 3; i++) {
            TestBatches.api().contentType("application/json").body(SampleBatches.batch(session, ids.subList(2 * i, 2 * i + 2)))
                    .when().post("/v1/batches").then().statusCode(202);
        }
        List<ConsumerRecord<String, byte[]>> records = TestBatches.recordsOf(session, 6);
        assertEquals(1, records.stream().map(ConsumerRecord::partition).distinct().count(),
                "a session stays in one partition");
        assertEquals(ids, TestBatches.actionsIn(records).stream().map(Action::id).toList(), "a session keeps its order");
    }

    @Test
    void textPlainBodyIsAcceptedLikeJsonForSendBeacon() {
        String session = session();
        TestBatches.api().contentType("text/plain;charset=UTF-8").body(SampleBatches.batch(session, SampleBatches.ids(2)))
                .when().post("/v1/batches")
                .then().statusCode(202).body("accepted", equalTo(2));
        assertEquals(2, TestBatches.actionsIn(TestBatches.recordsOf(session, 2)).size());
    }

    @Test
    void sameBatchTwiceIsDroppedAsDuplicatesByRedis() {
        String session = session();
        String body = SampleBatches.batch(session, SampleBatches.ids(3));
        TestBatches.api().contentType("application/json").body(body).when().post("/v1/batches")
                .then().statusCode(202).body("accepted", equalTo(3));
        TestBatches.api().contentType("application/json").body(body).when().post("/v1/batches")
                .then().statusCode(202).body("accepted", equalTo(0)).body("duplicates_dropped", equalTo(3));
        assertEquals(3, TestBatches.actionsIn(TestBatches.recordsOf(session, 3)).size());
        assertEquals("3", redis.send(Request.cmd(Command.HGET).arg("ual:dropped:demo").arg("p-001/" + session))
                .await().indefinitely().toString(), "the session's dropped duplicates, for the research console");
        // The ids went to a set of the session's own, so that no set grows with the whole ingest's rate.
        long ttl = config.dedupe().ttl().toMillis();
        long bucket = System.currentTimeMillis() / ttl;
        long members = 0;
        for (long b : new long[] {bucket - 1, bucket}) {
            String key = config.dedupe().keyPrefix() + session + ":" + b;
            long size = redis.send(Request.cmd(Command.SCARD).arg(key)).await().indefinitely().toLong();
            if (size > 0) {
                long expiresAt = System.currentTimeMillis()
                        + redis.send(Request.cmd(Command.PTTL).arg(key)).await().indefinitely().toLong();
                assertTrue(Math.abs(expiresAt - (b + 2) * ttl) < 5_000,
                        "kept until the end of the bucket after its own, expires at " + expiresAt);
            }
            members += size;
        }
        assertEquals(3, members, "the session's set of seen ids");
    }

    @Test
    void partlySeenBatchProducesOnlyTheNewActions() {
        String session = session();
        List<UUID> ids = SampleBatches.ids(4);
        TestBatches.api().contentType("application/json").body(SampleBatches.batch(session, ids.subList(0, 2)))
                .when().post("/v1/batches").then().statusCode(202);
        TestBatches.api().contentType("application/json").body(SampleBatches.batch(session, ids))
                .when().post("/v1/batches")
                .then().statusCode(202).body("accepted", equalTo(2)).body("duplicates_dropped", equalTo(2));
        List<ConsumerRecord<String, byte[]>> records = TestBatches.recordsOf(session, 4);
        assertEquals(2, records.size(), "the second batch's record holds only its new actions");
        assertEquals(ids, TestBatches.actionsIn(records).stream().map(Action::id).toList());
    }

    @Test
    void malformedJsonIs400NamingTheProblem() {
        TestBatches.api().contentType("application/json").body("{\"study\": \"demo\", ")
                .when().post("/v1/batches")
                .then().statusCode(400).contentType("application/json")
                .body("error", equalTo("invalid_batch"))
                .body("message", startsWith("malformed JSON at line 1"));
    }

    @Test
    void invalidFieldIs400NamingTheFieldAndNothingIsProduced() {
        String session = session();
        String body = SampleBatches.batch(session, SampleBatches.ids(3)).replaceFirst("\"seq\":2", "\"seq\":\"two\"");
        TestBatches.api().contentType("application/json").body(body)
                .when().post("/v1/batches")
                .then().statusCode(400)
                .body("field", equalTo("actions[1].seq"))
                .body("message", containsString("must be an integer"));
        assertEquals(0, TestBatches.recordsOf(session, 0).size(), "one bad action rejects the whole batch");
    }

    @Test
    void bodyOverTheLimitIs413WithAJsonBody() {
        String padding = "x".repeat(1024 * 1024);
        TestBatches.api().contentType("application/json").body("{\"pad\":\"" + padding + "\"}")
                .when().post("/v1/batches")
                .then().statusCode(413).contentType("application/json")
                .body("error", equalTo("payload_too_large"));
    }

    @Test
    void declaredLengthOverTheLimitIs413BeforeTheBodyIsParsed() {
        byte[] body = new byte[2 * 1024 * 1024];
        java.util.Arrays.fill(body, (byte) 'a');
        TestBatches.api().contentType("application/json").body(body)
                .when().post("/v1/batches")
                .then().statusCode(413).contentType("application/json")
                .body("error", equalTo("payload_too_large"))
                .body("message", containsString("over the limit of 1048576"));
    }

    @Test
    void chunkedBodyOverTheServersHardCapIs413WithAJsonBody() throws Exception {
        // No Content-Length, and more than quarkus.http.limits.max-body-size (4 MB): read until the limit.
        HttpResponse<String> answer = postTooLarge(
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[5 * 1024 * 1024])));
        assertEquals(413, answer.statusCode());
        assertEquals(Optional.of("application/json"), answer.headers().firstValue("Content-Type"));
        assertTrue(answer.body().contains("\"error\":\"payload_too_large\""), answer.body());
        assertTrue(answer.body().contains("limit of 1048576 bytes"), answer.body());
    }

    @Test
    void declaredLengthOverTheServersHardCapIs413WithAJsonBody() throws Exception {
        HttpResponse<String> answer = postTooLarge(HttpRequest.BodyPublishers.ofByteArray(new byte[5 * 1024 * 1024]));
        assertEquals(413, answer.statusCode());
        assertEquals(Optional.of("application/json"), answer.headers().firstValue("Content-Type"));
        assertTrue(answer.body().contains("over the limit of 1048576"), answer.body());
        assertEquals(Optional.of(STUDY_ORIGIN), answer.headers().firstValue("Access-Control-Allow-Origin"),
                "the study page can read the answer");
    }

    @Test
    void refusedBodyThatStopsArrivingIsAnsweredAfterTheDrainTimeAndClosed() throws Exception {
        try (java.net.Socket socket = new java.net.Socket(batches.getHost(), batches.getPort())) {
            socket.setSoTimeout(25_000);
            java.io.OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/batches?key=" + SampleBatches.KEY + " HTTP/1.1\r\nHost: " + batches.getHost()
                    + "\r\nContent-Type: application/json\r\nContent-Length: 5000000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[1024]);
            out.flush();
            long sent = System.nanoTime();
            // Read until the server closes: a server that kept waiting would hit the 25 s read timeout.
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            long waitedMillis = (System.nanoTime() - sent) / 1_000_000;
            assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
            assertTrue(answer.contains("\"error\":\"payload_too_large\""), answer);
            // The drain time (2 s in tests) counts from the headers, a moment before "sent".
            long drainMillis = config.refusedBodyDrainTime().toMillis();
            assertTrue(waitedMillis >= drainMillis - 500,
                    "answered after " + waitedMillis + " ms, before the drain time of " + drainMillis + " ms");
        }
    }

    private HttpResponse<String> postTooLarge(HttpRequest.BodyPublisher body) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(batches + "?key=" + SampleBatches.KEY))
                .header("Content-Type", "application/json").header("Origin", STUDY_ORIGIN).POST(body).build();
        // One try: the server reads and drops the refused body before it answers, so no reset can lose the answer.
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void tooManyActionsIs413NamingTheLimit() {
        TestBatches.api().contentType("application/json").body(SampleBatches.batch(session(), SampleBatches.ids(2001)))
                .when().post("/v1/batches")
                .then().statusCode(413).body("field", equalTo("actions"))
                .body("message", containsString("limit of 2000"));
    }

    @Test
    void otherContentTypeIs415WithAJsonBody() {
        TestBatches.api().contentType("application/xml").body("<batch/>")
                .when().post("/v1/batches")
                .then().statusCode(415).contentType("application/json")
                .body("error", equalTo("unsupported_media_type"));
    }

    @Test
    void chunkedBatchLargerThanTheFirstBufferIsAccepted() throws Exception {
        // No Content-Length: the body grows from 16 kB as its chunks arrive.
        String session = session();
        byte[] body = SampleBatches.batch(session, SampleBatches.ids(200)).getBytes(StandardCharsets.UTF_8);
        assertTrue(body.length > 16 * 1024, "larger than the first buffer: " + body.length);
        HttpRequest request = HttpRequest.newBuilder(URI.create(batches + "?key=" + SampleBatches.KEY))
                .header("Content-Type", "application/json").header("Origin", STUDY_ORIGIN)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build();
        HttpResponse<String> answer = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(202, answer.statusCode(), answer.body());
        assertEquals("{\"accepted\":200,\"duplicates_dropped\":0}", answer.body());
        assertEquals(Optional.of(STUDY_ORIGIN), answer.headers().firstValue("Access-Control-Allow-Origin"));
        assertEquals(200, TestBatches.recordsOf(session, 200).stream()
                .mapToInt(record -> RawRecords.decode(record.value(), Limits.DEFAULT).actions().size()).sum());
    }

    @Test
    void otherMethodIs405WithAJsonBody() {
        TestBatches.api().when().get("/v1/batches")
                .then().statusCode(405).contentType("application/json").header("Allow", "POST, OPTIONS")
                .body("error", equalTo("method_not_allowed"));
    }

    @Test
    void unknownPathIs404WithAJsonBody() {
        TestBatches.api().contentType("application/json").body("{}")
                .when().post("/v2/batches")
                .then().statusCode(404).body("error", equalTo("not_found"));
    }

    @Test
    void legacySeedFormatIsMappedOntoV1() {
        String user = "legacy-" + UUID.randomUUID();
        String body = """
                [{"name":"click","timestamp":1764412800000,"page_x":10,"page_y":220,"client_x":10,"client_y":20,
                  "screen_x":110,"screen_y":320,"element_id":"btn","user":"%s","condition_1":"B"}]""".formatted(user);
        TestBatches.api().contentType("application/json").body(body).queryParam("study", "demo")
                .when().post("/analytics")
                .then().statusCode(202).body("accepted", equalTo(1));
        TestBatches.api().contentType("application/json").body(body).queryParam("study", "demo")
                .when().post("/analytics")
                .then().statusCode(202).body("duplicates_dropped", equalTo(1));
        String session = UUID.nameUUIDFromBytes(("legacy\0demo\0" + user).getBytes(StandardCharsets.UTF_8))
                .toString();
        List<ConsumerRecord<String, byte[]>> records = TestBatches.recordsOf(session, 1);
        assertEquals(1, records.size());
        RawRecord raw = RawRecords.decode(records.get(0).value(), Limits.DEFAULT);
        assertEquals(user, raw.participant());
        assertEquals("B", raw.condition());
        assertEquals(20.0, raw.actions().get(0).y());
        assertEquals("btn", raw.actions().get(0).target().id());
    }

    @Test
    void corsPreflightIsAnsweredForTheStudyAppOrigin() {
        given().header("Origin", "http://127.0.0.1:8090").header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type")
                .when().options("/v1/batches")
                .then().statusCode(200).header("Access-Control-Allow-Origin", "http://127.0.0.1:8090");
    }

    @Test
    void readinessReportsKafkaAndRedis() {
        given().when().get("/q/health/ready")
                .then().statusCode(200).body("status", equalTo("UP"))
                .body(containsString("redis-dedupe-cache"))
                .body(containsString("ui-actions"));
        given().when().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void metricsCountAcceptedDuplicatesAndRejected() {
        String body = SampleBatches.batch(session(), SampleBatches.ids(1));
        TestBatches.api().contentType("application/json").body(body).post("/v1/batches").then().statusCode(202);
        TestBatches.api().contentType("application/json").body(body).post("/v1/batches").then().statusCode(202);
        TestBatches.api().contentType("application/json").body("nope").post("/v1/batches").then().statusCode(400);
        given().auth().preemptive().basic(AdminLogin.USER, AdminLogin.PASSWORD).when().get("/q/metrics")
                .then().statusCode(200)
                .body(containsString("ual_ingest_actions_accepted_total"))
                .body(containsString("ual_ingest_duplicates_dropped_total"))
                .body(containsString("ual_ingest_batches_rejected_total{reason=\"invalid_batch\"}"));
    }
}
