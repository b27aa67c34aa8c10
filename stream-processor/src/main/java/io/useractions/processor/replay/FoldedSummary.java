package io.useractions.processor.replay;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import io.useractions.model.Action;
import io.useractions.model.RawRecord;

/**
 * The data-quality summary of a replay straight into the live tables, folded as the rows go in rather than
 * rebuilt from every row at the end: the rebuild sorts every pointer sample by session and seq, and took a
 * sixth of such a replay (docs/benchmarks.md).
 *
 * <p>The rows fold with the sink's own sums ({@code ual_quality_fold}, V16) into temporary tables named as
 * the summary's, which the transaction's search path puts first, so the live summary is untouched and the
 * live sink's folds do not wait for the replay. When the rows are in place, the summary becomes the folded
 * one, except for the sessions a fold cannot sum as a rebuild would: those with rows the live sink stored
 * past the snapshot, and those whose actions came out of seq order (a step between samples is taken in seq
 * order). These are derived from their rows ({@code ual_session_quality_derive}).
 */
final class FoldedSummary {
    private static final String[] TABLES = {"session_quality", "session_histogram"};

    private record Session(String study, String participant, String sessionId) {
    }

    /** Each session's highest seq replayed so far. */
    private final Map<Session, Long> highestSeq = new HashMap<>();
    /** Sessions with an action at or below a seq already replayed: derived from their rows at the end. */
    private final Set<Session> outOfOrder = new HashSet<>();
    /** The live summary's schema, and the search path the transaction had before {@link #begin}. */
    private String schema;
    private String searchPath;

    /**
     * Points the transaction's folds at temporary tables shaped as the summary's; from here until {@link
     * #putInPlace} the connection's unqualified {@code session_quality} and {@code session_histogram} are
     * those.
     */
    void begin(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            try (ResultSet rs = statement.executeQuery("select current_schema(), current_setting('search_path')")) {
                rs.next();
                schema = rs.getString(1);
                searchPath = rs.getString(2);
            }
            for (String table : TABLES) {
                statement.execute("create temp table " + table + " (like " + quoted(schema) + "." + table
                        + " including all) on commit drop");
            }
            // Named, not implied: a plan cached for another search path is planned again.
            setSearchPath(connection, "pg_temp, " + searchPath);
            statement.execute("set local ual.session_quality_deferred = off");
        }
    }

    /** Notes a replayed record's session, whose summary is derived from its rows if its seqs go back. */
    void track(RawRecord record) {
        Session session = new Session(record.study(), record.participant(), record.session());
        long lowest = Long.MAX_VALUE;
        long highest = Long.MIN_VALUE;
        for (Action action : record.actions()) {
            lowest = Math.min(lowest, action.seq());
            highest = Math.max(highest, action.seq());
        }
        Long before = highestSeq.get(session);
        if (before != null && lowest <= before) {
            outOfOrder.add(session);
        }
        if (before == null || highest > before) {
            highestSeq.put(session, highest);
        }
    }

    /**
     * Replaces the live summary with the folded one, then derives from their rows the sessions that have
     * rows past the snapshot ({@code pastSnapshot}: ui_action's rows beyond it, with their sessions) and
     * those that came out of order. Returns how many rows of ui_action are past the snapshot.
     */
    long putInPlace(Connection connection, String pastSnapshot) throws SQLException {
        setSearchPath(connection, searchPath);
        try (Statement statement = connection.createStatement()) {
            for (String table : TABLES) {
                String live = quoted(schema) + "." + table;
                statement.execute("delete from " + live);
                statement.execute("insert into " + live + " select * from pg_temp." + table);
                // Gone, the name is the live table's again, whatever the search path: a temporary table
                // comes first even when the path does not name pg_temp.
                statement.execute("drop table pg_temp." + table);
            }
        }
        try (PreparedStatement derive = connection.prepareStatement("with past as (select t.study, t.participant,"
                + " t.session_id, count(*) as rows from ui_action t" + pastSnapshot
                + " group by t.study, t.participant, t.session_id),"
                + " k as (select study, participant, session_id from past"
                + " union select * from unnest(?::text[], ?::text[], ?::text[]))"
                + " select (select coalesce(sum(rows), 0) from past),"
                + " (select ual_session_quality_derive(array_agg(study), array_agg(participant), array_agg(session_id))"
                + " from k having count(*) > 0)")) {
            derive.setArray(1, connection.createArrayOf("text", outOfOrder.stream().map(Session::study).toArray()));
            derive.setArray(2, connection.createArrayOf("text",
                    outOfOrder.stream().map(Session::participant).toArray()));
            derive.setArray(3, connection.createArrayOf("text", outOfOrder.stream().map(Session::sessionId).toArray()));
            try (ResultSet rs = derive.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void setSearchPath(Connection connection, String path) throws SQLException {
        try (PreparedStatement set = connection.prepareStatement("select set_config('search_path', ?, true)")) {
            set.setString(1, path);
            set.execute();
        }
    }

    private static String quoted(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
