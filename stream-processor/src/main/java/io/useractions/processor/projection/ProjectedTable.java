package io.useractions.processor.projection;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.useractions.model.Action;
import io.useractions.model.Target;

/**
 * A table the sink derives from raw actions, declared once: its name, its key, which actions it holds a
 * row for, and its columns in COPY order, each with the value it takes from the action. The COPY
 * writer ({@link CopyRows}), the refused-row isolation, the replay and the benchmark's COPY baseline
 * all read it; a Flyway migration creates the table, and the sink refuses to start when the two
 * disagree ({@link ProjectionWriter#checkSchema()}).
 *
 * <p>Every table ends with the action's provenance, {@code src_partition}, {@code src_offset} and
 * {@code src_index}: where in the raw topic its row came from, which is what a replay needs to tell
 * the rows it re-derives from those the live path stored after its snapshot.
 */
public final class ProjectedTable {
    /** The columns every table ends with. */
    public static final List<String> PROVENANCE = List.of("src_partition", "src_offset", "src_index");

    /** The pointer position in the logger's frames (viewport, page, screen) and the viewport's size. */
    private static final List<Column> POINTER = List.of(
            column("x", (row, out) -> out.number(row.action().x())),
            column("y", (row, out) -> out.number(row.action().y())),
            column("page_x", (row, out) -> out.number(row.action().pageX())),
            column("page_y", (row, out) -> out.number(row.action().pageY())),
            column("screen_x", (row, out) -> out.number(row.action().screenX())),
            column("screen_y", (row, out) -> out.number(row.action().screenY())),
            column("vw", (row, out) -> out.number(row.action().vw())),
            column("vh", (row, out) -> out.number(row.action().vh())));

    /** Every action, as sent, with the server's reading of its clock. */
    public static final ProjectedTable UI_ACTION = new ProjectedTable("ui_action", "id", action -> true, columns(
            identity("id"),
            List.of(column("t_mono", (row, out) -> out.number(row.action().tMono())),
                    column("sent_at", (row, out) -> out.time(row.record().sentAt())),
                    column("received_at", (row, out) -> out.time(row.record().receivedAt())),
                    column("server_time", (row, out) -> out.time(row.serverTime())),
                    column("clock_skew_ms", (row, out) -> out.number(row.record().skewMillis())),
                    column("clock_flag", (row, out) -> out.text(Clocks.flag(row.record(), row.action()))),
                    column("url", (row, out) -> out.text(row.action().url()))),
            POINTER,
            List.of(column("target_id", (row, out) -> out.text(target(row) == null ? null : target(row).id())),
                    column("target_selector", (row, out) -> out.text(target(row) == null ? null
                            : target(row).selector())),
                    column("target_attrs", (row, out) -> out.text(target(row) == null || target(row).attrs() == null
                            ? null : ActionRow.json(target(row).attrs()))),
                    column("data", (row, out) -> out.text(row.action().data() == null ? null
                            : row.action().data().toString())),
                    column("context", (row, out) -> out.text(row.contextJson())))));

    /**
     * The actions with a pointer position: where on the screen people interact and how they move around
     * the app, in a table small enough to read whole.
     */
    public static final ProjectedTable MOUSE_POSITION = new ProjectedTable("mouse_position", "action_id",
            Action::hasPointer, columns(
                    identity("action_id"),
                    List.of(column("server_time", (row, out) -> out.time(row.serverTime())),
                            column("t_mono", (row, out) -> out.number(row.action().tMono()))),
                    POINTER));

    /** The tables every pipeline projects, in the order they are written. */
    public static final List<ProjectedTable> CORE = List.of(UI_ACTION, MOUSE_POSITION);

    /** Writes one column's value of a row. */
    @FunctionalInterface
    public interface Value {
        void write(ActionRow row, Utf8Rows out);
    }

    /** A column: its name in the table and the value it takes. */
    public record Column(String name, Value value) {
    }

    private final String name;
    private final String key;
    private final Predicate<Action> holds;
    private final Column[] columns;
    private final String columnList;

    /**
     * A table of {@code columns} followed by the provenance ones, holding a row for each action that
     * {@code holds} accepts, unique by {@code key}.
     */
    public ProjectedTable(String name, String key, Predicate<Action> holds, List<Column> columns) {
        List<Column> all = new ArrayList<>(columns);
        all.add(column(PROVENANCE.get(0), (row, out) -> out.number(row.srcPartition())));
        all.add(column(PROVENANCE.get(1), (row, out) -> out.number(row.srcOffset())));
        all.add(column(PROVENANCE.get(2), (row, out) -> out.number(row.index())));
        Set<String> names = new HashSet<>();
        for (Column column : all) {
            if (!names.add(column.name())) {
                throw new IllegalArgumentException("table " + name + " declares the column " + column.name() + " twice");
            }
        }
        if (!names.contains(key)) {
            throw new IllegalArgumentException("table " + name + " has no key column " + key);
        }
        this.name = name;
        this.key = key;
        this.holds = holds;
        this.columns = all.toArray(Column[]::new);
        this.columnList = all.stream().map(Column::name).collect(Collectors.joining(", "));
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

    /** The column that identifies a row: a redelivered row with a key already stored is skipped. */
    public String key() {
        return key;
    }

    public List<String> columnNames() {
        return List.of(columnList.split(", "));
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
    void write(ActionRow row, Utf8Rows out) {
        for (Column column : columns) {
            column.value().write(row, out);
        }
        out.endRow();
    }

    /** The columns every table of actions starts with: the action's id, who, where in the session, what, when. */
    public static List<Column> identity(String idColumn) {
        return List.of(
                column(idColumn, (row, out) -> out.ascii(row.id())),
                column("study", (row, out) -> out.text(row.record().study())),
                column("participant", (row, out) -> out.text(row.record().participant())),
                column("session_id", (row, out) -> out.text(row.record().session())),
                column("condition", (row, out) -> out.text(row.record().condition())),
                column("seq", (row, out) -> out.number(row.action().seq())),
                column("type", (row, out) -> out.text(row.action().type())),
                column("client_time", (row, out) -> out.time(row.action().t())));
    }

    @SafeVarargs
    private static List<Column> columns(List<Column>... parts) {
        List<Column> all = new ArrayList<>();
        for (List<Column> part : parts) {
            all.addAll(part);
        }
        return all;
    }

    private static Target target(ActionRow row) {
        return row.action().target();
    }

    @Override
    public String toString() {
        return name;
    }
}
