package io.useractions.processor.tables;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.useractions.infra.LocalInfraTestResource;
import io.useractions.model.Jdbc;
import io.useractions.model.Topics;
import io.useractions.processor.TestSupport;
import io.useractions.processor.replay.Replay;

/**
 * Derived tables against the real broker and PostgreSQL, next to the live processor, which runs with the
 * repository's declared tables (tables/click.yaml) and the Java one (KeyChordTable): a table added
 * after data reached the topic is back-filled by a replay of that table alone, which writes what the live
 * path writes, keeps what the live path wrote past its snapshot and leaves the core tables untouched.
 */
@QuarkusTest
@WithTestResource(LocalInfraTestResource.class)
class DerivedTableReplayTest {
    @Inject
    Replay replay;

    @Inject
    DataSource dataSource;

    @Inject
    DerivedTables tables;

    @Test
    void theDeclaredClickTableBackFilledByReplayEqualsWhatTheLivePathWrites() throws Exception {
        backFillEqualsLive("click", 2);
    }

    @Test
    void theJavaKeyChordTableBackFilledByReplayEqualsWhatTheLivePathWrites() throws Exception {
        backFillEqualsLive("key_chord", 2);
    }

    /**
     * Sends sessions whose rows the live path writes, empties the table's rows of the study as if it were
     * added only now, sends more, replays the table up to a snapshot while a last session arrives past it,
     * and compares: the table as the live path wrote it, the core tables as they were.
     */
    private void backFillEqualsLive(String table, int rowsPerSession) throws Exception {
        String study = "derived-" + UUID.randomUUID().toString().substring(0, 8);
        String first = sendSession(study);
        String second = sendSession(study);
        awaitRows(table, study, 2 * rowsPerSession);
        Map<String, String> live = dump(table, study);
        assertEquals(2 * rowsPerSession, live.size(), table + " rows of two sessions: " + live.keySet());

        update("delete from " + table + " where study = ?", study);
        Map<Integer, Long> snapshot = TestSupport.rawEndOffsets();
        String past = sendSession(study);
        awaitRows(table, study, rowsPerSession);
        Map<String, String> pastRows = dump(table, study);
        Map<String, String> core = coreDump(study);

        Replay.Result result = replay.run(List.of(table), snapshot);

        Map<String, String> expected = new TreeMap<>(live);
        expected.putAll(pastRows);
        assertEquals(expected, new TreeMap<>(dump(table, study)), "the table after the back-fill: sessions " + first
                + ", " + second + " replayed, " + past + " kept from the live path");
        assertEquals(core, coreDump(study), "the core tables are untouched");
        assertEquals(0, result.actions() + result.positions(), "only " + table + " written: " + result.summary());
        assertEquals("none", result.qualitySummary(), "no core table, no summary: " + result.summary());
        assertTrue(result.rows() >= 2 * rowsPerSession, result.summary());
        assertTrue(result.keptPastSnapshot() >= rowsPerSession, result.summary());
    }

    @Test
    void aChangedDefinitionStartsTheTableAgainAndKeepsTheOldRowsAside() throws Exception {
        String name = "derived_change_" + UUID.randomUUID().toString().substring(0, 8);
        String yaml = "table: " + name + "\nactions: [click]\ncolumns:\n  - name: trial\n    from: data.trial\n";
        DerivedTables before = new DerivedTables(List.of(DeclaredTables.parse("t.yaml", yaml)), true, dataSource);
        before.ensureSchema();
        before.ensureSchema();
        update("insert into " + name + " select gen_random_uuid(), 's', 'p', 'x', null, 1, 'click', now(), '3', 0, 0, 0",
                null);

        DerivedTables after = new DerivedTables(List.of(DeclaredTables.parse("t.yaml",
                yaml + "    type: integer\n")), true, dataSource);
        after.ensureSchema();

        assertEquals(0, TestSupport.count(dataSource, "select count(*) from " + name));
        assertEquals(1, TestSupport.count(dataSource, "select count(*) from " + name + "_old"));
        assertEquals(1, TestSupport.count(dataSource, "select count(*) from information_schema.columns where "
                + "table_name = ? and column_name = 'trial' and data_type = 'integer'", name));
        assertEquals(after.derived().get(0).fingerprint(), string("select fingerprint from ual_derived_table "
                + "where name = ?", name));
    }

    /** A session of one v2 record: pointer moves, clicks on a trial's target, a key; returns its id. */
    private static String sendSession(String study) throws Exception {
        String session = UUID.randomUUID().toString();
        StringBuilder actions = new StringBuilder();
        for (int seq = 1; seq <= 8; seq++) {
            String type = seq % 3 == 0 ? "click" : seq >= 7 ? "keydown" : "pointermove";
            String pointer = type.equals("keydown") ? "" : ",\"x\":%d.5,\"y\":%d,\"page_x\":%d,\"page_y\":%d,\"vw\":1280,\"vh\":800"
                    .formatted(seq * 100, seq * 70, seq * 100, seq * 70 + 400);
            String target = type.equals("click") ? ",\"target\":{\"id\":\"target-%d\",\"selector\":\"#target-%d\",\"attrs\":{\"data-trial\":\"%d\"}}"
                    .formatted(seq, seq, seq / 3) : "";
            String data = type.equals("click") ? ",\"data\":{\"button\":0,\"buttons\":1}"
                    : type.equals("keydown") ? ",\"data\":{\"category\":\"letter\",\"modifiers\":[\"shift\",\"ctrl\"]}" : "";
            actions.append(seq == 1 ? "" : ",").append("""
                    {"id":"%s","seq":%d,"type":"%s","t":%d,"t_mono":%d.25%s%s%s}"""
                    .formatted(UUID.randomUUID(), seq, type, 1764412800000L + seq * 40, seq * 40, pointer, target, data));
        }
        String record = """
                {"v":2,"study":"%s","participant":"p-1","session":"%s","condition":"A","sent_at":1764412800500,
                 "received_at":1764412800600,"context":{"user_agent":"derived-table-test"},"actions":[%s]}"""
                .formatted(study, session, actions);
        TestSupport.producer().send(new ProducerRecord<>(Topics.RAW, session, record.getBytes(StandardCharsets.UTF_8)))
                .get();
        return session;
    }

    private void awaitRows(String table, String study, int rows) {
        await(rows + " rows in " + table).atMost(Duration.ofSeconds(30))
                .until(() -> TestSupport.count(dataSource, "select count(*) from " + table + " where study = ?", study)
                        == rows);
    }

    /** The table's rows of a study as JSON, by key. */
    private Map<String, String> dump(String table, String study) {
        return rows("select action_id::text, to_jsonb(t)::text from " + table + " t where study = ?", study);
    }

    /** The core tables' rows of a study as JSON, by table and key. */
    private Map<String, String> coreDump(String study) {
        Map<String, String> rows = new HashMap<>();
        rows.putAll(rows("select 'ui_action:' || id, to_jsonb(a)::text from ui_action a where study = ?", study));
        rows.putAll(rows("select 'mouse_position:' || action_id, to_jsonb(m)::text from mouse_position m "
                + "where study = ?", study));
        rows.putAll(rows("select 'session_quality:' || session_id, to_jsonb(q)::text from session_quality q "
                + "where study = ?", study));
        return rows;
    }

    private Map<String, String> rows(String sql, String study) {
        Map<String, String> rows = new HashMap<>();
        try (Connection c = dataSource.getConnection()) {
            Jdbc.query(c, sql, rs -> rows.put(rs.getString(1), rs.getString(2)), study);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }

    private String string(String sql, String arg) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, arg);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private void update(String sql, String arg) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            if (arg != null) {
                s.setString(1, arg);
            }
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
