package io.useractions.processor.projection;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.useractions.model.Action;
import io.useractions.model.Limits;
import io.useractions.model.RawRecord;
import io.useractions.model.RawRecords;

/**
 * A table the sink derives from raw actions, declared once: its name, its key, which actions it holds a
 * row for, and its columns in COPY order, each with the value it takes from the action and, by how it
 * writes it ({@link BinaryRows}), its type. The COPY writer ({@link CopyRows}), the refused-row isolation,
 * the replay and the benchmark's COPY baseline all read it; a Flyway migration creates the table, and the
 * sink refuses to start when the two disagree ({@link ProjectionWriter#checkSchema}).
 *
 * <p>Every table ends with the action's provenance, {@code src_partition}, {@code src_offset} and
 * {@code src_index}: where in the raw topic its row came from, which is what a replay needs to tell
 * the rows it re-derives from those the live path stored after its snapshot.
 */
public final class ProjectedTable {
    /** An action with every field set, which {@link #columnTypes()} writes. */
    private static final RawRecord PROBE = RawRecords.decode(("{\"v\":2,\"study\":\"s\",\"participant\":\"p\","
            + "\"session\":\"s\",\"condition\":\"c\",\"sent_at\":1764412800100,\"received_at\":1764412800200,"
            + "\"context\":{\"screen_w\":1},\"actions\":[{\"id\":\"0b6c3c1e-8a4f-4a53-9d3e-2f1f6f7c0a01\",\"seq\":1,"
            + "\"type\":\"click\",\"t\":1764412800000,\"t_mono\":1.5,\"url\":\"https://example.org/\",\"x\":1,\"y\":2,"
            + "\"page_x\":3,\"page_y\":4,\"screen_x\":5,\"screen_y\":6,\"vw\":800,\"vh\":600,"
            + "\"target\":{\"id\":\"b\",\"selector\":\"#b\",\"attrs\":{\"data-trial\":\"3\"}},\"data\":{\"trial\":3}}]}")
            .getBytes(StandardCharsets.UTF_8), Limits.DEFAULT);
    /** The columns every table ends with. */
    public static final List<String> PROVENANCE = List.of("src_partition", "src_offset", "src_index");

    /** The pointer position in the logger's frames (viewport, page, screen) and the viewport's size. */
    private static final List<Column> POINTER = ActionField.columns(ActionField.X, ActionField.Y, ActionField.PAGE_X,
            ActionField.PAGE_Y, ActionField.SCREEN_X, ActionField.SCREEN_Y, ActionField.VW, ActionField.VH);

    /** Every action, as sent, with the server's reading of its clock. */
    public static final ProjectedTable UI_ACTION = new ProjectedTable("ui_action", "id", action -> true, columns(
            identity("id"),
            ActionField.columns(ActionField.T_MONO, ActionField.SENT_AT, ActionField.RECEIVED_AT,
                    ActionField.SERVER_TIME, ActionField.CLOCK_SKEW_MS, ActionField.CLOCK_FLAG, ActionField.URL),
            POINTER,
            ActionField.columns(ActionField.TARGET_ID, ActionField.TARGET_SELECTOR, ActionField.TARGET_ATTRS,
                    ActionField.DATA, ActionField.CONTEXT)));

    /**
     * The actions with a pointer position: where on the screen people interact and how they move around
     * the app, in a table small enough to read whole.
     */
    public static final ProjectedTable MOUSE_POSITION = new ProjectedTable("mouse_position", "action_id",
            Action::hasPointer, columns(identity("action_id"),
                    ActionField.columns(ActionField.SERVER_TIME, ActionField.T_MONO), POINTER));

    /** The tables every pipeline projects, in the order they are written. */
    public static final List<ProjectedTable> CORE = List.of(UI_ACTION, MOUSE_POSITION);

    /** Writes one column's value of a row. */
    @FunctionalInterface
    public interface Value {
        void write(ActionRow row, BinaryRows out);
    }

    /** A column: its name in the table and the value it takes. */
    public record Column(String name, Value value) {
    }

    private final String name;
    private final String key;
    private final Predicate<Action> holds;
    private final Column[] columns;
    private final String columnList;
    private final List<String> columnNames;
    private final boolean upserted;
    /** Positions of the key columns, ascending. */
    private final int[] keyIndexes;

    /**
     * A table of {@code columns} followed by the provenance ones, holding a row for each action that
     * {@code holds} accepts, unique by {@code key}.
     */
    public ProjectedTable(String name, String key, Predicate<Action> holds, List<Column> columns) {
        this(name, key, holds, withProvenance(columns), false);
    }

    private ProjectedTable(String name, String key, Predicate<Action> holds, List<Column> all, boolean upserted) {
        Set<String> names = new HashSet<>();
        for (Column column : all) {
            if (!names.add(column.name())) {
                throw new IllegalArgumentException("table " + name + " declares the column " + column.name() + " twice");
            }
        }
        for (String part : key.split(", ")) {
            if (!names.contains(part)) {
                throw new IllegalArgumentException("table " + name + " has no key column " + part);
            }
        }
        this.name = name;
        this.key = key;
        this.holds = holds;
        this.columns = all.toArray(Column[]::new);
        this.columnList = all.stream().map(Column::name).collect(Collectors.joining(", "));
        this.columnNames = all.stream().map(Column::name).toList();
        this.upserted = upserted;
        this.keyIndexes = Arrays.stream(key.split(", ")).mapToInt(columnNames::indexOf).sorted().toArray();
    }

    /**
     * A table whose rows span actions (a trial, a session): no action has a row of its own, the rows
     * come encoded from the processor's session state, and a row with a key already stored replaces it.
     * {@code columns} are named in COPY order, provenance included; {@code key} names one or more of them.
     */
    public static ProjectedTable spanning(String name, String key, List<String> columns) {
        return new ProjectedTable(name, key, action -> false,
                columns.stream().map(column -> column(column, (row, out) -> {
                    throw new IllegalStateException(name + " rows are not written from one action");
                })).toList(), true);
    }

    private static List<Column> withProvenance(List<Column> columns) {
        List<Column> all = new ArrayList<>(columns);
        all.add(column(PROVENANCE.get(0), (row, out) -> out.number(row.srcPartition())));
        all.add(column(PROVENANCE.get(1), (row, out) -> out.number(row.srcOffset())));
        all.add(column(PROVENANCE.get(2), (row, out) -> out.number(row.index())));
        return all;
    }

    public static Column column(String name, Value value) {
        return new Column(name, value);
    }

    public String name() {
        return name;
    }

    /** The table a replay loads before it puts the rows in place. */
    public String replayName() {
        return name + "_replay";
    }

    /**
     * The column, or comma-separated columns, that identify a row: a redelivered row of a table of
     * actions with a key already stored is skipped; one of a {@link #spanning} table replaces it.
     */
    public String key() {
        return key;
    }

    /** SQL that is true when rows {@code a} and {@code b} (aliases) have the same key. */
    public String sameKey(String a, String b) {
        String[] parts = key.split(", ");
        StringBuilder left = new StringBuilder("(");
        StringBuilder right = new StringBuilder("(");
        for (int i = 0; i < parts.length; i++) {
            left.append(i == 0 ? "" : ", ").append(a).append('.').append(parts[i]);
            right.append(i == 0 ? "" : ", ").append(b).append('.').append(parts[i]);
        }
        return left.append(") = ").append(right).append(')').toString();
    }

    /** The values of the key columns of a row in COPY text, as one string. */
    public String rowKey(byte[] line) {
        StringBuilder key = new StringBuilder();
        int column = 0;
        int start = 0;
        for (int i = 0; i <= line.length; i++) {
            if (i == line.length || line[i] == '\t' || line[i] == '\n') {
                if (Arrays.binarySearch(keyIndexes, column) >= 0) {
                    key.append(new String(line, start, i - start, StandardCharsets.UTF_8)).append('\t');
                }
                column++;
                start = i + 1;
                if (column > keyIndexes[keyIndexes.length - 1]) {
                    break;
                }
            }
        }
        return key.toString();
    }

    /**
     * The text of column {@code name} in a row in COPY text, unescaped; null for {@code \N} or a table without
     * that column. For the few rows spanning actions, whose study and participant the sink checks.
     */
    public String text(byte[] line, String name) {
        int wanted = columnNames().indexOf(name);
        if (wanted < 0) {
            return null;
        }
        int column = 0;
        int start = 0;
        for (int i = 0; i <= line.length; i++) {
            if (i == line.length || line[i] == '\t' || line[i] == '\n') {
                if (column == wanted) {
                    return unescape(line, start, i);
                }
                column++;
                start = i + 1;
            }
        }
        return null;
    }

    /** A COPY text field: {@code \N} is null; backslash escapes as {@link Utf8Rows#text} writes them. */
    private static String unescape(byte[] line, int from, int to) {
        if (to - from == 2 && line[from] == '\\' && line[from + 1] == 'N') {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(to - from);
        for (int i = from; i < to; i++) {
            byte b = line[i];
            if (b == '\\' && i + 1 < to) {
                byte next = line[++i];
                out.write(switch (next) {
                    case 't' -> '\t';
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    case 'b' -> '\b';
                    case 'f' -> '\f';
                    case 'v' -> 11;
                    default -> next;
                });
            } else {
                out.write(b);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Whether a row with a key already stored replaces the stored one (rows spanning actions) rather than being skipped. */
    public boolean upserted() {
        return upserted;
    }

    /** SQL that sets every non-key column from {@code excluded}, for an upsert. */
    public String updateFromExcluded() {
        Set<String> keys = Set.of(key.split(", "));
        return columnNames().stream().filter(column -> !keys.contains(column))
                .map(column -> column + " = excluded." + column).collect(Collectors.joining(", "));
    }

    public List<String> columnNames() {
        return columnNames;
    }

    /** The column names in COPY order, comma-separated. */
    public String columnList() {
        return columnList;
    }

    /** Whether the table holds a row for this action. */
    public boolean holds(Action action) {
        return holds.test(action);
    }

    /** Writes the row's values in column order. */
    void write(ActionRow row, BinaryRows out) {
        out.startRow(columns.length);
        for (Column column : columns) {
            column.value().write(row, out);
        }
    }

    /**
     * Whether its rows are in COPY's binary format: those of a table of actions, written here. The rows of a
     * {@link #spanning} table come in COPY text from the topology's session state.
     */
    public boolean binary() {
        return !upserted;
    }

    /** The options of a COPY of its rows: the format they are in. */
    public String copyOptions() {
        return binary() ? " (format binary)" : "";
    }

    /**
     * The PostgreSQL type (as information_schema names it) each column writes, in COPY order, found by writing
     * a probe row; empty for a {@link #spanning} table, whose rows are text, and for one whose values cannot
     * be computed for the probe (a Java definition's). The sink checks them against the table at start-up: a
     * binary value of another type would be refused as data, row after row.
     */
    public List<String> columnTypes() {
        if (!binary()) {
            return List.of();
        }
        BinaryRows probe = BinaryRows.recordingTypes();
        try {
            write(probeRow(), probe);
        } catch (RuntimeException e) {
            return List.of();
        }
        return List.copyOf(probe.types());
    }

    /** A row of an action with every field set, for finding the types values write. */
    static ActionRow probeRow() {
        return new ActionRow().at(PROBE, 0, 0, 0);
    }

    /** The columns every table of actions starts with: the action's id, who, where in the session, what, when. */
    public static List<Column> identity(String idColumn) {
        return columns(List.of(ActionField.ID.column(idColumn)), ActionField.columns(ActionField.STUDY,
                ActionField.PARTICIPANT, ActionField.SESSION_ID, ActionField.CONDITION, ActionField.SEQ,
                ActionField.TYPE, ActionField.CLIENT_TIME));
    }

    @SafeVarargs
    private static List<Column> columns(List<Column>... parts) {
        List<Column> all = new ArrayList<>();
        for (List<Column> part : parts) {
            all.addAll(part);
        }
        return all;
    }

    @Override
    public String toString() {
        return name;
    }
}
