package io.useractions.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

import io.useractions.infra.Apps;
import io.useractions.infra.ServiceProcess;
import io.useractions.processor.projection.ProjectedTable;
import io.useractions.processor.sessions.SessionTables;

/**
 * Which derived tables a processor writes, for the table-cost measurements: the core tables only, each
 * shipped derived table alone, or all of them. The processor is the same build; what it writes is set by
 * its environment ({@code UAL_PROCESSOR_TABLES_SKIP}, {@code UAL_PROCESSOR_SESSIONS_ENABLED}).
 *
 * @param label  as the report names it
 * @param tables the derived tables written, besides ui_action and mouse_position
 * @param env    the processor's variables that choose them
 */
record TableSet(String label, List<String> tables, Map<String, String> env) {
    /** The sessions' tables, kept in the topology's state and switched on and off together. */
    static final List<String> SESSION_TABLES = SessionTables.ALL.stream().map(ProjectedTable::name).toList();

    /**
     * Past the last record, the session summaries wait for the next emit interval (5 s by default); the
     * other tables are written with the core rows, so a set without the sessions' tables does not wait.
     */
    static final Duration SUMMARY_EMIT = Duration.ofSeconds(6);
    private static final Duration POLL = Duration.ofMillis(200);

    /** The shipped derived tables the processor registered in {@code ual_derived_table} (YAML and Java). */
    static List<String> registered(Endpoints endpoints) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection connection = endpoints.connect(); Statement s = connection.createStatement();
             ResultSet rows = s.executeQuery("select name from ual_derived_table order by name")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }

    /** Core only, then each registered table alone, then trial and session_summary, then everything. */
    static List<TableSet> each(List<String> registered) {
        List<TableSet> sets = new ArrayList<>();
        sets.add(of("core only", registered, List.of(), false));
        for (String table : registered) {
            sets.add(of("+ " + table, registered, List.of(table), false));
        }
        sets.add(of("+ " + String.join(", ", SESSION_TABLES), registered, List.of(), true));
        sets.add(all(registered));
        return sets;
    }

    static TableSet core(List<String> registered) {
        return of("core only", registered, List.of(), false);
    }

    static TableSet all(List<String> registered) {
        return of("all derived tables", registered, registered, true);
    }

    private static TableSet of(String label, List<String> registered, List<String> on, boolean sessions) {
        Map<String, String> env = new LinkedHashMap<>();
        List<String> skipped = registered.stream().filter(table -> !on.contains(table)).toList();
        if (!skipped.isEmpty()) {
            env.put("UAL_PROCESSOR_TABLES_SKIP", String.join(",", skipped));
        }
        env.put("UAL_PROCESSOR_SESSIONS_ENABLED", Boolean.toString(sessions));
        List<String> tables = new ArrayList<>(on);
        if (sessions) {
            tables.addAll(SESSION_TABLES);
        }
        return new TableSet(label, List.copyOf(tables), Map.copyOf(env));
    }

    boolean core() {
        return tables.isEmpty();
    }

    /** Whether it writes the sessions' tables, whose rows come only with the processor's next emit. */
    boolean sessions() {
        return tables.containsAll(SESSION_TABLES);
    }

    /**
     * A processor (not yet started) that writes this set: the first instance's name, so the same static
     * group memberships and Streams state directory; its log goes on in the same file.
     */
    ServiceProcess processor(Rig rig, List<String> jvm) {
        rig.apps().env(Apps.PROCESSOR, env);
        try {
            return rig.apps().command(Apps.PROCESSOR, Apps.PROCESSOR, jvm);
        } finally {
            rig.apps().env(Apps.PROCESSOR, Map.of());
        }
    }

    /**
     * Empties the core tables and every derived one, so that each set starts on tables of the same size
     * and the rows counted afterwards are the ones it wrote.
     */
    static void truncate(Endpoints endpoints) throws SQLException {
        try (Connection connection = endpoints.connect(); Statement s = connection.createStatement()) {
            s.execute("truncate ui_action, mouse_position, " + String.join(", ", SESSION_TABLES));
            s.execute("do $$ declare t text; begin for t in select name from ual_derived_table loop "
                    + "execute format('truncate %I', t); end loop; end $$");
        }
    }

    /** Rows in each derived table, registered ones first, then trial and session_summary. */
    static Map<String, Long> rows(Endpoints endpoints, List<String> registered) throws SQLException {
        Map<String, Long> rows = new LinkedHashMap<>();
        try (Connection connection = endpoints.connect()) {
            for (String table : registered) {
                rows.put(table, Endpoints.count(connection, "select count(*) from " + table));
            }
            for (String table : SESSION_TABLES) {
                rows.put(table, Endpoints.count(connection, "select count(*) from " + table));
            }
        }
        return rows;
    }

    /**
     * Rows in each derived table once this set's are written, past its last record: a set with the sessions'
     * tables waits {@link #SUMMARY_EMIT} for their next emit, or with {@code untilRows} only until each of
     * its tables has a row (at most as long).
     */
    Map<String, Long> rowsWritten(Endpoints endpoints, List<String> registered, boolean untilRows)
            throws SQLException, InterruptedException {
        if (sessions() && !untilRows) {
            Thread.sleep(SUMMARY_EMIT.toMillis());
        }
        long deadline = System.nanoTime() + (sessions() ? SUMMARY_EMIT.toNanos() : 0);
        while (true) {
            Map<String, Long> rows = rows(endpoints, registered);
            if (!untilRows || empty(rows) == null || System.nanoTime() > deadline) {
                return rows;
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /** The rows of this set's tables, e.g. "rows: click 29,870, key_chord 24,012". */
    String rowsText(Map<String, Long> rows) {
        StringJoiner text = new StringJoiner(", ", "rows: ", "");
        for (String table : tables) {
            text.add(String.format(Locale.ROOT, "%s %,d", table, rows.getOrDefault(table, 0L)));
        }
        return tables.isEmpty() ? "rows: core tables only" : text.toString();
    }

    /** The first of this set's tables that got no row, or null: a table that wrote nothing cannot look cheap. */
    String empty(Map<String, Long> rows) {
        return tables.stream().filter(table -> rows.getOrDefault(table, 0L) == 0).findFirst().orElse(null);
    }
}
