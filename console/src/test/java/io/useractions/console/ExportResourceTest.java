package io.useractions.console;

import static io.restassured.RestAssured.given;
import static io.useractions.console.ConsoleTests.admin;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.containsStringIgnoringCase;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.useractions.infra.LocalInfraTestResource;
import io.useractions.model.Topics;
import io.useractions.testing.AdminLogin;
import io.useractions.testing.TopicWriter;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;

/** The export API against a real PostgreSQL holding the pipeline's tables. */
@QuarkusTest
@WithTestResource(LocalInfraTestResource.class)
class ExportResourceTest {
    private static final String STUDY = "console-test";

    @Inject
    DataSource dataSource;

    @Inject
    Redis redis;

    /** Two trials of one session: start, three moves, end; then start, two moves and a miss, end. */
    @BeforeEach
    void tables() throws SQLException, IOException {
        ConsoleTests.replaceRows(dataSource, STUDY, s -> {
            String[][] actions = {
                {"1", "trial:start", "{\"trial\":1}", null, null}, {"2", "pointermove", null, "100", "500"},
                {"3", "pointermove", null, "90", "400"}, {"4", "pointermove", null, "60", "300"},
                {"5", "trial:end", "{\"trial\":1}", null, null}, {"6", "trial:start", "{\"trial\":2}", null, null},
                {"7", "pointermove", null, "110", "480"}, {"8", "trial:miss", "{\"trial\":2}", null, null},
                {"9", "pointermove", null, "150", "350"}, {"10", "trial:end", "{\"trial\":2}", null, null}};
            for (String[] a : actions) {
                String time = "timestamptz '2026-12-02 06:00:00+00' + interval '" + (Integer.parseInt(a[0]) * 16)
                        + " milliseconds'";
                String id = "'00000000-0000-0000-0070-" + String.format("%012d", Integer.parseInt(a[0])) + "'";
                s.execute("insert into ui_action (id, study, participant, session_id, condition, seq, type,"
                        + " client_time, t_mono, sent_at, received_at, server_time, clock_skew_ms, x, y, data,"
                        + " src_partition, src_offset) values (" + id + ", '" + STUDY + "', 'p-1', 's-1', 'A', "
                        + a[0] + ", '" + a[1] + "', " + time + ", " + (Integer.parseInt(a[0]) * 16.5) + ", " + time
                        + ", " + time + ", " + time + ", 0, " + a[3] + ", " + a[4] + ", "
                        + (a[2] == null ? "null" : "'" + a[2] + "'") + ", 0, " + a[0] + ")");
                if (a[3] != null) {
                    s.execute("insert into mouse_position (action_id, study, participant, session_id, condition,"
                            + " seq, type, client_time, t_mono, x, y, server_time, src_partition, src_offset,"
                            + " src_index) select id, study, participant, session_id, condition, seq, type,"
                            + " client_time, t_mono, x, y, server_time, src_partition, src_offset, src_index"
                            + " from ui_action where id = " + id);
                }
            }
        });
    }

    @Test
    void exportsNeedTheAdminCredential() {
        given().get("/api/v1/studies/" + STUDY + "/export.zip").then().statusCode(401);
        given().auth().preemptive().basic(AdminLogin.USER, "wrong").get("/api/v1/studies/" + STUDY + "/tables/trials.csv")
                .then().statusCode(401);
    }

    @Test
    void thePackageIsAZipOfEveryTableWithItsDataDictionary() throws IOException {
        byte[] zip = admin().get("/api/v1/studies/" + STUDY + "/export.zip").then().statusCode(200)
                .contentType("application/zip")
                .header("Content-Disposition", containsString("ual-console-test-csv.zip"))
                .extract().asByteArray();
        Map<String, byte[]> entries = unzip(zip);
        assertEquals(java.util.Set.of("actions.csv", "positions.csv", "trials.csv", "measures.csv", "trajectories.csv",
                "trajectories_tn.csv", "datapackage.json", "dictionary.md"), entries.keySet());
        String trials = new String(entries.get("trials.csv"), StandardCharsets.UTF_8);
        assertEquals(3, trials.split("\r\n").length, "a header and two trials:\n" + trials);
        assertTrue(trials.contains("p-1/s-1/2"), trials);
        assertTrue(new String(entries.get("datapackage.json"), StandardCharsets.UTF_8).contains("\"profile\""));

        byte[] again = admin().get("/api/v1/studies/" + STUDY + "/export.zip").then().statusCode(200)
                .extract().asByteArray();
        assertArrayEquals(zip, again, "the same data exports byte for byte the same");
    }

    @Test
    void aTableStreamsAsItsOwnFileEqualToThePackagesEntry() throws IOException {
        byte[] zip = admin().queryParam("tables", "trajectories").queryParam("complete-only", "true")
                .get("/api/v1/studies/" + STUDY + "/export.zip").then().statusCode(200).extract().asByteArray();
        String trajectories = admin().queryParam("complete-only", "true")
                .get("/api/v1/studies/" + STUDY + "/tables/trajectories.csv").then().statusCode(200)
                .contentType(startsWith("text/csv")).extract().asString();
        assertEquals(new String(unzip(zip).get("trajectories.csv"), StandardCharsets.UTF_8), trajectories);
        assertTrue(trajectories.startsWith("mt_id,mt_seq,timestamps,xpos,ypos\r\n"), trajectories);
        assertEquals(1 + 3 + 2, trajectories.split("\r\n").length, trajectories);

        byte[] parquet = admin().queryParam("participant", "p-1")
                .get("/api/v1/studies/" + STUDY + "/tables/positions.parquet").then().statusCode(200)
                .contentType("application/vnd.apache.parquet").extract().asByteArray();
        assertEquals("PAR1", new String(parquet, 0, 4, StandardCharsets.US_ASCII));
        assertEquals("PAR1", new String(parquet, parquet.length - 4, 4, StandardCharsets.US_ASCII));
    }

    @Test
    void badRequestsAreClearJsonErrorsBeforeAnyRow() {
        admin().get("/api/v1/studies/no-such-study/export.zip").then().statusCode(404)
                .contentType("application/json").body("status", equalTo(404)).body("error", equalTo("unknown_study"))
                .body("message", containsString("unknown study 'no-such-study'"));
        admin().queryParam("from", "yesterday").get("/api/v1/studies/" + STUDY + "/tables/trials.csv").then()
                .statusCode(400).body("error", equalTo("invalid_request"))
                .body("message", containsString("from: 'yesterday' is not an ISO-8601 time"));
        admin().get("/api/v1/studies/" + STUDY + "/tables/sessions.csv").then().statusCode(400)
                .body("message", containsString("unknown table 'sessions'"));
        admin().get("/api/v1/studies/" + STUDY + "/tables/trials.xlsx").then().statusCode(400)
                .body("message", containsString("unknown format 'xlsx'"));
        admin().queryParam("condition", "Z").get("/api/v1/studies/" + STUDY + "/export.zip").then().statusCode(400)
                .body("message", equalTo("study '" + STUDY + "' has no condition 'Z'"));
        admin().queryParam("colour", "red").get("/api/v1/studies/" + STUDY + "/export.zip").then().statusCode(400)
                .body("message", equalTo("unknown query parameter 'colour'"));
        admin().queryParam("format", "parquet").get("/api/v1/studies/" + STUDY + "/tables/trials.csv").then()
                .statusCode(400).body("message", containsString("'format' is given by the table's file name"));
        admin().get("/api/v1/no-such-thing").then().statusCode(404).contentType("application/json")
                .body("error", equalTo("not_found"));
        admin().delete("/api/v1/studies/" + STUDY + "/export.zip").then().statusCode(405)
                .contentType("application/json").body("error", equalTo("method_not_allowed"));
    }

    @Test
    void qualityCountsEachSessionsActionsSamplesAndTrials() {
        admin().get("/api/v1/studies/" + STUDY + "/quality").then().statusCode(200)
                .body("study", equalTo(STUDY))
                .body("sessions", equalTo(1))
                .body("actions", equalTo(10))
                .body("pointer_samples", equalTo(5))
                .body("session_list[0].participant", equalTo("p-1"))
                .body("session_list[0].lost", equalTo(0))
                .body("session_list[0].trials_completed", equalTo(2))
                // steps of 16.5, 16.5, 33 and 49.5 ms: the lower median, read as its quarter-millisecond bucket
                .body("session_list[0].interval_median_ms", equalTo(16.625f))
                .body("session_list[0].problems[0]", containsString("silent for"));
        admin().get("/api/v1/studies/no-such-study/quality").then().statusCode(404)
                .body("message", containsString("unknown study"));
        given().get("/api/v1/studies/" + STUDY + "/quality").then().statusCode(401);
    }

    @Test
    void thePageIsServedBehindTheCredentialWithItsOwnAssets() {
        given().get("/").then().statusCode(401).header("WWW-Authenticate", containsStringIgnoringCase("basic realm=\"UserActionsLogging\""));
        admin().get("/").then().statusCode(200).body(containsString("Research console"))
                .body(containsString("src=\"console.js\""));
        admin().get("/console.js").then().statusCode(200).body(containsString("/quality"));
    }

    @Test
    void theTrajectoryPlotHoldsOnePathPerCompletedTrialAndTheMean() {
        String svg = admin().get("/api/v1/studies/" + STUDY + "/trajectories.svg").then().statusCode(200)
                .contentType(startsWith("image/svg+xml")).extract().asString();
        assertEquals(2, svg.split("<polyline class=\"trial\"").length - 1, svg);
        assertEquals(1, svg.split("<polyline class=\"mean\"").length - 1, svg);
        assertTrue(svg.contains("data-mt-id=\"p-1/s-1/1\"") && svg.contains("data-mt-id=\"p-1/s-1/2\""), svg);
        admin().queryParam("format", "csv").get("/api/v1/studies/" + STUDY + "/trajectories.svg").then()
                .statusCode(400).body("message", equalTo("'format' does not apply to a plot"));
        admin().get("/api/v1/studies/no-such-study/trajectories.svg").then().statusCode(404);
    }

    @Test
    void deadLettersAreCountedPerStudyAndSessionFromTheDeadLetterTopic() throws Exception {
        String quality = "/api/v1/studies/" + STUDY + "/quality";
        await("the quality overview's dead-letter count").atMost(Duration.ofSeconds(30))
                .until(() -> admin().get(quality).then().extract().path("dead_letters") != null);
        int study = admin().get(quality).then().extract().path("dead_letters");
        int session = admin().get(quality).then().extract().path("session_list[0].dead_letters");
        Map<String, Object> kafka = LocalInfraTestResource.servers().kafkaClientConfig();
        TopicWriter.send(kafka, Topics.DEAD_LETTER, "s-1", "{\"v\":1,\"study\":\"" + STUDY
                + "\",\"participant\":\"p-1\",\"session\":\"s-1\",\"action\":{\"seq\":\"x\"}}");
        TopicWriter.send(kafka, Topics.DEAD_LETTER, "s-1", "not json at all");
        await("the study's dead letters counted up by one").atMost(Duration.ofSeconds(30))
                .until(() -> Integer.valueOf(study + 1)
                        .equals(admin().get(quality).then().extract().path("dead_letters")));
        admin().get(quality).then().body("session_list[0].dead_letters", equalTo(session + 1));
    }

    @Test
    void duplicatesTheIngestDroppedAreShownPerSessionFromItsCountsInRedis() {
        String quality = "/api/v1/studies/" + STUDY + "/quality";
        redis.send(Request.cmd(Command.DEL).arg("ual:dropped:" + STUDY)).await().indefinitely();
        admin().get(quality).then().body("duplicates_dropped", equalTo(0))
                .body("session_list[0].duplicates_dropped", equalTo(0));
        redis.send(Request.cmd(Command.HINCRBY).arg("ual:dropped:" + STUDY).arg("p-1/s-1").arg(7)).await().indefinitely();
        redis.send(Request.cmd(Command.HINCRBY).arg("ual:dropped:" + STUDY).arg("p-9/s-9").arg(2)).await().indefinitely();
        admin().get(quality).then().body("duplicates_dropped", equalTo(9))
                .body("session_list[0].duplicates_dropped", equalTo(7));
    }

    @Test
    void aStudysReadKeyOpensThatStudyAndNoOther() {
        RequestSpecification reader = given().auth().preemptive().basic(STUDY, "console-test-read-key");
        reader.get("/").then().statusCode(200).body(containsString("Research console"));
        reader.get("/api/v1/studies/" + STUDY + "/quality").then().statusCode(200).body("actions", equalTo(10));
        reader.get("/api/v1/studies/" + STUDY + "/tables/trials.csv").then().statusCode(200);
        reader.get("/api/v1/studies/other-study/quality").then().statusCode(403).contentType("application/json")
                .body("error", equalTo("forbidden")).body("field", equalTo("study")).body("message", equalTo("signed in for study '" + STUDY + "', which is not study 'other-study'"));
        reader.get("/api/v1/studies/other-study/export.zip").then().statusCode(403);
        given().auth().preemptive().basic(STUDY, "wrong-key").get("/api/v1/studies/" + STUDY + "/quality").then()
                .statusCode(401);
        given().auth().preemptive().basic(AdminLogin.USER, "console-test-read-key").get("/").then().statusCode(401);
    }

    @Test
    void healthIsOpen() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    private static Map<String, byte[]> unzip(byte[] zip) throws IOException {
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                entries.put(entry.getName(), in.readAllBytes());
            }
        }
        return entries;
    }
}
