package io.useractions.ingest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.UUID;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import io.useractions.infra.LocalInfraTestResource;
import io.useractions.model.corpus.SampleBatches;
import io.useractions.testing.AdminLogin;

/** Write keys, origins and rate limits, with limits low enough to reach in a test ({@link LowLimitsAndSealing}). */
@QuarkusTest
@TestProfile(LowLimitsAndSealing.class)
@WithTestResource(LocalInfraTestResource.class)
class AccessTest {
    @TestHTTPResource
    java.net.URL url;


    @BeforeAll
    static void createSealingTables() throws Exception {
        LowLimitsAndSealing.createSealingTables();
    }

    private static String batch() {
        return SampleBatches.batch(UUID.randomUUID().toString(), SampleBatches.ids(1));
    }

    @Test
    void missingKeyIs401() {
        given().contentType("application/json").body(batch()).post("/v1/batches")
                .then().statusCode(401).body("error", equalTo("missing_key"));
    }

    @Test
    void wrongKeyIs401() {
        given().queryParam("key", "guess").contentType("application/json").body(batch()).post("/v1/batches")
                .then().statusCode(401).body("error", equalTo("invalid_key"));
    }

    @Test
    void unregisteredStudyIs403() {
        given().queryParam("key", SampleBatches.KEY).contentType("application/json")
                .body(batch().replace("\"study\":\"demo\"", "\"study\":\"other\"")).post("/v1/batches")
                .then().statusCode(403).body("error", equalTo("unknown_study"));
    }

    @Test
    void foreignOriginIs403AndTheStudysOriginIsAccepted() {
        TestBatches.api().header("Origin", "https://evil.example").contentType("text/plain").body(batch())
                .post("/v1/batches")
                .then().statusCode(403).body("error", equalTo("origin_not_allowed"));
        TestBatches.api().header("Origin", "http://127.0.0.1:8090").contentType("text/plain").body(batch())
                .post("/v1/batches")
                .then().statusCode(202).header("Access-Control-Allow-Origin", "http://127.0.0.1:8090");
    }

    @Test
    void metricsNeedTheAdminCredentialAndHealthDoesNot() {
        given().get("/q/metrics").then().statusCode(401);
        given().auth().preemptive().basic(AdminLogin.USER, "wrong").get("/q/metrics").then().statusCode(401);
        given().auth().preemptive().basic(AdminLogin.USER, AdminLogin.PASSWORD).get("/q/metrics").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void preflightIsAnsweredOnlyForRegisteredOrigins() {
        given().header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST")
                .options("/v1/batches")
                .then().statusCode(403).body("error", equalTo("origin_not_allowed"));
    }

    @Test
    void aClientThatStopsSendingIsDroppedAndOthersAreServed() throws Exception {
        try (Socket slow = new Socket(url.getHost(), url.getPort())) {
            slow.setSoTimeout(15_000);
            OutputStream out = slow.getOutputStream();
            out.write(("POST /v1/batches?key=" + SampleBatches.KEY + " HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"study\":")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            TestBatches.api().contentType("application/json").body(batch()).post("/v1/batches")
                    .then().statusCode(202);
            long start = System.nanoTime();
            InputStream in = slow.getInputStream();
            while (in.read() >= 0) {
                // drain whatever the server says before it closes
            }
            long waited = (System.nanoTime() - start) / 1_000_000;
            org.junit.jupiter.api.Assertions.assertTrue(waited < 10_000, "closed after " + waited + " ms");
        }
    }

    @Test
    void aFloodOfPreflightsIsRateLimited() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest preflight = HttpRequest.newBuilder(url.toURI().resolve("/v1/batches"))
                .header("Origin", "http://127.0.0.1:8090").header("Access-Control-Request-Method", "POST")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build();
        List<CompletableFuture<HttpResponse<String>>> flood = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            flood.add(client.sendAsync(preflight, HttpResponse.BodyHandlers.ofString()));
        }
        long limited = 0;
        for (CompletableFuture<HttpResponse<String>> response : flood) {
            HttpResponse<String> answer = response.get();
            if (answer.statusCode() == 429) {
                limited++;
                org.junit.jupiter.api.Assertions.assertTrue(answer.body().contains("rate_limited"), answer.body());
            }
        }
        org.junit.jupiter.api.Assertions.assertTrue(limited >= 50, limited + " of 100 preflights were limited");
        // This profile's other tests send from the same address: its bucket (burst 20 at 20/s) is full again
        // 1 s after the last preflight took a token. A matter of time, not an event: a probe would take a token.
        Thread.sleep(1000);
    }

    @Test
    void requestsOverTheKeysRateAre429WithRetryAfter() {
        String body = batch().replace("\"study\":\"demo\"", "\"study\":\"limited\"");
        int limited = 0;
        ValidatableResponse firstLimited = null;
        long started = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            ValidatableResponse response = given().queryParam("key", "limited-key").contentType("application/json")
                    .body(body).post("/v1/batches").then();
            if (response.extract().statusCode() == 429) {
                limited++;
                firstLimited = firstLimited == null ? response : firstLimited;
            }
        }
        // At most the burst (3) and the tokens that came back meanwhile (2/s) pass, however slow the machine.
        double seconds = (System.nanoTime() - started) / 1e9;
        int allowed = 3 + (int) Math.ceil(2 * seconds);
        org.junit.jupiter.api.Assertions.assertTrue(10 - limited <= allowed && limited > 0,
                (10 - limited) + " of 10 passed in " + seconds + " s; at most " + allowed + " may");
        firstLimited.header("Retry-After", "1").body("error", equalTo("rate_limited")).body("retry_after_s", equalTo(1));
    }
}
