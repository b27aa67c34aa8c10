package io.useractions.processor.studies;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.useractions.infra.LocalInfraTestResource;
import io.useractions.model.Jdbc;
import io.useractions.model.Topics;
import io.useractions.model.WriteKey;
import io.useractions.processor.TestSupport;
import io.useractions.processor.replay.Replay;
import io.useractions.testing.AdminLogin;

/** /admin/studies against the real PostgreSQL and broker: keys only hashed, clear errors, deletion everywhere. */
@QuarkusTest
@WithTestResource(LocalInfraTestResource.class)
class StudyAdminTest {
    @Inject
    DataSource dataSource;

    @Inject
    Replay replay;

    @Inject
    StudyRetention retention;

    private static RequestSpecification admin() {
        return given().auth().preemptive().basic(AdminLogin.USER, AdminLogin.PASSWORD).contentType("application/json");
    }

    private static String newId() {
        return "s-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private long count(String sql, Object... args) {
        return TestSupport.count(dataSource, sql, args);
    }

    private static Response register(String id, String origins) {
        return admin().body("{\"id\":\"" + id + "\",\"origins\":" + origins + "}").post("/admin/studies");
    }

    @Test
    void registerAnswersTheKeyOnceAndStoresOnlyItsHash() {
        String id = newId();
        String key = register(id, "[\"https://a.example\"]").then().statusCode(201)
                .body("study.id", equalTo(id)).body("study.state", equalTo("open"))
                .body("study.origins", equalTo(List.of("https://a.example")))
                .body("study.keys", hasSize(1)).body("study.keys[0].active", equalTo(true))
                .extract().path("write_key");
        assertEquals(43, key.length());
        assertEquals(1, count("select count(*) from study_key where study = ? and key_hash = ?", id, WriteKey.hash(key)));
        assertEquals(0, count("select count(*) from study_key where key_hash = ? or key_hash like '%' || ? || '%'",
                key, key));
        String shown = admin().get("/admin/studies/" + id).then().statusCode(200)
                .body("audit[0].action", equalTo("register")).body("audit[0].actor", equalTo("admin"))
                .extract().asString();
        assertFalse(shown.contains(key) || shown.contains(WriteKey.hash(key)), shown);
        String listed = admin().get("/admin/studies").then().statusCode(200).extract().asString();
        assertTrue(listed.contains("\"" + id + "\"") && !listed.contains(key) && !listed.contains(WriteKey.hash(key)));
    }

    @Test
    void badInputGetsClearJsonErrors() {
        String id = newId();
        register(id, "[]").then().statusCode(201);
        register(id, "[]").then().statusCode(409).body("error", equalTo("study_exists")).body("field", equalTo("id"));
        register("bad id", "[]").then().statusCode(400).body("error", equalTo("invalid_study"));
        register(newId(), "[\"https://ok.example\",\"https://a.example/path\"]").then().statusCode(400)
                .body("error", equalTo("invalid_origin")).body("field", equalTo("origins[1]"));
        admin().body("{\"id\":\"" + newId() + "\",\"retention\":\"forever\"}").post("/admin/studies").then()
                .statusCode(400).body("error", equalTo("invalid_duration")).body("field", equalTo("retention"));
        admin().body("{not json").post("/admin/studies").then().statusCode(400).body("error", equalTo("invalid_body"));
        admin().queryParam("overlap", "soon").post("/admin/studies/" + id + "/keys").then().statusCode(400)
                .body("error", equalTo("invalid_duration")).body("field", equalTo("overlap"));
        for (String path : List.of("/close", "/reopen", "/keys")) {
            admin().post("/admin/studies/no-such-study" + path).then().statusCode(404)
                    .body("error", equalTo("unknown_study"));
        }
        admin().get("/admin/studies/no-such-study").then().statusCode(404).body("error", equalTo("unknown_study"));
        admin().delete("/admin/studies/no-such-study").then().statusCode(404).body("error", equalTo("unknown_study"));
        given().get("/admin/studies").then().statusCode(401);
    }

    @Test
    void closeReopenOriginsAndRotationAreAudited() {
        String id = newId();
        register(id, "[]").then().statusCode(201);
        admin().post("/admin/studies/" + id + "/close").then().statusCode(200).body("state", equalTo("closed"));
        admin().post("/admin/studies/" + id + "/close").then().statusCode(200).body("state", equalTo("closed"));
        admin().post("/admin/studies/" + id + "/reopen").then().statusCode(200).body("state", equalTo("open"));
        admin().body("{\"origins\":[\"https://b.example\",\"*\"]}").put("/admin/studies/" + id + "/origins").then()
                .statusCode(200).body("origins", equalTo(List.of("https://b.example", "*")));
        Instant before = Instant.now();
        String validUntil = admin().queryParam("overlap", "5m").post("/admin/studies/" + id + "/keys").then()
                .statusCode(200).body("write_key", not(nullValue())).body("study.keys", hasSize(2))
                .extract().path("previous_keys_valid_until");
        Instant end = Instant.parse(validUntil);
        assertTrue(!end.isBefore(before.plus(Duration.ofMinutes(5))) && end.isBefore(Instant.now().plusSeconds(301)));
        assertEquals(1, count("select count(*) from study_key where study = ? and valid_until is null", id));
        assertEquals(1, count("select count(*) from study_key where study = ? and valid_until = ?::timestamptz", id,
                validUntil));
        admin().get("/admin/studies/" + id).then().statusCode(200)
                .body("audit.action", equalTo(List.of("register", "close", "reopen", "origins", "rotate_key")));
    }

    @Test
    void deletingAStudyDeletesItsRowsEverywhereAndDropsItsLaterRecords() throws Exception {
        String gone = newId();
        String kept = newId();
        register(gone, "[]").then().statusCode(201);
        register(kept, "[]").then().statusCode(201);
        sendSessions(3, gone, kept);
        await("the deleted study's quality").atMost(Duration.ofSeconds(30))
                .until(() -> count("select count(*) from session_quality where study = ?", gone) == 1);
        long keptPositions = count("select count(*) from mouse_position where study = ?", kept);

        admin().delete("/admin/studies/" + gone).then().statusCode(200).body("study.state", equalTo("deleted"))
                .body("deleted_rows.ui_action", equalTo(3)).body("deleted_rows.mouse_position", equalTo(3))
                .body("study.audit.action", equalTo(List.of("register", "delete")));
        for (String table : List.of("ui_action", "mouse_position", "session_quality", "session_histogram", "trial",
                "session_summary")) {
            assertEquals(0, count("select count(*) from " + table + " where study = ?", gone), table);
        }
        // Records of the deleted study sent later are dropped; the other study's go on being written. Both
        // in one session, so one partition: the other study's row is written after the deleted one's record.
        String shared = UUID.randomUUID().toString();
        send(gone, shared, 4);
        send(kept, shared, 4);
        await("the other study's later row").atMost(Duration.ofSeconds(30))
                .until(() -> count("select count(*) from ui_action where study = ?", kept) == 4);
        assertEquals(0, count("select count(*) from ui_action where study = ?", gone));
        assertEquals(keptPositions + 1, count("select count(*) from mouse_position where study = ?", kept));

        // A replay of the raw topic does not bring the deleted study back.
        Replay.Result replayed = replay.run();
        for (String table : List.of("ui_action", "mouse_position", "session_quality", "trial", "session_summary")) {
            assertEquals(0, count("select count(*) from " + table + " where study = ?", gone), table + " after a replay");
        }
        assertEquals(4, count("select count(*) from ui_action where study = ?", kept), replayed.summary());

        admin().delete("/admin/studies/" + gone).then().statusCode(409).body("error", equalTo("study_deleted"));
        admin().post("/admin/studies/" + gone + "/reopen").then().statusCode(409).body("error", equalTo("study_deleted"));
        register(gone, "[]").then().statusCode(409).body("error", equalTo("study_exists"));
    }

    /** A deletion that commits while a replay loads: the swap purges the study's replayed rows of every participant. */
    @Test
    void aStudyDeletedDuringAReplaysLoadIsNotBroughtBack() throws Exception {
        String study = newId();
        register(study, "[]").then().statusCode(201);
        sendSessions(2, study);
        java.util.concurrent.CompletableFuture<Replay.Result> replayed;
        try (var deletion = dataSource.getConnection()) {
            deletion.setAutoCommit(false);
            // The deletion's first statement, not yet committed when the replay reads the withdrawals.
            Jdbc.update(deletion, "insert into participant_withdrawal (study, participant, withdrawn_by) "
                    + "values (?, '', 'test')", study);
            replayed = java.util.concurrent.CompletableFuture.supplyAsync(() -> replay.run());
            // The replay has read the withdrawals without this one and now waits for it: loaded, at its swap
            // (or, if it fills the tables straight in, before its load, which then drops the study's records).
            TestSupport.awaitReplayBlockedBy(dataSource, deletion);
            deletion.commit();
        }
        Replay.Result result = replayed.get(60, java.util.concurrent.TimeUnit.SECONDS);
        for (String table : List.of("ui_action", "mouse_position")) {
            assertEquals(0, count("select count(*) from " + table + " where study = ?", study),
                    table + " after " + result.summary());
        }
    }

    @Test
    void retentionIsSetValidatedAndCleared() {
        String id = newId();
        admin().body("{\"id\":\"" + id + "\",\"retention\":\"P30D\"}").post("/admin/studies").then().statusCode(201)
                .body("study.retention", equalTo("PT720H"));
        admin().body("{\"retention\":\"P7D\"}").put("/admin/studies/" + id + "/retention").then().statusCode(200)
                .body("retention", equalTo("PT168H"));
        for (String bad : List.of("\"forever\"", "\"-P1D\"", "\"P400000D\"", "12")) {
            admin().body("{\"retention\":" + bad + "}").put("/admin/studies/" + id + "/retention").then()
                    .statusCode(400).body("error", equalTo("invalid_duration")).body("field", equalTo("retention"));
        }
        admin().body("{not json").put("/admin/studies/" + id + "/retention").then().statusCode(400)
                .body("error", equalTo("invalid_body"));
        admin().body("{\"retention\":\"P1D\"}").put("/admin/studies/no-such-study/retention").then().statusCode(404)
                .body("error", equalTo("unknown_study"));
        admin().body("{\"retention\":null}").put("/admin/studies/" + id + "/retention").then().statusCode(200)
                .body("retention", nullValue());
        assertEquals(1, count("select count(*) from study where id = ? and retention is null", id));
        admin().get("/admin/studies/" + id).then().statusCode(200)
                .body("audit.action", equalTo(List.of("register", "retention", "retention")))
                .body("audit[1].detail.retention", equalTo("PT168H"));
    }

    /** The retention job runs every second in tests (application.properties). */
    @Test
    void aClosedStudyPastItsRetentionIsDeletedByTheJobAndTheOthersAreKept() throws Exception {
        String expiring = newId();
        String open = newId();
        String noRetention = newId();
        String notYet = newId();
        for (String[] study : new String[][] {{expiring, "2s"}, {open, "2s"}, {noRetention, null}, {notYet, "1h"}}) {
            admin().body("{\"id\":\"" + study[0] + "\"" + (study[1] == null ? "" : ",\"retention\":\"" + study[1]
                    + "\"") + "}").post("/admin/studies").then().statusCode(201);
        }
        sendSessions(2, expiring, open);
        for (String id : List.of(expiring, noRetention, notYet)) {
            admin().post("/admin/studies/" + id + "/close").then().statusCode(200);
        }
        Instant closed = Instant.now();
        await("the job deletes the expired study").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> "deleted".equals(admin().get("/admin/studies/" + expiring).path("state")));
        assertTrue(Duration.between(closed, Instant.now()).toMillis() >= 1500, "not before its retention passed");
        admin().get("/admin/studies/" + expiring).then().statusCode(200)
                .body("audit.action", equalTo(List.of("register", "close", "delete")))
                .body("audit[2].actor", equalTo(StudyRetention.ACTOR))
                .body("audit[2].detail.deleted_rows.ui_action", equalTo(2));
        for (String table : List.of("ui_action", "mouse_position", "session_quality")) {
            assertEquals(0, count("select count(*) from " + table + " where study = ?", expiring), table);
        }
        assertEquals(1, count("select count(*) from participant_withdrawal where study = ? and participant = ''",
                expiring), "the deletion is the withdrawal of all its participants");
        // A whole check after the open study's retention would have passed too (null: the job was checking).
        await("a retention check of this processor").atMost(Duration.ofSeconds(10)).until(() -> retention.check() != null);
        admin().get("/admin/studies/" + open).then().body("state", equalTo("open"));
        admin().get("/admin/studies/" + noRetention).then().body("state", equalTo("closed"));
        admin().get("/admin/studies/" + notYet).then().body("state", equalTo("closed"));
        assertEquals(2, count("select count(*) from ui_action where study = ?", open));
    }

    @Test
    void oneProcessorChecksRetentionAtATime() throws Exception {
        String id = newId();
        admin().body("{\"id\":\"" + id + "\",\"retention\":\"0\"}").post("/admin/studies").then().statusCode(201);
        try (var other = dataSource.getConnection(); var statement = other.createStatement()) {
            // Another processor's run holds the lock: this one skips, even with a study due.
            statement.execute("select pg_advisory_lock(hashtext('ual-study-retention'))");
            admin().post("/admin/studies/" + id + "/close").then().statusCode(200);
            assertEquals(null, retention.check(), "skipped while another processor checks");
            admin().get("/admin/studies/" + id).then().body("state", equalTo("closed"));
            statement.execute("select pg_advisory_unlock(hashtext('ual-study-retention'))");
        }
        await("the next check deletes it").atMost(Duration.ofSeconds(30))
                .until(() -> "deleted".equals(admin().get("/admin/studies/" + id).path("state")));
    }

    /** Sends one session of actions 1 to {@code actions} to each study, interleaved; waits until each has them. */
    private void sendSessions(int actions, String... studies) throws Exception {
        String[] sessions = new String[studies.length];
        Arrays.setAll(sessions, i -> UUID.randomUUID().toString());
        for (int seq = 1; seq <= actions; seq++) {
            for (int i = 0; i < studies.length; i++) {
                send(studies[i], sessions[i], seq);
            }
        }
        await("rows of " + Arrays.toString(studies)).atMost(Duration.ofSeconds(30)).until(() -> Arrays.stream(studies)
                .allMatch(study -> count("select count(*) from ui_action where study = ?", study) == actions));
    }

    /** One pointer action in a raw record of the given study, through the broker like the ingest's. */
    private static void send(String study, String session, int seq) throws Exception {
        String value = """
                {"v":1,"study":"%s","participant":"p-1","session":"%s","sent_at":1764412800100,
                 "received_at":1764412800200,"action":{"id":"%s","seq":%d,"type":"pointermove","t":%d,"t_mono":%d.5,
                 "x":1,"y":2,"page_x":1,"page_y":2,"screen_x":1,"screen_y":2,"vw":1280,"vh":800}}"""
                .formatted(study, session, UUID.randomUUID(), seq, 1764412800000L + seq, seq);
        TestSupport.producer().send(new ProducerRecord<>(Topics.RAW, session, value.getBytes(StandardCharsets.UTF_8))).get();
    }
}
