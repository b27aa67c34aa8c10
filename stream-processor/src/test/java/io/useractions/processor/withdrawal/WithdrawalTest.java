package io.useractions.processor.withdrawal;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.useractions.infra.LocalInfraTestResource;
import io.useractions.model.Topics;
import io.useractions.model.crypto.DataKey;
import io.useractions.model.crypto.KeyWrapper;
import io.useractions.model.crypto.ParticipantKeys;
import io.useractions.model.crypto.RecordBinding;
import io.useractions.model.crypto.SealedRecords;
import io.useractions.processor.config.ProcessorConfig;
import io.useractions.processor.TestSupport;
import io.useractions.processor.projection.ProjectedTable;
import io.useractions.processor.replay.Replay;
import io.useractions.processor.tables.DerivedTables;
import io.useractions.testing.AdminLogin;

/**
 * A participant withdrawn from the running processor against the real broker and PostgreSQL: the admin
 * API, their rows gone from every table, their later records (raw, and already projected) leaving none,
 * a replay not bringing them back, and the other participant's rows untouched.
 */
@QuarkusTest
@WithTestResource(LocalInfraTestResource.class)
class WithdrawalTest {
    @Inject
    DataSource dataSource;
    @Inject
    DerivedTables tables;
    @Inject
    Replay replay;
    @Inject
    ParticipantKeys keys;
    @Inject
    ProcessorConfig config;

    private final String study = "wd-" + UUID.randomUUID().toString().substring(0, 8);

    /** A v2 record: a trial with pointer moves, a click and a key press. */
    private void send(String participant, String session, int firstSeq) throws Exception {
        TestSupport.producer().send(new ProducerRecord<>(Topics.RAW, session, record(participant, session, firstSeq)))
                .get();
    }

    private byte[] record(String participant, String session, int firstSeq) {
        StringBuilder actions = new StringBuilder();
        String[] types = {"trial:start", "pointermove", "click", "keydown", "pointermove", "trial:end"};
        for (int i = 0; i < types.length; i++) {
            long seq = firstSeq + i;
            String pointer = types[i].startsWith("pointer") || types[i].equals("click")
                    ? ",\"x\":%d.5,\"y\":%d,\"vw\":1280,\"vh\":800".formatted(seq, seq * 2) : "";
            String data = types[i].startsWith("trial") ? ",\"data\":{\"trial\":%d}".formatted(firstSeq) : "";
            actions.append(i == 0 ? "" : ",").append("{\"id\":\"%s\",\"seq\":%d,\"type\":\"%s\",\"t\":%d%s%s}"
                    .formatted(UUID.randomUUID(), seq, types[i], 1764412800000L + seq, pointer, data));
        }
        String record = """
                {"v":2,"study":"%s","participant":"%s","session":"%s","sent_at":1764412800100,
                 "received_at":1764412800200,"actions":[%s]}""".formatted(study, participant, session, actions);
        return record.getBytes(StandardCharsets.UTF_8);
    }

    /** Every row of a participant in every table the sink writes and in the summaries, as JSON, by table. */
    private Map<String, List<String>> dump(String participant) throws SQLException {
        List<String> names = new ArrayList<>(tables.all().stream().map(ProjectedTable::name).toList());
        names.addAll(List.of("session_quality", "session_histogram"));
        Map<String, List<String>> rows = new TreeMap<>();
        try (Connection c = dataSource.getConnection()) {
            for (String table : names) {
                List<String> found = new ArrayList<>();
                try (PreparedStatement query = c.prepareStatement("select to_jsonb(t)::text from " + table
                        + " t where study = ? and participant = ? order by 1")) {
                    query.setString(1, study);
                    query.setString(2, participant);
                    try (ResultSet rs = query.executeQuery()) {
                        while (rs.next()) {
                            found.add(rs.getString(1));
                        }
                    }
                }
                rows.put(table, found);
            }
        }
        return rows;
    }

    private long rows(String participant) throws SQLException {
        return dump(participant).values().stream().mapToLong(List::size).sum();
    }

    private long count(String sql, Object... args) {
        return TestSupport.count(dataSource, sql, args);
    }

    /**
     * Sends a record of another participant on {@code session}'s key and waits for its rows: it follows
     * everything sent before on that key through both topics, so those records were handled.
     */
    private void awaitHandled(String session) throws Exception {
        send("p-marker", session, 1);
        await("the marker after " + session).atMost(Duration.ofSeconds(30)).until(() -> count("select count(*) from "
                + "ui_action where study = ? and participant = 'p-marker' and session_id = ?", study, session) == 6);
    }

    @Test
    void aWithdrawnParticipantIsGoneFromEveryTableAndStaysGoneThroughLateRecordsAndAReplay() throws Exception {
        send("p-go", "s-go", 1);
        send("p-stay", "s-stay", 1);
        await("both sessions summarized").atMost(Duration.ofSeconds(30)).until(() -> count("select count(*) from "
                + "session_summary where study = ? and actions = 6", study) == 2);
        Map<String, List<String>> stayBefore = dump("p-stay");
        Map<String, List<String>> goBefore = dump("p-go");
        for (String table : List.of("ui_action", "mouse_position", "click", "trial", "session_summary",
                "session_quality")) {
            assertTrue(!goBefore.get(table).isEmpty(), "p-go has rows in " + table + " before: " + goBefore);
        }

        given().auth().preemptive().basic(AdminLogin.USER, AdminLogin.PASSWORD).contentType(ContentType.JSON)
                .body(Map.of("study", study, "participant", "p-go", "reason", "asked by email"))
                .post("/admin/withdrawals").then().statusCode(201)
                .body("participant", equalTo("p-go")).body("withdrawn_by", equalTo("admin"))
                .body("reason", equalTo("asked by email"))
                .body("deleted.ui_action", equalTo(6)).body("deleted.mouse_position", equalTo(3))
                .body("deleted.click", equalTo(1)).body("deleted.trial", equalTo(1))
                .body("deleted.session_summary", equalTo(1)).body("deleted.session_quality", equalTo(1))
                .body("rows_deleted", greaterThan(13));

        assertEquals(0, rows("p-go"), "no row of p-go anywhere: " + dump("p-go"));
        assertEquals(stayBefore, dump("p-stay"), "p-stay untouched");

        // Their later actions: new records on the raw topic, and rows already in the projection topic.
        send("p-go", "s-go", 7);
        var summaryRow = new RecordHeaders();
        summaryRow.add(io.useractions.model.RecordHeaders.TABLE, "session_summary".getBytes(StandardCharsets.UTF_8));
        String line = String.join("\t", study, "p-go", "s-go", "\\N", "6", "1", "6", "0", "0", "\\N", "\\N", "\\N",
                "\\N", "3", "0", "1", "1", "f", "0", "0", "0") + "\n";
        TestSupport.producer().send(new ProducerRecord<>(Topics.PROJECTION, null, "s-go",
                line.getBytes(StandardCharsets.UTF_8), summaryRow)).get();
        send("p-stay", "s-stay", 7);
        await("p-stay's later actions").atMost(Duration.ofSeconds(30)).until(() -> count("select count(*) from "
                + "session_summary where study = ? and participant = 'p-stay' and actions = 12", study) == 1);
        awaitHandled("s-go");
        assertEquals(0, rows("p-go"), "p-go's later records left no row: " + dump("p-go"));
        Map<String, List<String>> stayLive = dump("p-stay");
        assertEquals(12, stayLive.get("ui_action").size());

        Replay.Result replayed = replay.run();
        assertTrue(replayed.withdrawn() >= 2, "p-go's two records dropped: " + replayed.summary());
        assertEquals(0, rows("p-go"), "the replay did not bring p-go back: " + dump("p-go"));
        assertEquals(stayLive, dump("p-stay"), "p-stay as the live path wrote it");

        // The audit trail: who withdrew whom, when, the counts, nothing of their data.
        given().auth().preemptive().basic(AdminLogin.USER, AdminLogin.PASSWORD).queryParam("study", study)
                .get("/admin/withdrawals").then().statusCode(200)
                .body("withdrawals.size()", equalTo(1)).body("withdrawals[0].participant", equalTo("p-go"))
                .body("withdrawals[0].withdrawn_by", equalTo("admin")).body("withdrawals[0].deleted.ui_action", equalTo(6))
                .body(not(containsString("pointermove")));
    }

    /** {@link #record} sealed with the participant's key, as the ingest writes it. */
    private byte[] sealed(DataKey key, String participant, String session, int firstSeq) {
        return SealedRecords.seal(key, new RecordBinding(study, participant, session),
                record(participant, session, firstSeq));
    }

    @Test
    void aWithdrawalDeletesTheKeySoTheirSealedRecordsNoLongerOpenAnywhere() throws Exception {
        DataKey goKey = keys.currentOrCreate(study, "p-sealed-go");
        DataKey stayKey = keys.currentOrCreate(study, "p-sealed-stay");
        byte[] goRecord = sealed(goKey, "p-sealed-go", "s-sealed-go", 1);
        TestSupport.producer().send(new ProducerRecord<>(Topics.RAW, "s-sealed-go", goRecord)).get();
        TestSupport.producer().send(new ProducerRecord<>(Topics.RAW, "s-sealed-stay",
                sealed(stayKey, "p-sealed-stay", "s-sealed-stay", 1))).get();
        await("both sealed sessions summarized").atMost(Duration.ofSeconds(30)).until(() -> count("select count(*) "
                + "from session_summary where study = ? and actions = 6", study) == 2);
        Map<String, List<String>> stayBefore = dump("p-sealed-stay");

        given().auth().preemptive().basic(AdminLogin.USER, AdminLogin.PASSWORD).contentType(ContentType.JSON)
                .body(Map.of("study", study, "participant", "p-sealed-go")).post("/admin/withdrawals").then()
                .statusCode(201).body("deleted.participant_key", equalTo(1)).body("deleted.ui_action", equalTo(6));

        ParticipantKeys uncached = new ParticipantKeys(dataSource,
                KeyWrapper.fromBase64(ParticipantKeys.MASTER_KEY_ID, config.crypto().masterKey()), Duration.ZERO);
        assertNull(SealedRecords.open(goRecord, uncached), "their record no longer opens: the key is gone");
        assertNull(keys.find(study, "p-sealed-go", goKey.id()), "forgotten at once by the processor that withdrew");
        assertNotNull(uncached.current(study, "p-sealed-stay"), "the other participant keeps theirs");
        // A record an ingest sealed from its cache after the withdrawal: dropped like the rest.
        TestSupport.producer().send(new ProducerRecord<>(Topics.RAW, "s-sealed-go",
                sealed(goKey, "p-sealed-go", "s-sealed-go", 7))).get();
        awaitHandled("s-sealed-go");
        assertEquals(0, rows("p-sealed-go"), "no row of theirs: " + dump("p-sealed-go"));
        assertEquals(stayBefore, dump("p-sealed-stay"));

        Replay.Result replayed = replay.run();
        assertTrue(replayed.withdrawn() >= 2, "their two sealed records dropped: " + replayed.summary());
        assertEquals(0, rows("p-sealed-go"), "the replay did not bring them back: " + dump("p-sealed-go"));
        assertEquals(stayBefore, dump("p-sealed-stay"), "the other participant as the live path wrote them");
    }

    @Test
    void badRequestsGetAClearStatusAndJsonError() {
        given().contentType(ContentType.JSON).body(Map.of("study", study, "participant", "p-1"))
                .post("/admin/withdrawals").then().statusCode(401);
        given().auth().preemptive().basic(AdminLogin.USER, AdminLogin.PASSWORD).contentType(ContentType.JSON)
                .body(Map.of("study", study)).post("/admin/withdrawals").then().statusCode(400)
                .body("error", equalTo("missing_field")).body("field", equalTo("participant"));
        given().auth().preemptive().basic(AdminLogin.USER, AdminLogin.PASSWORD).contentType(ContentType.JSON)
                .body(Map.of("study", " ", "participant", "p-1")).post("/admin/withdrawals").then().statusCode(400)
                .body("field", equalTo("study"));
        given().auth().preemptive().basic(AdminLogin.USER, AdminLogin.PASSWORD).contentType(ContentType.JSON)
                .body(Map.of("study", study, "participant", "p-1")).post("/admin/withdrawals").then().statusCode(201)
                .body("rows_deleted", equalTo(0));
        given().auth().preemptive().basic(AdminLogin.USER, AdminLogin.PASSWORD).contentType(ContentType.JSON)
                .body(Map.of("study", study, "participant", "p-1", "reason", "again"))
                .post("/admin/withdrawals").then().statusCode(409)
                .body("error", equalTo("already_withdrawn")).body("withdrawal.participant", equalTo("p-1"))
                .body("withdrawal.withdrawn_by", equalTo("admin"));
        given().auth().preemptive().basic(AdminLogin.USER, AdminLogin.PASSWORD).contentType(ContentType.JSON)
                .body("{not json").post("/admin/withdrawals").then().statusCode(400)
                .contentType(ContentType.JSON).body("error", equalTo("malformed_body"));
        given().auth().preemptive().basic(AdminLogin.USER, AdminLogin.PASSWORD).queryParam("limit", 0)
                .get("/admin/withdrawals").then().statusCode(400).body("field", equalTo("limit"));
        given().auth().preemptive().basic(AdminLogin.USER, AdminLogin.PASSWORD).queryParam("limit", "ten")
                .get("/admin/withdrawals").then().statusCode(400).contentType(ContentType.JSON)
                .body("error", equalTo("not_a_number")).body("field", equalTo("limit"));
    }
}
