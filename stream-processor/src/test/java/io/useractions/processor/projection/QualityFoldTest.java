package io.useractions.processor.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.useractions.infra.LocalInfraTestResource;
import io.useractions.model.Action;
import io.useractions.model.Jdbc;
import io.useractions.model.RawRecord;

/**
 * The data-quality summary the sink folds in Java (V16) against the real PostgreSQL: the same rows as the
 * insert triggers it replaced (V15, installed here on copies of the tables) gave, statement by statement,
 * through redeliveries, late batches, rows written one at a time, clocks far off and conditions outside
 * the Basic Multilingual Plane; and, for sessions whose batches came in order, the summary a replay
 * rebuilds from the rows.
 */
@QuarkusTest
@WithTestResource(LocalInfraTestResource.class)
class QualityFoldTest {
    /** The end of the year 9999, the latest client time the wire format takes. */
    private static final long LATEST = 253_402_300_799_999L;
    private static final long T0 = 1_764_412_800_000L;

    @Inject
    DataSource dataSource;
    @Inject
    ProjectionWriter writer;

    private final String study = "fold-" + UUID.randomUUID().toString().substring(0, 8);

    private RawRecord record(String session, String condition, long skewMs, List<Action> actions) {
        long sentAt = T0 + 60_000;
        return new RawRecord(RawRecord.V2, study, "p-" + session, session, condition, sentAt, sentAt + skewMs, null,
                actions);
    }

    /** Actions {@code from..to} of a session: every other one a pointer move, every seventh without t_mono. */
    private static List<Action> actions(long from, long to) {
        List<Action> actions = new ArrayList<>();
        for (long seq = from; seq <= to; seq++) {
            boolean pointer = seq % 2 == 0;
            Double tMono = seq % 7 == 0 ? null : seq * 16.7 + (seq % 3) * 0.1;
            String type = seq % 10 == 5 ? "trial:end" : pointer ? "pointermove" : "keydown";
            actions.add(action(seq, type, T0 + seq * 17, tMono, pointer));
        }
        return actions;
    }

    private static Action action(long seq, String type, long t, Double tMono, boolean pointer) {
        return new Action(UUID.randomUUID(), seq, type, t, tMono, null, pointer ? 1.0 : null, pointer ? 2.0 : null,
                null, null, null, null, null, null, null, null);
    }

    @Test
    void theSinksSumsEqualTheTriggersItReplacedAndARebuild() throws SQLException, IOException {
        List<Action> a1 = actions(1, 40);
        List<Action> a2 = actions(31, 70);
        a2.subList(0, 10).clear();
        a2.addAll(0, a1.subList(30, 40)); // 31-40 again, as stored: a redelivery
        List<Action> b = actions(1, 90);
        List<Action> late = actions(20, 40);
        List<Action> earlier = actions(5, 19);
        List<Action> c = List.of(action(1, "pointermove", LATEST, 1.0, true), action(2, "pointermove", 5, 2.0, true),
                action(3, "page_unload", 6, null, false));
        List<List<RawRecord>> transactions = List.of(
                List.of(record("a", "B", 40, a1), record("b", "é", -120, b.subList(0, 30)),
                        record("c", null, 1_000, c.subList(0, 1))),
                // ids already stored: the direct COPY fails, the staged insert folds only the new rows
                List.of(record("a", "\uD83D\uDE00", 400_000, a2), record("b", "é", -120, b.subList(30, 45))),
                // within one transaction out of order: seq 61-90 before 46-60
                List.of(record("b", "z", 25, b.subList(60, 90)), record("b", "z", 25, b.subList(45, 60)),
                        record("c", "A", -100, c.subList(1, 3))),
                // a redelivery within the transaction, with another send delay: its first rows are inserted
                List.of(record("d", "A", 0, late), record("d", "A", 500, late.subList(0, 3))),
                // a session's batches out of order across transactions: they step from their neighbours only
                List.of(record("d", "A", 0, earlier), record("a", null, 0, actions(71, 75))));
        try (Connection oracle = dataSource.getConnection()) {
            try {
                installTheV15Triggers(oracle);
                writeBoth(transactions, oracle);
            } finally {
                oracle.setAutoCommit(true);
                Jdbc.execute(oracle, "reset search_path");
            }

            Map<String, String> live = summary("public");
            assertEquals(summary("ual_v15"), live);
            assertTrue(live.get("quality:a").contains("\"actions\": 75"), live.get("quality:a"));
            assertTrue(live.get("quality:a").contains("\"condition\": \"\uD83D\uDE00\""), live.get("quality:a"));
            List<Boolean> times = new ArrayList<>();
            Jdbc.query(oracle, "select first_seen = timestamptz '1969-12-31 23:59:59.905+00',"
                    + " last_seen = timestamptz '10000-01-01 00:00:00.999+00' from session_quality"
                    + " where study = ? and session_id = 'c'", rs -> times.addAll(List.of(rs.getBoolean(1),
                            rs.getBoolean(2))), study);
            assertEquals(List.of(true, true), times, "server times before 1970 and after 9999, to the millisecond");

            // b and c came in order (within a transaction the sink sorts): a rebuild from the rows agrees
            Jdbc.inTransaction(oracle, connection -> {
                Jdbc.query(connection, "select ual_session_quality_derive(array[?, ?], array[?, ?], array[?, ?])",
                        rs -> { }, study, study, "p-b", "p-c", "b", "c");
                return null;
            });
            Map<String, String> rebuilt = summary("public");
            for (String key : live.keySet()) {
                if (key.matches("\\w+:[bc](:.*)?")) {
                    assertEquals(live.get(key), rebuilt.get(key), key);
                }
            }
        } finally {
            try (Connection connection = dataSource.getConnection()) {
                Jdbc.execute(connection, "drop schema if exists ual_v15 cascade");
            }
        }
    }

    /** Each transaction through the sink's writer, folded, and through the old path, under V15's triggers. */
    private void writeBoth(List<List<RawRecord>> transactions, Connection oracle) throws SQLException {
        for (List<RawRecord> transaction : transactions) {
            CopyRows folded = new CopyRows(ProjectedTable.CORE, 100).foldingQuality();
            CopyRows plain = new CopyRows(ProjectedTable.CORE, 100);
            for (RawRecord record : transaction) {
                folded.add(record, 0, 0);
                plain.add(record, 0, 0);
            }
            writer.write(ProjectedTable::name, folded);
            Jdbc.inTransaction(oracle, connection -> ProjectionWriter.copy(connection, plain, ProjectedTable::name,
                    false, true));
        }
        // rows one at a time, as the sink isolates a refused one
        CopyRows one = new CopyRows(ProjectedTable.CORE, 1).foldingQuality();
        CopyRows oneOracle = new CopyRows(ProjectedTable.CORE, 1);
        RawRecord last = record("b", "é", -120, actions(91, 94));
        for (int i = 0; i < last.actions().size(); i++) {
            writer.write(ProjectedTable::name, one.clear().add(last, i, 0, 0));
            int index = i;
            Jdbc.inTransaction(oracle, connection -> ProjectionWriter.copy(connection,
                    oneOracle.clear().add(last, index, 0, 0), ProjectedTable::name, false, true));
        }
    }

    /**
     * Copies of the four tables in a schema of their own with V15's insert triggers on them, which the
     * oracle's connection finds first on its search path.
     */
    private static void installTheV15Triggers(Connection oracle) throws SQLException, IOException {
        String v15;
        try (InputStream in = QualityFoldTest.class.getResourceAsStream(
                "/db/migration/V15__session_quality_triggers_one_pass.sql")) {
            v15 = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Jdbc.execute(oracle, "drop schema if exists ual_v15 cascade", "create schema ual_v15",
                "create table ual_v15.ui_action (like public.ui_action including all)",
                "create table ual_v15.mouse_position (like public.mouse_position including all)",
                "create table ual_v15.session_quality (like public.session_quality including all)",
                "create table ual_v15.session_histogram (like public.session_histogram including all)",
                "set search_path = ual_v15, public", v15,
                "create trigger ual_quality_actions_added after insert on ui_action referencing new table as added"
                        + " for each statement execute function ual_v15.ual_quality_actions_added()",
                "create trigger ual_quality_positions_added after insert on mouse_position referencing new table"
                        + " as added for each statement execute function ual_v15.ual_quality_positions_added()");
    }

    /** The study's rows of both summary tables in {@code schema}, by session (and metric and bucket). */
    private Map<String, String> summary(String schema) throws SQLException {
        Map<String, String> rows = new TreeMap<>();
        try (Connection connection = dataSource.getConnection()) {
            Jdbc.query(connection, "select 'quality:' || session_id, (to_jsonb(q) - 'study')::text from " + schema
                    + ".session_quality q where study = ?", rs -> rows.put(rs.getString(1), rs.getString(2)), study);
            Jdbc.query(connection, "select concat_ws(':', 'histogram', session_id, metric, bucket), samples::text from "
                    + schema + ".session_histogram where study = ?", rs -> rows.put(rs.getString(1), rs.getString(2)),
                    study);
        }
        return rows;
    }
}
