package io.useractions.research.export;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * SQL text for the database tables. COPY takes no bind parameters, so filter values are inlined as
 * literals; the transaction sets standard_conforming_strings, under which doubling quotes is the whole
 * escaping (and ExportFilter rejects NUL).
 */
final class Sql {

    private Sql() {
    }

    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    static String literal(Instant t) {
        return "'" + t + "'::timestamptz";
    }

    /** WHERE of a database table (actions: ui_action, positions: mouse_position), time on server_time. */
    static String where(ExportFilter f) {
        List<String> terms = new ArrayList<>();
        terms.add("study = " + literal(f.study()));
        if (f.condition() != null) {
            terms.add("condition = " + literal(f.condition()));
        }
        if (f.participant() != null) {
            terms.add("participant = " + literal(f.participant()));
        }
        if (f.from() != null) {
            terms.add("server_time >= " + literal(f.from()));
        }
        if (f.to() != null) {
            terms.add("server_time < " + literal(f.to()));
        }
        return " WHERE " + String.join(" AND ", terms);
    }

    static String source(TableName table) {
        return switch (table) {
            case ACTIONS -> "ui_action";
            case POSITIONS -> "mouse_position";
            default -> throw new IllegalArgumentException(table + " is derived, not a database table");
        };
    }

    static String idColumn(TableName table) {
        return table == TableName.ACTIONS ? "id" : "action_id";
    }

    /** The table's rows with typed columns (for binary COPY and the JDBC cursor). */
    static String select(Table table, ExportFilter f) {
        StringBuilder s = new StringBuilder("SELECT ");
        for (int i = 0; i < table.columns().size(); i++) {
            Column c = table.columns().get(i);
            s.append(i == 0 ? "" : ", ").append(c.sql()).append(" AS \"").append(c.name()).append('"');
        }
        return from(s, table, f);
    }

    /**
     * How many rows {@link #select} returns for a database table; for a derived table, how many actions
     * TrialSource reads: whole sessions, whatever the time range.
     */
    static String count(Table table, ExportFilter f) {
        return switch (table.name()) {
            case ACTIONS, POSITIONS -> "SELECT count(*) FROM " + source(table.name()) + where(f);
            default -> "SELECT count(*) FROM ui_action"
                    + where(new ExportFilter(f.study(), f.condition(), f.participant(), null, null, false));
        };
    }

    static String from(StringBuilder s, Table table, ExportFilter f) {
        return s.append(" FROM ").append(source(table.name())).append(where(f))
                .append(" ORDER BY ").append(Tables.order(idColumn(table.name()))).toString();
    }
}
