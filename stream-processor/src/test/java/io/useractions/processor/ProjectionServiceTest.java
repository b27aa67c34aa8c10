package io.useractions.processor;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.restassured.http.ContentType;
import io.quarkus.test.junit.QuarkusTest;
import io.useractions.infra.LocalInfraTestResource;
import io.useractions.model.RawRecord;
import io.useractions.model.RawRecords;
import io.useractions.model.Limits;
import io.useractions.model.RecordHeaders;
import io.useractions.model.Topics;
import io.useractions.processor.projection.CopyRows;
import io.useractions.processor.projection.ProjectedTable;
import io.useractions.processor.projection.OffsetFenced;
import io.useractions.processor.projection.OffsetMove;
import io.useractions.processor.projection.ProjectionWriter;
import io.useractions.testing.AdminLogin;
import io.useractions.testing.TopicReader;

/** The processor against the real broker and PostgreSQL: raw records in, rows out. */
@QuarkusTest
@WithTestResource(LocalInfraTestResource.class)
class ProjectionServiceTest {
    @Inject
    DataSource dataSource;

    static String envelope(String session, UUID id, long seq, String extra) {
        return """
                {"v":1,"study":"demo","participant":"p-1","session":"%s","condition":"B","sent_at":1764412800100,
                 "received_at":1764412800200,"context":{"screen_w":1920,"dpr":2},
                 "action":{"id":"%s","seq":%d,"type":"pointermove","t":%d,"t_mono":%d.25%s}}"""
                .formatted(session, id, seq, 1764412800000L + seq, seq, extra);
    }

    static String pointer(double x, double y) {
        return ",\"x\":%s,\"y\":%s,\"page_x\":%s,\"page_y\":%s,\"screen_x\":%s,\"screen_y\":%s,\"vw\":1280,\"vh\":800"
                .formatted(x, y, x, y + 100, x + 50, y + 150);
    }

    private static void send(String key, String value) throws Exception {
        TestSupport.producer().send(new ProducerRecord<>(Topics.RAW, key, value.getBytes(StandardCharsets.UTF_8)))
                .get();
    }

    private long count(String sql, Object... args) {
        return TestSupport.count(dataSource, sql, args);
    }

    @Test
    void pointerAndKeyActionsAreProjectedIntoTheirTables() throws Exception {
        String session = UUID.randomUUID().toString();
        UUID move = UUID.randomUUID();
        UUID key = UUID.randomUUID();
        send(session, envelope(session, move, 1, pointer(10.5, 20.25)
                + ",\"url\":\"https://app/p\",\"target\":{\"id\":\"b\",\"selector\":\"main > #b\","
                + "\"attrs\":{\"data-trial\":\"3\"}},\"data\":{\"k\":\"v\"}"));
        send(session, envelope(session, key, 2, "").replace("pointermove", "keydown"));
        await("both actions").atMost(Duration.ofSeconds(30))
                .until(() -> count("select count(*) from ui_action where session_id = ?", session) == 2);
        assertEquals(1, count("select count(*) from mouse_position where session_id = ?", session));
        assertEquals(1, count("""
                select count(*) from mouse_position where action_id = ? and x = 10.5 and y = 20.25 and page_y = 120.25
                 and page_x = 10.5 and screen_x = 60.5 and screen_y = 170.25 and type = 'pointermove'
                 and vw = 1280 and vh = 800 and study = 'demo' and participant = 'p-1'
                 and condition = 'B' and seq = 1 and t_mono = 1.25
                 and client_time = to_timestamp(1764412800001 / 1000.0)""", move));
        assertEquals(1, count("""
                select count(*) from ui_action where id = ? and target_attrs ->> 'data-trial' = '3'
                 and data ->> 'k' = 'v' and (context ->> 'screen_w')::int = 1920
                 and received_at = to_timestamp(1764412800.2) and sent_at = to_timestamp(1764412800.1)
                 and src_partition >= 0 and src_offset >= 0 and url = 'https://app/p' and target_id = 'b'
                 and target_selector = 'main > #b' and x = 10.5 and y = 20.25 and page_x = 10.5 and page_y = 120.25
                 and screen_x = 60.5 and screen_y = 170.25 and vw = 1280 and vh = 800 and seq = 1
                 and t_mono = 1.25 and participant = 'p-1' and condition = 'B' and study = 'demo'
                 and type = 'pointermove' and clock_skew_ms = 100 and clock_flag is null
                 and server_time = to_timestamp(1764412800.101)""", move));
        assertEquals(1, count("select count(*) from ui_action where id = ? and x is null and type = 'keydown'", key));
    }

    @Inject
    ProjectionWriter writer;

    @Test
    void aTableDeclaredWithColumnsNoMigrationCreatedStopsTheSinkWithTheirNames() {
        assertDoesNotThrow(() -> writer.checkSchema(ProjectedTable.CORE));
        ProjectedTable extra = new ProjectedTable("mouse_position", "action_id", action -> true, List.of(
                ProjectedTable.column("action_id", (row, out) -> out.uuid(row.action().id())),
                ProjectedTable.column("pressure", (row, out) -> out.number(0))));
        IllegalStateException lacking = assertThrows(IllegalStateException.class,
                () -> writer.checkSchema(List.of(extra)));
        assertEquals("table mouse_position lacks the columns [pressure] that its declaration writes: "
                + "add them with a migration", lacking.getMessage());
        ProjectedTable missing = new ProjectedTable("no_such_table", "id", action -> true, List.of(
                ProjectedTable.column("id", (row, out) -> out.uuid(row.action().id()))));
        IllegalStateException absent = assertThrows(IllegalStateException.class,
                () -> writer.checkSchema(List.of(missing)));
        assertTrue(absent.getMessage().contains("no_such_table does not exist"), absent.getMessage());
        ProjectedTable retyped = new ProjectedTable("mouse_position", "action_id", action -> true, List.of(
                ProjectedTable.column("action_id", (row, out) -> out.text(row.id())),
                ProjectedTable.column("seq", (row, out) -> out.number((int) row.action().seq()))));
        IllegalStateException differing = assertThrows(IllegalStateException.class,
                () -> writer.checkSchema(List.of(retyped)));
        assertEquals("table mouse_position has columns of other types than its declaration writes in binary: "
                + "action_id is uuid, written as text; seq is bigint, written as integer", differing.getMessage());
    }

    @Test
    void copyStoresTextWithCopySyntaxInItExactly() throws Exception {
        String tricky = ",\"url\":\"https://app/a\\\\b\\tc\\nd\\re\",\"target\":{\"id\":\"t\\\\1\",\"selector\":\"a > b\","
                + "\"attrs\":{\"data-x\":\"quote \\\" tab \\t\"}},\"data\":{\"text\":\"Zoë 😀 \\\\N \\n\",\"n\":1e300}";
        UUID id = UUID.randomUUID();
        String session = "copy-" + UUID.randomUUID();
        RawRecord record = RawRecords.decode(envelope(session, id, 1, pointer(1.5, -2) + tricky)
                .getBytes(StandardCharsets.UTF_8), Limits.DEFAULT);
        writer.write(new CopyRows(ProjectedTable.CORE, 1).add(record, 3, 42), "copy-test", List.of());

        assertEquals(1, count("""
                select count(*) from ui_action where id = ? and url = E'https://app/a\\\\b\\tc\\nd\\re'
                 and target_id = E't\\\\1' and target_attrs ->> 'data-x' = E'quote " tab \\t'
                 and data ->> 'text' = E'Zoë 😀 \\\\N \\n' and (data ->> 'n')::float8 = 1e300
                 and x = 1.5 and y = -2 and src_partition = 3 and src_offset = 42 and src_index = 0""", id));
        assertEquals(1, count("select count(*) from mouse_position where action_id = ? and x = 1.5 and y = -2", id));
    }

    @Test
    void eachActionOfAV2RecordIsStoredWithItsIndexNextToV1Records() throws Exception {
        String session = "v2-" + UUID.randomUUID();
        List<UUID> ids = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        UUID v1 = UUID.randomUUID();
        StringBuilder actions = new StringBuilder();
        for (int i = 0; i < ids.size(); i++) {
            String one = envelope(session, ids.get(i), i + 1, i == 1 ? "" : pointer(i, i));
            actions.append(i == 0 ? "" : ",").append(one, one.indexOf("\"action\":") + 9, one.length() - 1);
        }
        String head = envelope(session, v1, 9, "");
        send(session, head.substring(0, head.indexOf("\"action\":")).replace("\"v\":1", "\"v\":2")
                + "\"actions\":[" + actions + "]}");
        send(session, head);
        await("all four").atMost(Duration.ofSeconds(30))
                .until(() -> count("select count(*) from ui_action where session_id = ?", session) == 4);
        for (int i = 0; i < ids.size(); i++) {
            assertEquals(1, count("select count(*) from ui_action where id = ? and src_index = ? and seq = ?",
                    ids.get(i), i, i + 1));
        }
        assertEquals(1, count("select count(*) from ui_action where id = ? and src_index = 0", v1));
        assertEquals(2, count("select count(*) from mouse_position where session_id = ?", session));
        assertEquals(1, count("select count(distinct src_offset) from ui_action where session_id = ? and seq < 9",
                session), "one raw record");
    }

    @Test
    void copyMeetingStoredIdsIsRedoneThroughStagingKeepingEachRowOnce() throws Exception {
        String session = "copy-" + UUID.randomUUID();
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        UUID c = UUID.randomUUID();
        UUID d = UUID.randomUUID();
        String topic = "copy-test-" + UUID.randomUUID();
        CopyRows rows = new CopyRows(ProjectedTable.CORE, 2).foldingQuality();
        writer.write(rows.add(decoded(session, a, 1), 0, 1).add(decoded(session, b, 2), 0, 2), topic, List.of());
        assertTrue(rows.likelyNew());

        writer.write(rows.clear().add(decoded(session, b, 2), 0, 2).add(decoded(session, c, 3), 0, 3), topic,
                List.of(new OffsetMove(0, null, 4)));
        assertEquals(List.of(1L, 1L, 1L), List.of(count("select count(*) from ui_action where id = ?", a),
                count("select count(*) from ui_action where id = ?", b), count("select count(*) from ui_action where id = ?", c)));
        assertEquals(1, count("select count(*) from mouse_position where action_id = ?", c));
        assertEquals(4L, writer.storedOffsets(topic).get(0));
        assertFalse(rows.likelyNew(), "a batch that met stored ids makes the next one go through staging");

        writer.write(rows.clear().add(decoded(session, d, 4), 0, 4), topic, List.of(new OffsetMove(0, 4L, 5)));
        assertEquals(1, count("select count(*) from ui_action where id = ?", d));
        assertTrue(rows.likelyNew(), "an all-new staged batch lets the next one go straight in");
        assertEquals(List.of(4L, 4L, 4L), List.of(count("select actions from session_quality where session_id = ?", session),
                count("select highest_seq from session_quality where session_id = ?", session),
                count("select pointer_samples from session_quality where session_id = ?", session)),
                "the session's summary counts each stored action once");
    }

    @Test
    void aSinkTransactionLeavesItsStagingTableToTheCommitWhileAReplayEmptiesItAtOnce() throws Exception {
        String session = "stage-" + UUID.randomUUID();
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        UUID c = UUID.randomUUID();
        try (Connection connection = dataSource.getConnection()) {
            ProjectionWriter sink = new ProjectionWriter(oneSession(connection));
            CopyRows rows = new CopyRows(ProjectedTable.CORE, 2);
            sink.write(ProjectedTable::name, rows.add(decoded(session, a, 1), 0, 1));
            // Meets a: redone through the staging tables, and so is the next write.
            sink.write(ProjectedTable::name, rows.clear().add(decoded(session, a, 1), 0, 1)
                    .add(decoded(session, b, 2), 0, 2));
            long storage = stagingStorage(connection);
            sink.write(ProjectedTable::name, rows.clear().add(decoded(session, c, 3), 0, 3));
            assertEquals(storage, stagingStorage(connection), "no TRUNCATE gave the staging table new storage");
            assertEquals(0, stagedRows(connection), "the commit emptied the staging table");
            assertEquals(3, count("select count(*) from ui_action where session_id = ?", session));

            // A replay copies many batches in one transaction: each leaves the staging table empty.
            connection.setAutoCommit(false);
            try {
                ProjectionWriter.copy(connection, rows.clear().add(decoded(session, c, 3), 0, 3), ProjectedTable::name,
                        false, true);
                assertEquals(0, stagedRows(connection), "emptied before the transaction ends");
            } finally {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        }
    }

    /** The storage of this session's staging table of ui_action, which a TRUNCATE replaces. */
    private static long stagingStorage(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("select relfilenode from pg_class"
                + " where relname = 'ual_stage_ui_action' and relnamespace = pg_my_temp_schema()");
                ResultSet rs = query.executeQuery()) {
            assertTrue(rs.next(), "the session has a staging table of ui_action");
            return rs.getLong(1);
        }
    }

    private static long stagedRows(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("select count(*) from ual_stage_ui_action");
                ResultSet rs = query.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Hands out {@code connection} for every write, never closing it: its temporary tables stay to be read. */
    private static DataSource oneSession(Connection connection) {
        Connection kept = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        return null;
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        return kept;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void offsetWriteCommitsOnlyFromTheStoredOffsetItsBatchStartedFrom() {
        String topic = "fence-test-" + UUID.randomUUID();
        String session = "fence-" + UUID.randomUUID();
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        CopyRows rows = new CopyRows(ProjectedTable.CORE, 1);
        writer.write(rows.add(decoded(session, first, 1), 0, 1), topic, List.of(new OffsetMove(2, null, 10)));

        OffsetFenced secondFirst = assertThrows(OffsetFenced.class, () -> writer.write(
                rows.clear().add(decoded(session, second, 2), 0, 2), topic, List.of(new OffsetMove(2, null, 12))));
        assertEquals(new OffsetMove(2, null, 12), secondFirst.move());
        assertEquals(10L, secondFirst.stored());
        OffsetFenced rewound = assertThrows(OffsetFenced.class, () -> writer.write(
                rows.clear().add(decoded(session, second, 2), 0, 2), topic, List.of(new OffsetMove(2, 8L, 12))));
        assertEquals(new OffsetMove(2, 8L, 12), rewound.move());
        assertEquals(10L, rewound.stored());
        OffsetFenced gone = assertThrows(OffsetFenced.class, () -> writer.write(
                rows.clear().add(decoded(session, second, 2), 0, 2), topic, List.of(new OffsetMove(3, 5L, 12))));
        assertNull(gone.stored());
        assertEquals(0, count("select count(*) from ui_action where id = ?", second), "a fenced batch writes no row");
        assertEquals(Map.of(2, 10L), writer.storedOffsets(topic));

        writer.write(rows.clear().add(decoded(session, second, 2), 0, 2), topic, List.of(new OffsetMove(2, 10L, 12)));
        assertEquals(1, count("select count(*) from ui_action where id = ?", second));
        assertEquals(Map.of(2, 12L), writer.storedOffsets(topic));
    }

    private static RawRecord decoded(String session, UUID id, int seq) {
        return RawRecords.decode(envelope(session, id, seq, pointer(seq, seq)).getBytes(StandardCharsets.UTF_8),
                Limits.DEFAULT);
    }

    private String row(String sql, UUID id) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setObject(1, id);
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next(), "no row " + id);
                return rs.getString(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void duplicateRecordNeverMakesASecondRow() throws Exception {
        String session = UUID.randomUUID().toString();
        UUID id = UUID.randomUUID();
        String value = envelope(session, id, 1, pointer(1, 2));
        send(session, value);
        send(session, value);
        UUID marker = UUID.randomUUID();
        send(session, envelope(session, marker, 2, ""));
        await("the marker").atMost(Duration.ofSeconds(30))
                .until(() -> count("select count(*) from ui_action where id = ?", marker) == 1);
        assertEquals(1, count("select count(*) from ui_action where id = ?", id));
        assertEquals(1, count("select count(*) from mouse_position where action_id = ?", id));
    }

    @Test
    void poisonRecordIsDeadLetteredAndLaterRecordsAreStillProjected() throws Exception {
        String session = UUID.randomUUID().toString();
        send(session, "{\"v\":1,\"study\":\"demo\", this is not json");
        send(session, envelope(session, UUID.randomUUID(), 1, "").replace("\"seq\":1", "\"seq\":-1"));
        UUID after = UUID.randomUUID();
        send(session, envelope(session, after, 2, pointer(3, 4)));
        await("the record after the poison").atMost(Duration.ofSeconds(30))
                .until(() -> count("select count(*) from ui_action where id = ?", after) == 1);

        List<ConsumerRecord<String, byte[]>> dead = deadLettersOf(session, 2);
        assertEquals(2, dead.size());
        String reason = new String(dead.get(0).headers().lastHeader(RecordHeaders.DLQ_REASON).value(),
                StandardCharsets.UTF_8);
        assertTrue(reason.startsWith("malformed JSON"), reason);
        assertEquals("action.seq", new String(dead.get(1).headers().lastHeader(RecordHeaders.DLQ_FIELD).value(),
                StandardCharsets.UTF_8));
    }

    @Test
    void anActionPostgresRefusesIsDeadLetteredAloneAndTheRestOfItsRecordIsStored() throws Exception {
        String session = UUID.randomUUID().toString();
        UUID[] ids = {UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID()};
        String record = """
                {"v":2,"study":"demo","participant":"p-1","session":"%s","condition":"B","sent_at":1764412800100,
                 "received_at":1764412800200,"context":{"screen_w":1920},"actions":[
                 {"id":"%s","seq":1,"type":"pointermove","t":1764412800001,"x":1,"y":2},
                 {"id":"%s","seq":2,"type":"refuse-me","t":1764412800002,"x":3,"y":4},
                 {"id":"%s","seq":3,"type":"click","t":1764412800003,"x":5,"y":6}]}"""
                .formatted(session, ids[0], ids[1], ids[2]);
        // A constraint the topology knows nothing of: PostgreSQL refuses that one row as data.
        execute("alter table ui_action add constraint refuse_me check (type <> 'refuse-me') not valid");
        try {
            send(session, record);
            List<ConsumerRecord<String, byte[]>> dead = deadLettersOf(session, 1);
            await("the other actions").atMost(Duration.ofSeconds(30))
                    .until(() -> count("select count(*) from ui_action where session_id = ?", session) == 2);
            assertEquals(List.of(1L, 0L, 1L), Arrays.stream(ids)
                    .map(id -> count("select count(*) from ui_action where id = ?", id)).toList());
            assertEquals(2, count("select count(*) from mouse_position where session_id = ?", session),
                    "the refused action's position goes with it");
            assertEquals("1", new String(dead.get(0).headers().lastHeader(RecordHeaders.SOURCE_INDEX).value(),
                    StandardCharsets.UTF_8));
            String reason = new String(dead.get(0).headers().lastHeader(RecordHeaders.DLQ_REASON).value(),
                    StandardCharsets.UTF_8);
            assertTrue(reason.contains("PostgreSQL refused the row") && reason.contains("refuse_me"), reason);
        } finally {
            execute("alter table ui_action drop constraint refuse_me");
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); var statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    @Test
    void deadLettersCanBeInspectedAndReDrivenWithTheAdminCredential() throws Exception {
        String session = UUID.randomUUID().toString();
        send(session, "{\"v\":1, broken");
        List<ConsumerRecord<String, byte[]>> dead = deadLettersOf(session, 1);
        long offset = dead.get(0).offset();

        given().get("/admin/dead-letters").then().statusCode(401);
        given().auth().preemptive().basic(AdminLogin.USER, AdminLogin.PASSWORD)
                .queryParam("from", offset).queryParam("limit", 1)
                .get("/admin/dead-letters")
                .then().statusCode(200)
                .body("records[0].offset", equalTo((int) offset))
                .body("records[0].key", equalTo(session))
                .body("records[0].value", equalTo("{\"v\":1, broken"))
                .body("records[0].headers.'ual-dlq-stage'", equalTo("validate"))
                .body("records[0].headers.'ual-dlq-reason'", containsString("malformed JSON"));

        given().auth().preemptive().basic(AdminLogin.USER, AdminLogin.PASSWORD)
                .queryParam("from", offset).queryParam("to", offset)
                .post("/admin/dead-letters/redrive")
                .then().statusCode(200).body("redriven", equalTo(1));
        List<ConsumerRecord<String, byte[]>> again = deadLettersOf(session, 2);
        assertEquals(2, again.size(), "still invalid, so dead-lettered again");
        assertEquals("ui-actions-dlq-0@" + offset, new String(again.get(1).headers().lastHeader("ual-redriven-from")
                .value(), StandardCharsets.UTF_8));
    }

    @Test
    void aWrongDeadLetterRequestIsAnsweredWithTheParameterAtFault() {
        record Wrong(String method, String query, String error, String field) {
        }
        List<Wrong> wrongs = List.of(
                new Wrong("GET", "from=first", "not_a_number", "from"),
                new Wrong("GET", "limit=0", "out_of_range", "limit"),
                new Wrong("GET", "partition=7", "out_of_range", "partition"),
                new Wrong("GET", "partition=-1", "out_of_range", "partition"),
                new Wrong("POST", "from=5", "missing_field", "to"),
                new Wrong("POST", "to=5", "missing_field", "from"),
                new Wrong("POST", "from=5&to=4", "out_of_range", "to"),
                new Wrong("POST", "from=0&to=100000", "out_of_range", "to"),
                new Wrong("POST", "from=0&to=1&partition=1", "out_of_range", "partition"));
        for (Wrong wrong : wrongs) {
            String path = "/admin/dead-letters" + (wrong.method().equals("POST") ? "/redrive" : "") + "?" + wrong.query();
            given().auth().preemptive().basic(AdminLogin.USER, AdminLogin.PASSWORD)
                    .request(wrong.method(), path)
                    .then().statusCode(400).contentType(ContentType.JSON)
                    .body("error", equalTo(wrong.error())).body("field", equalTo(wrong.field()))
                    .body("message", containsString(wrong.field()));
        }
        given().auth().preemptive().basic(AdminLogin.USER, AdminLogin.PASSWORD).get("/admin/no-such-thing")
                .then().statusCode(404).contentType(ContentType.JSON).body("error", equalTo("not_found"));
    }

    @Test
    void storedOffsetsAreWrittenWithTheRows() throws Exception {
        String session = UUID.randomUUID().toString();
        UUID id = UUID.randomUUID();
        send(session, envelope(session, id, 1, ""));
        await("the row").atMost(Duration.ofSeconds(30))
                .until(() -> count("select count(*) from ui_action where id = ?", id) == 1);
        assertTrue(count("select count(*) from projection_offset where topic = ?", Topics.PROJECTION) > 0);
    }

    @Test
    void healthAndMetricsAreExposed() throws Exception {
        String session = UUID.randomUUID().toString();
        UUID id = UUID.randomUUID();
        send(session, envelope(session, id, 1, pointer(5, 6)));
        await("the row").atMost(Duration.ofSeconds(30))
                .until(() -> count("select count(*) from ui_action where id = ?", id) == 1);
        Map<String, Number> sink = given().when().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP")).body(containsString("Database connections health check"))
                .extract().path("checks.find { it.name == 'postgres-sink' }.data");
        assertTrue(sink != null, "a postgres-sink check with data");
        assertTrue(sink.get("ms_since_last_poll").longValue() >= 0, "the sink's last poll: " + sink);
        assertTrue(sink.get("ms_since_last_commit").longValue() >= 0, "the sink's last commit, after a row: " + sink);
        given().when().get("/q/health/live").then().statusCode(200);
        given().auth().preemptive().basic(AdminLogin.USER, AdminLogin.PASSWORD).when().get("/q/metrics").then().statusCode(200)
                .body(containsString("ual_processor_actions_projected_total"))
                .body(containsString("ual_processor_mouse_positions_projected_total"))
                .body(containsString("ual_processor_actions_validated_total"));
    }

    /** The session's dead letters, read until at least {@code expected} arrived. */
    private static List<ConsumerRecord<String, byte[]>> deadLettersOf(String session, int expected) {
        return await("dead letters of " + session).atMost(Duration.ofSeconds(15)).until(
                () -> TopicReader.of(LocalInfraTestResource.infra().kafkaClientConfig()).toEnd(Topics.DEAD_LETTER).stream()
                        .filter(record -> session.equals(record.key())).toList(),
                found -> found.size() >= expected);
    }
}
