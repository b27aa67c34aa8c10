package io.useractions.ingest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.useractions.infra.LocalInfra;
import io.useractions.infra.LocalInfraTestResource;
import io.useractions.model.corpus.SampleBatches;
import io.useractions.testing.AdminLogin;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;

/** Redis and Kafka taken away under a running service, with the real servers. */
@QuarkusTest
@WithTestResource(LocalInfraTestResource.class)
class DependencyOutageTest {
    @Inject
    Redis redis;

    /**
     * Redis up but not answering (CLIENT PAUSE): the lookup and the write each give up after
     * ual.ingest.dedupe.timeout (250 ms) and the batch is accepted long before Redis answers again.
     */
    @Test
    void redisThatDoesNotAnswerIsBypassedAfterItsTimeout() {
        // A batch first, so that the one measured pays for no start-up or earlier outage.
        TestBatches.api().contentType("application/json").body(SampleBatches.batch(UUID.randomUUID().toString(),
                SampleBatches.ids(2))).when().post("/v1/batches").then().statusCode(202);
        String session = UUID.randomUUID().toString();
        List<UUID> ids = SampleBatches.ids(3);
        double unavailable = dedupeUnavailable();
        redis.send(Request.cmd(Command.CLIENT).arg("PAUSE").arg(12_000).arg("ALL")).await().indefinitely();
        try {
            long start = System.nanoTime();
            TestBatches.api().contentType("application/json").body(SampleBatches.batch(session, ids))
                    .when().post("/v1/batches")
                    .then().statusCode(202).body("accepted", equalTo(3));
            long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertTrue(millis < 6_000, "accepted without waiting for the paused Redis, took " + millis + " ms");
            assertEquals(unavailable + 2, dedupeUnavailable(), "the lookup and the write each timed out");
        } finally {
            // Answers once the pause is over.
            redis.send(Request.cmd(Command.PING)).await().atMost(Duration.ofSeconds(30));
        }
        assertEquals(3, TestBatches.actionsIn(TestBatches.recordsOf(session, 3)).size());
    }

    private static double dedupeUnavailable() {
        String metrics = given().auth().preemptive().basic(AdminLogin.USER, AdminLogin.PASSWORD).when().get("/q/metrics")
                .then().statusCode(200).extract().asString();
        return metrics.lines().filter(line -> line.startsWith("ual_ingest_dedupe_unavailable_total"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void redisDownStillAcceptsAndProducesEveryAction() {
        LocalInfra infra = LocalInfraTestResource.infra();
        String session = UUID.randomUUID().toString();
        List<UUID> ids = SampleBatches.ids(4);
        infra.redis().stop();
        try {
            TestBatches.api().contentType("application/json").body(SampleBatches.batch(session, ids))
                    .when().post("/v1/batches")
                    .then().statusCode(202).body("accepted", equalTo(4));
            given().when().get("/q/health/ready")
                    .then().statusCode(200).body(containsString("\"redis\": \"down\""));
            given().auth().preemptive().basic(AdminLogin.USER, AdminLogin.PASSWORD).when().get("/q/metrics")
                    .then().body(containsString("ual_ingest_dedupe_unavailable_total"));
        } finally {
            infra.redis().start();
        }
        assertEquals(4, TestBatches.actionsIn(TestBatches.recordsOf(session, 4)).size());
    }

    @Test
    void kafkaDownAnswers503WithRetryAfterThenRecovers() {
        LocalInfra infra = LocalInfraTestResource.infra();
        String lost = UUID.randomUUID().toString();
        infra.kafka().stop();
        try {
            long start = System.nanoTime();
            Response response = TestBatches.api().contentType("application/json")
                    .body(SampleBatches.batch(lost, SampleBatches.ids(2)))
                    .when().post("/v1/batches");
            response.then().statusCode(503).header("Retry-After", "5")
                    .body("error", equalTo("unavailable"));
            long waited = Duration.ofNanos(System.nanoTime() - start).toSeconds();
            assertEquals(true, waited < 10, "503 within the ack timeout, was " + waited + " s");
        } finally {
            infra.kafka().start();
        }
        String session = UUID.randomUUID().toString();
        await("the service to recover once Kafka is back").atMost(Duration.ofSeconds(60))
                .until(() -> TestBatches.api().contentType("application/json")
                        .body(SampleBatches.batch(session, SampleBatches.ids(2))).when().post("/v1/batches").statusCode(),
                        status -> status == 202);
    }
}
